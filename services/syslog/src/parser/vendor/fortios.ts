import type { Draft } from '../draft.js';
import { readIsoTime } from '../timestamps.js';
import { numericOffset } from '../zones.js';

/**
 * FortiOS sends `key=value` pairs (FortiOS Log Message Reference), usually with no syslog header
 * after the PRI: `date=2026-11-22 time=14:00:00 devname="FGT60F" ... tz="+0900" logid="0000000013"`.
 * Values may be quoted (with `\"` inside); `set format csv` separates pairs with commas.
 */
export function recognizeFortiOs(d: Draft, receivedMs: number): boolean {
  const s = d.message;
  if (!(s.startsWith('date=') || s.startsWith('logver=') || s.startsWith('devname=') || s.startsWith('timestamp='))) return false;
  const fields = Object.create(null) as Record<string, string>;
  const n = s.length;
  let sep = 0;
  let i = 0;
  while (i < n) {
    while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 44) i++;
    const k = i;
    while (i < n && s.charCodeAt(i) !== 61 && s.charCodeAt(i) !== 32) i++;
    if (i === k || s.charCodeAt(i) !== 61) break;
    const key = s.slice(k, i);
    i++;
    let value: string;
    if (s.charCodeAt(i) === 34) {
      i++;
      let seg = i;
      value = '';
      while (i < n && s.charCodeAt(i) !== 34) {
        if (s.charCodeAt(i) === 92 && i + 1 < n) {
          value += s.slice(seg, i);
          seg = i + 1;
          i += 2;
        } else {
          i++;
        }
      }
      value += s.slice(seg, i);
      i++;
    } else {
      // Until the separator is known (after the first value), a comma also ends a value.
      const comma = sep !== 32;
      const v = i;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === 32 || (comma && c === 44)) break;
      }
      value = s.slice(v, i);
    }
    // `set format csv` puts a comma where the default format has a space.
    if (sep === 0) sep = s.charCodeAt(i) === 44 ? 44 : 32;
    fields[key] = value;
  }
  d.vendor = { name: 'fortios', fields };
  d.host ??= fields['devname'] ?? null;
  d.msgId ??= fields['logid'] ?? null;
  if (d.timestamp === null) fortiTime(d, fields, receivedMs);
  return true;
}

const EPOCH = /^\d{10,19}$/;

/**
 * date + time + tz is the device's own statement of the time; `eventtime` (epoch in s, ms, us or
 * ns depending on the release) fixes it when tz is missing.
 */
function fortiTime(d: Draft, f: Record<string, string>, receivedMs: number): void {
  const date = f['date'];
  const time = f['time'];
  const tz = f['tz'];
  if (date !== undefined && time !== undefined) {
    d.timestampRaw = tz === undefined ? `${date} ${time}` : `${date} ${time} ${tz}`;
    if (tz !== undefined && numericOffset(tz, 0, tz.length) !== undefined) {
      const t = readIsoTime(`${date}T${time}${tz}`, 0, receivedMs);
      if (t !== null && t.iso !== null) {
        d.timestamp = t.iso;
        return;
      }
    }
  }
  const et = f['eventtime'];
  if (et !== undefined && EPOCH.test(et)) {
    const ms = et.length >= 13 ? Number(et.slice(0, 13)) : Number(et) * 1000;
    d.timestamp = new Date(ms).toISOString();
    d.timestampRaw ??= et;
  }
}
