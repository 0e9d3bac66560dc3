import { isoTimeFields } from '@netsidecar/contracts';

/** One stored event, whatever the source: the same three things CloudWatch keeps. */
export interface AuditEvent {
  /** Log stream: the device name (syslog), client address or `upstream` (ntp), ... */
  stream: string;
  /** Milliseconds since the epoch: the CloudWatch event timestamp (`receivedAt`, `rt` for syslog/2, or `time` for ntp/1). */
  timestamp: number;
  /** The event JSON exactly as stored (split events already put back together). */
  message: string;
}

/**
 * The time fields the services set as the CloudWatch event timestamp (the schema table of
 * @netsidecar/contracts), in the order tried. The file
 * sink keeps only the message, so the file source reads the time from it. `indexOf` and a fixed
 * width slice instead of JSON.parse: the bench reads a million lines, and parsing each whole
 * message just for its time tripled the cost.
 */
const timeKeys = isoTimeFields.map((name) => `"${name}":"`);

/** A `syslog/2` event's receive time: epoch milliseconds, written right after the version. */
const syslog2TimePrefix = '{"v":2,"rt":';

export function timeOfMessage(message: string): number {
  if (message.startsWith(syslog2TimePrefix)) {
    const start = syslog2TimePrefix.length;
    const end = message.indexOf(',', start);
    const ms = end > start && end - start <= 16 ? Number(message.slice(start, end)) : Number.NaN;
    if (Number.isSafeInteger(ms)) return ms;
  }
  for (const key of timeKeys) {
    const at = message.indexOf(key);
    if (at < 0) continue;
    const start = at + key.length;
    const end = message.indexOf('"', start);
    if (end < 0 || end - start > 40) continue;
    const ms = Date.parse(message.slice(start, end));
    if (Number.isFinite(ms)) return ms;
  }
  return Number.NaN;
}

/** Order of FilterLogEvents across streams: time, then stream name by code unit. */
export function compareEvents(a: AuditEvent, b: AuditEvent): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;
}

/** Parses an event's JSON; `undefined` (never a throw) for a message that is not a JSON object. */
export function parseEvent(message: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
