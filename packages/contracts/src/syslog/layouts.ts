import type { LineFields } from './line-fields.js';
import type { StructuredData } from './syslog1.js';
import { renderTime, type TimeStyle } from './time-styles.js';
import { ciscoCode } from './vendor.js';

/**
 * How a line is put back together from its fields, when `syslog/2` leaves `raw` out. The encoder
 * rebuilds the line with the layout the parser's reading suggests and drops `raw` only when the
 * result is byte-identical to what was received; a line that any layout misses keeps `raw`.
 *
 * A layout is a letter, followed by a time style digit (time-styles.ts) when `timestampRaw` is left
 * out because that style renders it from `timestamp`:
 *
 * | letter | line |
 * |---|---|
 * | `5` | RFC 5424: `<PRI>1 TIME HOST APP PROCID MSGID SD MSG`, `-` for what is absent |
 * | `b` | RFC 3164 and BSD-like: `<PRI>[TIME ][HOST ][LEVEL ][APP[[PROCID]]: ]MSG` |
 * | `c` | Cisco: `<PRI>[COUNTER: ][HOST: ][SEQ: ][*]TIME: MSG` (`logging origin-id`, `service sequence-numbers`) |
 * | `s` | Cisco, the sequence number before the host: `<PRI>[COUNTER: ][SEQ: ][HOST: ][*]TIME: MSG` |
 * | `w` | no valid PRI (`priDefaulted`): the line is `message` |
 *
 * MSG is `message` with what the vendor recogniser took from its start put back: a Cisco-style code
 * (`%LINK-3-UPDOWN: `), a Junos event tag in a BSD line (`BGP_STATE_CHANGED: `), MikroTik topics.
 * LEVEL is F5's level word, SEQ the Cisco sequence number in six digits, `*` the Cisco clock marker.
 */
export type LayoutLetter = '5' | 'b' | 'c' | 's' | 'w';

/** `timestampRaw` as the layout reads it: stored, else rendered in the layout's style, else `timestamp` itself. */
export function timeTextOf(e: LineFields, style: TimeStyle | null): string | null {
  if (e.timestampRaw != null) return e.timestampRaw;
  if (e.timestamp == null) return null;
  return style === null ? e.timestamp : renderTime(e.timestamp, style);
}

/** The style digit of a layout code (`c1` -> 1), null without one. */
export function styleOfLayout(layout: string | null | undefined): TimeStyle | null {
  if (!layout || layout.length < 2) return null;
  const d = layout.charCodeAt(1) - 48;
  return d >= 1 && d <= 4 ? (d as TimeStyle) : null;
}

/** The line a layout code makes of the fields; null for a code it does not know. */
export function rebuildRaw(e: LineFields, layout: string): string | null {
  const letter = layout.charAt(0);
  const style = styleOfLayout(layout);
  if (layout.length > 2 || (layout.length === 2 && style === null)) return null;
  return rebuildWith(e, letter, timeTextOf(e, style));
}

/** The line `letter`'s layout makes of the fields, with the time text already known. */
export function rebuildWith(e: LineFields, letter: string, time: string | null): string | null {
  switch (letter) {
    case '5':
      return rfc5424(e, time);
    case 'b':
      return bsd(e, time);
    case 'c':
      return cisco(e, time, false);
    case 's':
      return cisco(e, time, true);
    case 'w':
      return e.message;
    default:
      return null;
  }
}

function pri(e: LineFields): string {
  return `<${(e.facility ?? 1) * 8 + (e.severity ?? 5)}>`;
}

function rfc5424(e: LineFields, time: string | null): string {
  const body = vendorPrefix(e, false) + e.message;
  const sd = e.structuredData ? sdText(e.structuredData) : '-';
  return `${pri(e)}1 ${time ?? '-'} ${e.host ?? '-'} ${e.app ?? '-'} ${e.procId ?? '-'} ${e.msgId ?? '-'} ${sd}${body === '' ? '' : ' ' + body}`;
}

function bsd(e: LineFields, time: string | null): string {
  let s = pri(e);
  if (time !== null) s += time + ' ';
  if (e.host != null) s += e.host + ' ';
  const level = e.vendor?.['name'] === 'f5' ? e.vendor['level'] : undefined;
  if (typeof level === 'string') s += level + ' ';
  if (e.app != null) s += e.procId != null ? `${e.app}[${e.procId}]: ` : `${e.app}: `;
  return s + vendorPrefix(e, true) + e.message;
}

function cisco(e: LineFields, time: string | null, seqFirst: boolean): string {
  const v = e.vendor;
  let s = pri(e);
  const counter = v?.['counter'];
  const seq = v?.['seq'];
  if (typeof counter === 'number') s += counter + ': ';
  const seqText = typeof seq === 'number' ? String(seq).padStart(6, '0') + ': ' : '';
  const hostText = e.host != null ? e.host + ': ' : '';
  s += seqFirst ? seqText + hostText : hostText + seqText;
  if (time !== null) {
    const marker = v?.['clockMarker'];
    s += (typeof marker === 'string' ? marker : '') + time + ': ';
  }
  return s + vendorPrefix(e, true) + e.message;
}

/** What the vendor recogniser took off the start of the message, put back. */
function vendorPrefix(e: LineFields, legacy: boolean): string {
  const v = e.vendor;
  if (!v) return '';
  const name = v['name'];
  if (name === 'cisco' || name === 'cisco-asa' || name === 'cisco-ftd' || name === 'arista') {
    const code = ciscoCode(v, e.msgId);
    return code === null ? '' : `%${code}: `;
  }
  if (name === 'junos' && legacy) {
    const tag = v['eventTag'] ?? e.msgId;
    return typeof tag === 'string' ? tag + ': ' : '';
  }
  if (name === 'mikrotik' && Array.isArray(v['topics'])) return (v['topics'] as string[]).join(',') + ' ';
  return '';
}

/** RFC 5424 §6.3 structured data, values escaped (`"`, `\`, `]`). */
function sdText(sd: StructuredData): string {
  let s = '';
  for (const id in sd) {
    s += '[' + id;
    const params = sd[id]!;
    for (const name in params) {
      const value = params[name]!;
      if (typeof value === 'string') s += ` ${name}="${escapeSd(value)}"`;
      else for (const one of value) s += ` ${name}="${escapeSd(one)}"`;
    }
    s += ']';
  }
  return s;
}

function escapeSd(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34 || c === 92 || c === 93) return value.replace(/["\\\]]/g, '\\$&');
  }
  return value;
}
