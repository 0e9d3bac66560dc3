import type { AuditEvent } from '../event.js';
import type { ServiceName } from '@netsidecar/contracts';
import type { TimeRange } from '../time-range.js';

/** What one read asks for: a service, some streams (all when omitted), `[from, to)`. */
export interface EventQuery {
  service: ServiceName;
  streams?: readonly string[];
  from: number;
  to: number;
  /**
   * A CloudWatch term filter pattern that FilterLogEvents applies on the server, to fetch less. Only
   * a hint: other reads (files, Logs Insights) return every event, so the caller must filter the
   * events itself and the pattern must keep every event it wants.
   */
  hint?: string;
}

/** How a file of the evidence was produced, for the MANIFEST. */
export interface Provenance {
  source: 'file' | 'cloudwatch' | 'archive';
  /** `FilterLogEvents`, `StartQuery` (Logs Insights), `read` (file sink) or `ListObjectsV2+GetObject` (archive). */
  method: string;
  logGroup: string;
  logStreams: readonly string[] | 'all';
  from: string;
  to: string;
  /** The Logs Insights query text, the files read, or the archive objects read. */
  query?: string;
}

/**
 * Where events come from: the local file sink, CloudWatch Logs or the S3 archive. They give the same
 * events in the same order for the same data (time, then stream name; split events joined), which
 * the tests check.
 */
export interface EventSource {
  readonly kind: 'file' | 'cloudwatch' | 'archive';
  /** The log group of a service (`/netsidecar/syslog`). */
  logGroup(service: ServiceName): string;
  /**
   * Stream names of a service's log group, sorted by code unit; throws AUDIT_NO_LOG_GROUP when
   * absent. CloudWatch and the file sink list every stream; the archive, which has no stream index,
   * the streams with events `within` the range (it requires one).
   */
  streams(service: ServiceName, within?: TimeRange): Promise<string[]>;
  /**
   * How the log group keeps events: retention in days (`undefined` when events never expire: file
   * sink, no policy) and the KMS key that encrypts it (`undefined`: CloudWatch's own key, or not CloudWatch).
   */
  logGroupSettings(service: ServiceName): Promise<LogGroupSettings>;
  /** Time of the newest event of one stream, or `undefined` when it has none. */
  lastEventTime(service: ServiceName, stream: string): Promise<number | undefined>;
  /**
   * The newest event of one stream in `[from, to)` whose message `accept`s, read newest first and
   * stopping at the first match (the look-back of `evidence`: a device's last upload before the
   * range). A split message (`part/1`) is never accepted: the events looked for are small.
   */
  newestMatching(service: ServiceName, stream: string, from: number, to: number, accept: (message: string) => boolean): Promise<AuditEvent | undefined>;
  /** The events of the query, streamed in order, split events joined. */
  events(query: EventQuery): AsyncIterable<AuditEvent>;
  provenance(query: EventQuery): Provenance;
  /** API calls made so far by operation (CloudWatch) or files opened (file). */
  calls(): Record<string, number>;
  close(): Promise<void>;
}

export interface LogGroupSettings {
  retentionDays: number | undefined;
  kmsKeyId: string | undefined;
}
