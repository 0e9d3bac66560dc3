import { jsonString } from './json-string.js';
import { rebuildWith, type LayoutLetter } from './layouts.js';
import type { SyslogEvent } from './syslog1.js';
import { styleOf } from './time-styles.js';
import { compactVendor } from './vendor.js';

/** How the parser read the line: it picks the layouts worth trying. */
export type LineFormat = 'rfc5424' | 'rfc3164' | 'unparsed';

export interface Syslog2Options {
  /** Write the receive time (`rt`, epoch milliseconds): see syslog2.ts for why every sink gets it. */
  receivedAt: boolean;
}

const CISCO_LIKE: ReadonlySet<unknown> = new Set(['cisco', 'cisco-asa', 'cisco-ftd']);

/**
 * The `syslog/2` JSON of a parsed event (syslog2.ts), or null when the event cannot be written as
 * `syslog/2` without losing something (the caller then writes it as `syslog/1`).
 *
 * It runs once per message in the parse worker, so it builds the JSON text directly: strings go
 * through `jsonString` (JSON.stringify's escaping, without its copy for printable ASCII), the rest is
 * concatenation, and nothing is allocated per event beside the text, a compacted vendor object
 * and the rebuilt line (bench/parser.bench.mjs measures it: `parseSyslog + syslog/2 line as bytes`).
 * `receivedAtMs`: `e.receivedAt` in epoch ms when the caller has it (the service does: it read the
 * clock as a number), which saves parsing the ISO text back per message.
 */
export function encodeSyslog2(e: SyslogEvent, format: LineFormat, options: Syslog2Options, receivedAtMs?: number): string | null {
  const vendor = compactVendor(e);
  if (vendor === undefined) return null;
  // A reader takes a missing timestampRaw beside a timestamp for the timestamp's own text.
  if (e.timestampRaw === null && e.timestamp !== null) return null;

  // timestampRaw: left out when it is `timestamp` itself, or (with a layout) a UTC style renders it.
  const timeText = e.timestampRaw;
  let style = null;
  let keepTimeText = timeText !== null && timeText !== e.timestamp;
  if (keepTimeText && e.timestamp !== null) {
    style = styleOf(e.timestamp, timeText!);
  }

  // raw: left out when a layout rebuilds it byte for byte.
  let layout: string | null = null;
  if (e.raw !== undefined) {
    for (const letter of candidates(e, format)) {
      if (rebuildWith(e, letter, timeText) === e.raw) {
        layout = letter;
        break;
      }
    }
    if (layout !== null && style !== null) {
      layout += style;
      keepTimeText = false;
    }
  }

  let s = '{"v":2';
  if (options.receivedAt) s += ',"rt":' + (receivedAtMs ?? Date.parse(e.receivedAt));
  s += ',"sourceIp":' + jsonString(e.sourceIp) + ',"sourcePort":' + e.sourcePort + ',"transport":"' + e.transport + '"';
  s += ',"facility":' + e.facility + ',"severity":' + e.severity;
  if (e.priDefaulted) s += ',"priDefaulted":true';
  if (e.timestamp !== null) s += ',"timestamp":"' + e.timestamp + '"';
  if (keepTimeText) s += ',"timestampRaw":' + jsonString(timeText!);
  if (e.host !== null) s += ',"host":' + jsonString(e.host);
  if (e.app !== null) s += ',"app":' + jsonString(e.app);
  if (e.procId !== null) s += ',"procId":' + jsonString(e.procId);
  if (e.msgId !== null) s += ',"msgId":' + jsonString(e.msgId);
  s += ',"message":' + jsonString(e.message);
  if (e.structuredData !== null) s += ',"structuredData":' + JSON.stringify(e.structuredData);
  if (vendor !== null) s += ',"vendor":' + JSON.stringify(vendor);
  if (layout !== null) return s + ',"layout":"' + layout + '"}';
  if (e.raw !== undefined) return s + ',"raw":' + jsonString(e.raw) + '}';
  return s + ',"rawBase64":"' + e.rawBase64 + '"}';
}

const rfc5424: readonly LayoutLetter[] = ['5'];
const whole: readonly LayoutLetter[] = ['w'];
const none: readonly LayoutLetter[] = [];
const ciscoFirst: readonly LayoutLetter[] = ['c', 'b'];
const ciscoBoth: readonly LayoutLetter[] = ['c', 's', 'b'];
const bsdFirst: readonly LayoutLetter[] = ['b', 'c'];

/** The layouts to try, likeliest first; one is enough for nearly every line. */
function candidates(e: SyslogEvent, format: LineFormat): readonly LayoutLetter[] {
  if (e.priDefaulted) return whole;
  if (format === 'rfc5424') return rfc5424;
  if (format !== 'rfc3164') return none;
  const v = e.vendor;
  if (v === null || !(CISCO_LIKE.has(v['name']) || v['counter'] !== undefined)) return bsdFirst;
  return v['seq'] !== undefined && e.host !== null ? ciscoBoth : ciscoFirst;
}
