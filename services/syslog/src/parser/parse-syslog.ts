import { FACILITY_NAMES, SEVERITY_NAMES, SYSLOG_SCHEMA, type SyslogEvent } from '@netsidecar/contracts';
import { decodeBytes, type DecodedText } from './decode.js';
import { emptyDraft, type Draft } from './draft.js';
import { emptyHints } from './hints.js';
import { isoString } from './iso-string.js';
import { readPri } from './pri.js';
import { parseRfc5424 } from './rfc5424.js';
import { parseLegacy } from './rfc3164.js';
import { recognizeVendor } from './vendor/recognize.js';

/**
 * Where and when a datagram or frame arrived; the parser copies it into the event and keeps no
 * reference to it or its Date (a parse worker reuses one context, Date included, for a whole batch).
 */
export interface ReceiveContext {
  receivedAt: Date;
  sourceIp: string;
  sourcePort: number;
  transport: 'udp' | 'tcp' | 'tls';
}

/**
 * Which grammar the line followed: `rfc5424`; `rfc3164` for every legacy/BSD-style line, vendor
 * variants included; `unparsed` when the line had no valid PRI, so it was kept whole.
 */
export type ParseFormat = 'rfc5424' | 'rfc3164' | 'unparsed';

/** RFC 3164 §4.3.3: what a relay assumes for a line without a valid PRI, user.notice (PRI 13). */
const DEFAULT_PRI = 13;

/**
 * One received datagram or frame (framing already removed) to one `syslog/1` event.
 * Never throws and never drops text: a line it cannot read is kept whole in `message`, and `raw`
 * (or `rawBase64` for invalid UTF-8) always holds the bytes as received. See README.md beside this
 * file for the decisions on time zones, missing PRI and vendor fields.
 */
export interface Parsed {
  event: SyslogEvent;
  format: ParseFormat;
  /** `event.receivedAt` as epoch ms, the number it was rendered from (the syslog/2 encoder writes it as `rt`). */
  receivedMs: number;
}

export function parseSyslog(raw: Uint8Array, ctx: ReceiveContext): Parsed {
  const decoded = safeDecode(raw);
  let receivedMs = ctx.receivedAt instanceof Date ? ctx.receivedAt.getTime() : NaN;
  // The receive path always passes a valid Date; this only keeps the never-throw promise.
  if (!Number.isFinite(receivedMs)) receivedMs = Date.now();
  const receivedAt = isoString(receivedMs);
  const text = trimEnd(decoded.text);
  try {
    return parseText(text, decoded, ctx, receivedMs, receivedAt);
  } catch {
    // A parser bug must not lose the line: keep it whole, with its PRI when it has one.
    const pri = readPri(text);
    if (pri === null) return { event: priDefaultedEvent(ctx, receivedAt, text, decoded), format: 'unparsed', receivedMs };
    return { event: buildEvent(ctx, receivedAt, pri.value, wholeTextDraft(text), decoded), format: 'unparsed', receivedMs };
  }
}

function parseText(text: string, decoded: DecodedText, ctx: ReceiveContext, receivedMs: number, receivedAt: string): Parsed {
  const pri = readPri(text);
  // RFC 3164 §4.3.3: without a valid PRI the whole line is the content; nothing else is read.
  if (pri === null) return { event: priDefaultedEvent(ctx, receivedAt, text, decoded), format: 'unparsed', receivedMs };
  const d = emptyDraft();
  const i = pri.end;
  let format: ParseFormat;
  if (text.charCodeAt(i) === 49 /* 1 */ && text.charCodeAt(i + 1) === 32 && parseRfc5424(text, i + 2, receivedMs, d)) {
    format = 'rfc5424';
    recognizeVendor(d, null, receivedMs);
  } else {
    const h = emptyHints();
    parseLegacy(text, i, receivedMs, d, h);
    format = 'rfc3164';
    recognizeVendor(d, h, receivedMs);
  }
  return { event: buildEvent(ctx, receivedAt, pri.value, d, decoded), format, receivedMs };
}

/** A line kept whole: the text is the message, every other field null. */
function wholeTextDraft(text: string): Draft {
  const d = emptyDraft();
  d.message = text;
  return d;
}

/** Builds the event in the contract's key order (see event.ts). */
function buildEvent(ctx: ReceiveContext, receivedAt: string, pri: number, d: Draft, decoded: DecodedText): SyslogEvent {
  const facility = pri >> 3;
  const severity = pri & 7;
  const event: SyslogEvent = {
    schema: SYSLOG_SCHEMA,
    receivedAt,
    sourceIp: ctx.sourceIp,
    sourcePort: ctx.sourcePort,
    transport: ctx.transport,
    facility,
    severity,
    facilityName: FACILITY_NAMES[facility] ?? null,
    severityName: SEVERITY_NAMES[severity] ?? null,
    timestamp: d.timestamp,
    timestampRaw: d.timestampRaw,
    host: d.host,
    app: d.app,
    procId: d.procId,
    msgId: d.msgId,
    message: d.message,
    structuredData: d.structuredData,
    vendor: d.vendor,
  };
  if (decoded.valid) event.raw = decoded.text;
  else event.rawBase64 = decoded.bytes.toString('base64');
  return event;
}

/**
 * A line without a valid PRI: PRI 13, flagged, the whole text as `message` and no other field.
 * `priDefaulted` goes right after the PRI fields it qualifies; the rest keeps the contract order.
 */
function priDefaultedEvent(ctx: ReceiveContext, receivedAt: string, text: string, decoded: DecodedText): SyslogEvent {
  const {
    schema,
    receivedAt: at,
    sourceIp,
    sourcePort,
    transport,
    facility,
    severity,
    facilityName,
    severityName,
    ...rest
  } = buildEvent(ctx, receivedAt, DEFAULT_PRI, wholeTextDraft(text), decoded);
  return { schema, receivedAt: at, sourceIp, sourcePort, transport, facility, severity, facilityName, severityName, priDefaulted: true, ...rest };
}

function safeDecode(raw: Uint8Array): DecodedText {
  try {
    return decodeBytes(raw);
  } catch {
    return decodeBytes(new Uint8Array(0));
  }
}

/** Trailing CR, LF and NUL are framing, not text (TCP LF framing, C strings, `\r\n` senders). */
function trimEnd(s: string): string {
  let e = s.length;
  for (;;) {
    const c = s.charCodeAt(e - 1);
    if (c !== 10 && c !== 13 && c !== 0) break;
    e--;
  }
  return e === s.length ? s : s.slice(0, e);
}
