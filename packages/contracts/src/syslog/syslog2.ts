import type { StructuredData } from './syslog1.js';

/**
 * The `syslog/2` event: `syslog/1` without what CloudWatch or the event's other fields already hold
 * (services/syslog/README.md, "The event: syslog/2"). Field names and meanings are those of
 * `syslog/1`; what differs is which fields are written:
 *
 * - `v: 2` stands in for `schema` (the log group already says "syslog"); a `syslog/1` event has
 *   `schema` and no `v`, so a reader tells them apart in one log group.
 * - `rt`, the receive time in milliseconds since the epoch, stands in for `receivedAt` (19 bytes
 *   instead of 40, and every byte is billed). CloudWatch Logs keeps it as the event's `@timestamp`
 *   too, but the S3 archive stores the message alone (Firehose's message extraction drops the
 *   envelope), so the event carries it with every sink.
 * - No `facilityName`/`severityName` (from the numbers); no null field; `timestampRaw` only when
 *   `timestamp` does not render it (see `timestampRawOf`); vendor fields that other fields give
 *   (vendor.ts) left out.
 * - No `raw` when the line rebuilds byte for byte from the fields: `layout` then says how
 *   (layouts.ts), and is present exactly when `raw` and `rawBase64` are absent.
 *
 * `expandSyslog2` gives back the `syslog/1` event, byte for byte (tested on every corpus line and
 * on fuzzed lines): nothing is lost.
 */
export interface Syslog2Event {
  v: 2;
  /** Receive time, ms since the epoch (`receivedAt` of syslog/1). */
  rt?: number;
  sourceIp: string;
  sourcePort: number;
  transport: 'udp' | 'tcp' | 'tls';
  facility: number;
  severity: number;
  priDefaulted?: true;
  timestamp?: string;
  timestampRaw?: string;
  host?: string;
  app?: string;
  procId?: string;
  msgId?: string;
  message: string;
  structuredData?: StructuredData;
  vendor?: Record<string, unknown>;
  raw?: string;
  rawBase64?: string;
  layout?: string;
}

export const SYSLOG2_VERSION = 2;

/** Where every `syslog/2` message starts: a reader can tell the version without parsing the JSON. */
export const SYSLOG2_PREFIX = '{"v":2,';

export function isSyslog2Message(message: string): boolean {
  return message.startsWith(SYSLOG2_PREFIX);
}
