import { schemaIds } from '../schemas.js';

/**
 * The `syslog/1` event: one JSON object, one CloudWatch log event (docs/ARCHITECTURE.md, "The event
 * contract"). Field names and their order are a public interface that saved Logs Insights queries
 * depend on: a rename needs a new schema version. The parser builds every event with this exact key
 * order so that V8 gives all events one shape and `JSON.stringify` prints them alike.
 */

export const SYSLOG_SCHEMA = schemaIds.syslog1;

/** RFC 5424 SD: SD-ID -> PARAM-NAME -> value; a PARAM-NAME that repeats gets an array. */
export type StructuredData = Record<string, Record<string, string | string[]>>;

export interface SyslogEvent {
  schema: typeof SYSLOG_SCHEMA;
  /** When the service read the datagram or frame: ISO 8601 UTC with milliseconds. */
  receivedAt: string;
  sourceIp: string;
  sourcePort: number;
  transport: 'udp' | 'tcp' | 'tls';
  /** 0..23 from the PRI; 1 (user) when the line had no readable PRI (then `priDefaulted`). */
  facility: number | null;
  /** 0..7 from the PRI; 5 (notice) when the line had no readable PRI (then `priDefaulted`). */
  severity: number | null;
  /** `kern`, `user`, ... `local7`. */
  facilityName: string | null;
  /** `emerg`, `alert`, `crit`, `err`, `warning`, `notice`, `info`, `debug`. */
  severityName: string | null;
  /**
   * Present, and true, only when the line had no PRI or an invalid one: facility and severity are
   * then PRI 13 (user.notice), as RFC 3164 §4.3.3 tells a relay to assume, not the sender's.
   */
  priDefaulted?: true;
  /** Device time in UTC (ISO, ms), only when the message fixes it (a zone or offset); else null. */
  timestamp: string | null;
  /** The device's timestamp text as sent, also when it could not be converted. */
  timestampRaw: string | null;
  host: string | null;
  app: string | null;
  procId: string | null;
  msgId: string | null;
  /** The body, trailing CR/LF/NUL removed. The whole text when the line could not be parsed. */
  message: string;
  structuredData: StructuredData | null;
  /** Vendor fields when a vendor format was recognised, always with `name` first. */
  vendor: Record<string, unknown> | null;
  /** The datagram or frame exactly as received, when it is valid UTF-8. */
  raw?: string;
  /** The datagram or frame as base64, when it is not valid UTF-8 (then `raw` is absent). */
  rawBase64?: string;
}
