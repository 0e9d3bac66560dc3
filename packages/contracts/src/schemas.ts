import type { ServiceName } from './services.js';

/**
 * Every event schema netsidecar writes, who writes it, and which field holds the event's time
 * (docs/ARCHITECTURE.md, "The event contract"). The CloudWatch event timestamp is that time; the
 * file sink and the S3 archive keep the message alone, so their readers take the time from it.
 */
export const schemaIds = {
  syslog1: 'syslog/1',
  /** Written as `{"v":2,...}` in place of a `schema` field (the log group names it). */
  syslog2: 'syslog/2',
  ntp1: 'ntp/1',
  config1: 'config/1',
  /** A field of a `config/1` event detached into numbered parts (parts.ts). */
  configPart1: 'config-part/1',
  scan1: 'scan/1',
  audit1: 'audit/1',
  /** A message the CloudWatch sink cut into numbered parts (parts.ts). */
  part1: 'part/1',
} as const;

export type SchemaId = (typeof schemaIds)[keyof typeof schemaIds];

export interface SchemaEntry {
  /** The log group it goes to; `any` for the sink's parts, which go where the cut message went. */
  writer: ServiceName | 'audit' | 'any';
  /**
   * The field with the event time, `null` when the message has none (its CloudWatch timestamp is
   * that of the message it was cut from). `rt` is epoch milliseconds; the others are ISO 8601 UTC, ms.
   */
  timeField: 'receivedAt' | 'rt' | 'time' | null;
}

export const schemaTable: Readonly<Record<SchemaId, SchemaEntry>> = {
  'syslog/1': { writer: 'syslog', timeField: 'receivedAt' },
  'syslog/2': { writer: 'syslog', timeField: 'rt' },
  'ntp/1': { writer: 'ntp', timeField: 'time' },
  'config/1': { writer: 'config', timeField: 'receivedAt' },
  'config-part/1': { writer: 'config', timeField: 'receivedAt' },
  'scan/1': { writer: 'scan', timeField: 'time' },
  'audit/1': { writer: 'audit', timeField: 'time' },
  'part/1': { writer: 'any', timeField: null },
};

/** The ISO 8601 time fields, each schema's once: what a reader of a message without its timestamp looks for. */
export const isoTimeFields: readonly string[] = [
  ...new Set(Object.values(schemaTable).flatMap((s) => (s.timeField === null || s.timeField === 'rt' ? [] : [s.timeField]))),
];
