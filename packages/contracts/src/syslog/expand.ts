import { FACILITY_NAMES, SEVERITY_NAMES } from './names.js';
import { rebuildRaw, styleOfLayout, timeTextOf } from './layouts.js';
import { SYSLOG_SCHEMA, type SyslogEvent } from './syslog1.js';
import { SYSLOG2_PREFIX, type Syslog2Event } from './syslog2.js';
import { expandVendor } from './vendor.js';

/** `timestampRaw` of a `syslog/2` event: stored, or rendered from `timestamp` (syslog2.ts). */
export function timestampRawOf(e: Syslog2Event): string | null {
  return timeTextOf(e, styleOfLayout(e.layout));
}

/** `raw` of a `syslog/2` event: stored, or rebuilt with its layout; null when it has `rawBase64`. */
export function rawOf(e: Syslog2Event): string | null {
  if (e.raw !== undefined) return e.raw;
  if (e.layout === undefined) return null;
  return rebuildRaw(e, e.layout);
}

/**
 * The `syslog/1` event a `syslog/2` event stands for, the same bytes once `JSON.stringify`'d as the
 * service would have written with `NETSIDECAR_SYSLOG_SCHEMA=1`. `receivedAtMs` is the CloudWatch
 * event timestamp (`@timestamp`), used when the event has no `rt` of its own.
 */
export function expandSyslog2(e: Syslog2Event, receivedAtMs: number): SyslogEvent {
  const event: SyslogEvent = {
    schema: SYSLOG_SCHEMA,
    receivedAt: new Date(e.rt ?? receivedAtMs).toISOString(),
    sourceIp: e.sourceIp,
    sourcePort: e.sourcePort,
    transport: e.transport,
    facility: e.facility,
    severity: e.severity,
    facilityName: FACILITY_NAMES[e.facility] ?? null,
    severityName: SEVERITY_NAMES[e.severity] ?? null,
    timestamp: e.timestamp ?? null,
    timestampRaw: timestampRawOf(e),
    host: e.host ?? null,
    app: e.app ?? null,
    procId: e.procId ?? null,
    msgId: e.msgId ?? null,
    message: e.message,
    structuredData: e.structuredData ?? null,
    vendor: expandVendor(e),
  };
  if (e.rawBase64 !== undefined) event.rawBase64 = e.rawBase64;
  else {
    const raw = rawOf(e);
    if (raw !== null) event.raw = raw;
  }
  if (!e.priDefaulted) return event;
  // As the parser orders it: right after the PRI fields it qualifies.
  const { schema, receivedAt, sourceIp, sourcePort, transport, facility, severity, facilityName, severityName, ...rest } = event;
  return { schema, receivedAt, sourceIp, sourcePort, transport, facility, severity, facilityName, severityName, priDefaulted: true, ...rest };
}

/**
 * A stored syslog message as `syslog/1` JSON: a `syslog/2` one expanded (see expandSyslog2), any
 * other returned as it is. Never throws: a message that is not a readable `syslog/2` event comes
 * back unchanged.
 */
export function syslogMessageAsVersion1(message: string, receivedAtMs: number): string {
  if (!message.startsWith(SYSLOG2_PREFIX)) return message;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return message;
  }
  if (!isSyslog2Shape(parsed)) return message;
  return JSON.stringify(expandSyslog2(parsed, receivedAtMs));
}

function isSyslog2Shape(value: unknown): value is Syslog2Event {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    e['v'] === 2 &&
    typeof e['message'] === 'string' &&
    typeof e['facility'] === 'number' &&
    typeof e['severity'] === 'number' &&
    typeof e['sourceIp'] === 'string'
  );
}
