import type { Draft } from '../draft.js';
import { isoString } from '../iso-string.js';
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

/**
 * date + time + tz is the device's own statement of the time, to the second; `eventtime` is the
 * same instant as an epoch number (s, ms, µs or ns by release: ns since FortiOS 6.2), so it gives
 * the fraction. It is used where it falls in the second that date/time/tz state (a value that
 * disagrees is not trusted over the device's statement), and alone when tz is missing.
 */
function fortiTime(d: Draft, f: Record<string, string>, receivedMs: number): void {
  const date = f['date'];
  const time = f['time'];
  const tz = f['tz'];
  const et = f['eventtime'];
  const eventMs = et === undefined ? NaN : epochMillis(et);
  if (date !== undefined && time !== undefined) {
    d.timestampRaw = tz === undefined ? `${date} ${time}` : `${date} ${time} ${tz}`;
    if (tz !== undefined && numericOffset(tz, 0, tz.length) !== undefined) {
      const t = readIsoTime(`${date}T${time}${tz}`, 0, receivedMs);
      if (t !== null && t.iso !== null) {
        const precise = Number.isFinite(eventMs) ? isoString(eventMs) : '';
        // Both are toISOString text: the same first 19 characters are the same second.
        d.timestamp = precise.slice(0, 19) === t.iso.slice(0, 19) ? precise : t.iso;
        return;
      }
    }
  }
  if (Number.isFinite(eventMs)) {
    d.timestamp = isoString(eventMs);
    d.timestampRaw ??= et ?? null;
  }
}

/**
 * An epoch of 10, 13, 16 or 19 digits (s, ms, µs, ns) in ms, cut (not rounded) as RFC 3339
 * fractions are elsewhere; NaN for anything else. Digits are taken as text, since a 19-digit
 * number is beyond a double's exact integers.
 */
function epochMillis(s: string): number {
  const n = s.length;
  if (n !== 10 && n !== 13 && n !== 16 && n !== 19) return NaN;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return NaN;
  }
  return n === 10 ? Number(s) * 1000 : Number(s.slice(0, 13));
}
