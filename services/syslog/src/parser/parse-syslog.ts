import { SYSLOG_SCHEMA, type SyslogEvent } from '../event.js';
import { decodeBytes, type DecodedText } from './decode.js';
import { emptyDraft, type Draft } from './draft.js';
import { emptyHints } from './hints.js';
import { isoString } from './iso-string.js';
import { FACILITY_NAMES, SEVERITY_NAMES, readPri } from './pri.js';
import { parseRfc5424 } from './rfc5424.js';
import { parseLegacy } from './rfc3164.js';
import { recognizeVendor } from './vendor/recognize.js';

/** Where and when a datagram or frame arrived; the parser copies it into the event. */
export interface ReceiveContext {
  receivedAt: Date;
  sourceIp: string;
  sourcePort: number;
  transport: 'udp' | 'tcp' | 'tls';
}

/**
 * Which grammar the line followed: `rfc5424`; `rfc3164` for every legacy/BSD-style line, vendor
 * variants included; `unparsed` when no PRI could be read and no header time either.
 */
export type ParseFormat = 'rfc5424' | 'rfc3164' | 'unparsed';

/** RFC 3164 §4.3.3: what a relay assumes for a line without PRI, user.notice (PRI 13). */
const NO_PRI_FACILITY = 1;
const NO_PRI_SEVERITY = 5;

/**
 * One received datagram or frame (framing already removed) to one `syslog/1` event.
 * Never throws and never drops text: a line it cannot read is kept whole in `message`, and `raw`
 * (or `rawBase64` for invalid UTF-8) always holds the bytes as received. See README.md beside this
 * file for the decisions on time zones, missing PRI and vendor fields.
 */
export function parseSyslog(raw: Uint8Array, ctx: ReceiveContext): { event: SyslogEvent; format: ParseFormat } {
  const decoded = safeDecode(raw);
  let receivedMs = ctx.receivedAt instanceof Date ? ctx.receivedAt.getTime() : NaN;
  // The receive path always passes a valid Date; this only keeps the never-throw promise.
  if (!Number.isFinite(receivedMs)) receivedMs = Date.now();
  const receivedAt = isoString(receivedMs);
  const text = trimEnd(decoded.text);
  try {
    return parseText(text, decoded, ctx, receivedMs, receivedAt);
  } catch {
    // A parser bug must not lose the line: keep it whole, as for any line it cannot read.
    const d = emptyDraft();
    d.message = text;
    return { event: buildEvent(ctx, receivedAt, -1, d, decoded), format: 'unparsed' };
  }
}

function parseText(text: string, decoded: DecodedText, ctx: ReceiveContext, receivedMs: number, receivedAt: string): { event: SyslogEvent; format: ParseFormat } {
  const d = emptyDraft();
  const pri = readPri(text);
  let format: ParseFormat;
  let priValue: number;
  if (pri !== null) {
    priValue = pri.value;
    const i = pri.end;
    if (text.charCodeAt(i) === 49 /* 1 */ && text.charCodeAt(i + 1) === 32 && parseRfc5424(text, i + 2, receivedMs, d)) {
      format = 'rfc5424';
      recognizeVendor(d, null, receivedMs);
    } else {
      const h = emptyHints();
      parseLegacy(text, i, receivedMs, d, h);
      format = 'rfc3164';
      recognizeVendor(d, h, receivedMs);
    }
  } else {
    const h = emptyHints();
    parseLegacy(text, 0, receivedMs, d, h);
    if (h.hasTime) {
      format = 'rfc3164';
      priValue = NO_PRI_FACILITY * 8 + NO_PRI_SEVERITY;
      recognizeVendor(d, h, receivedMs);
    } else {
      return { event: buildEvent(ctx, receivedAt, -1, unparsedDraft(text), decoded), format: 'unparsed' };
    }
  }
  return { event: buildEvent(ctx, receivedAt, priValue, d, decoded), format };
}

function unparsedDraft(text: string): Draft {
  const d = emptyDraft();
  d.message = text;
  return d;
}

/** Builds the event in the contract's key order (see event.ts). `pri` -1 means no PRI. */
function buildEvent(ctx: ReceiveContext, receivedAt: string, pri: number, d: Draft, decoded: DecodedText): SyslogEvent {
  const facility = pri < 0 ? null : pri >> 3;
  const severity = pri < 0 ? null : pri & 7;
  const event: SyslogEvent = {
    schema: SYSLOG_SCHEMA,
    receivedAt,
    sourceIp: ctx.sourceIp,
    sourcePort: ctx.sourcePort,
    transport: ctx.transport,
    facility,
    severity,
    facilityName: facility === null ? null : (FACILITY_NAMES[facility] ?? null),
    severityName: severity === null ? null : (SEVERITY_NAMES[severity] ?? null),
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
