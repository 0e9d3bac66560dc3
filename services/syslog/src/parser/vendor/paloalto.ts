import type { Draft } from '../draft.js';
import { readIsoTime } from '../timestamps.js';

/**
 * PAN-OS CSV (the "Syslog Field Descriptions" of the admin guide): FUTURE_USE, Receive Time,
 * Serial Number, Type, Subtype, FUTURE_USE, Generated Time, ... The pattern has no nested
 * repetition, so it cannot backtrack badly on a long line.
 */
const HEAD = /^\d{1,4},(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d),([^,]*),([A-Z][A-Z_-]*),([^,]*),[^,]*,(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d)?/;

/** PAN-OS 9.1+ ends the record with a "High Resolution Timestamp" in RFC 3339 with an offset. */
const HIGH_RES = /,(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d))(?=,|$)/;

/**
 * The record stays the message (it is the data). Receive/generated times are device-local without
 * a zone, so the event timestamp comes from the high-resolution field when the header had none.
 */
export function recognizePaloAlto(d: Draft, receivedMs: number): boolean {
  const m = HEAD.exec(d.message);
  if (m === null) return false;
  const v: Record<string, unknown> = { name: 'paloalto', logType: m[3], subtype: m[4], serial: m[2], receiveTime: m[1] };
  if (m[5] !== undefined) v['generatedTime'] = m[5];
  d.vendor = v;
  d.msgId ??= m[3] ?? null;
  if (d.timestamp === null) {
    const hr = HIGH_RES.exec(d.message);
    const text = hr?.[1];
    if (text !== undefined) {
      const t = readIsoTime(text, 0, receivedMs);
      if (t !== null && t.iso !== null) {
        d.timestamp = t.iso;
        d.timestampRaw = text;
      }
    }
  }
  return true;
}
