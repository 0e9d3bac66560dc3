/**
 * Public types of the fake CloudWatch Logs server. Tests (and the sink's tests in other workspaces)
 * program against these, so they change only compatibly.
 */

/**
 * One scripted misbehaviour, applied to one call of one operation (see `fault()`):
 * - `throttle`: HTTP 400 `ThrottlingException` ("Rate exceeded"), nothing applied.
 * - `service-unavailable`: HTTP 503 `ServiceUnavailableException`, nothing applied.
 * - `internal-error`: HTTP 500 `InternalFailure` (the AWS common error; the SDK raises a generic
 *   `CloudWatchLogsServiceException` named `InternalFailure` with `$fault: 'server'`), nothing applied.
 * - `hang`: the request is read and never answered. With `ms`, it is applied and answered normally
 *   after `ms` milliseconds (a slow server) unless the client hung up first, in which case it is
 *   never applied. Without `ms` it hangs until `close()`, which destroys the socket.
 * - `drop-before`: the socket is destroyed after the request is read, before it is applied.
 * - `drop-after`: the request IS applied (events stored), then the socket is destroyed without an
 *   answer: the client sees a network error for a write that happened (the ambiguous case).
 * - `resource-not-found`: HTTP 400 `ResourceNotFoundException`, nothing applied.
 * - `limit-exceeded`: HTTP 400 `LimitExceededException` (StartQuery's answer when too many
 *   queries run at once), nothing applied. The real quota is also enforced: see `maxConcurrentQueries`.
 * - `error`: any other error answer, HTTP `status` (default 400) with `{"__type": type}` (default
 *   `UnmodeledException`), nothing applied: for a client's handling of answers it does not know (the
 *   SDK raises a `CloudWatchLogsServiceException` named `type` for a name outside its model).
 */
export type Fault =
  | { kind: 'throttle' }
  | { kind: 'service-unavailable' }
  | { kind: 'internal-error' }
  | { kind: 'hang'; ms?: number }
  | { kind: 'drop-before' }
  | { kind: 'drop-after' }
  | { kind: 'resource-not-found' }
  | { kind: 'limit-exceeded' }
  | { kind: 'error'; type?: string; status?: number };

export type FaultKind = Fault['kind'];

/** The faults that can last (an outage) rather than be queued for single calls. */
export type OutageKind = 'service-unavailable' | 'drop-before' | 'throttle';

/** A log event as stored: what `GetLogEvents` would return for it. */
export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** One HTTP request the server received, in arrival order. */
export interface CallRecord {
  /** Operation from `X-Amz-Target` (`PutLogEvents`), or `''` when the target was missing. */
  operation: string;
  /** HTTP status sent; `0` when no answer was sent (hang, drop, server closed). */
  status: number;
  /** The request's `logGroupName` and `logStreamName`, when it names them. */
  logGroup?: string;
  logStream?: string;
  /** PutLogEvents only: number of events in the request, whatever became of them. */
  eventCount?: number;
  /** PutLogEvents only: batch size as CloudWatch counts it (UTF-8 bytes of each message + 26). */
  bytes?: number;
  /** The scripted fault applied to this call, if any. */
  fault?: FaultKind;
  /** Exception name (`__type`) when the answer was an error. */
  error?: string;
  /** True when the operation took effect (e.g. events stored), even if the client never heard. */
  applied: boolean;
  /** When the request arrived, by the server's clock (`now`). */
  at: number;
}

/** Logs Insights query statuses, as GetQueryResults and DescribeQueries report them. */
export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout' | 'Unknown';

/**
 * How the next query started with StartQuery behaves (see `scriptQueries()`). GetQueryResults
 * calls move it on, nothing else does: a query with `{ runningPolls: 2 }` answers `Running`,
 * `Running`, then `Complete`. Without a plan a query is complete at once.
 */
export interface QueryPlan {
  /** First answer `Scheduled` to this many GetQueryResults calls. Default 0. */
  scheduledPolls?: number;
  /** Then `Running` to this many. Default 0. */
  runningPolls?: number;
  /** Then this status for good. `Complete` (default) carries the rows; `Failed` and `Timeout` none. */
  outcome?: 'Complete' | 'Failed' | 'Timeout';
  /** While `Running`, answer with the first half of the rows (the service returns partial results). Default: none. */
  partialResults?: boolean;
}

/** A query StartQuery accepted, as the fake saw it. */
export interface QueryRecord {
  queryId: string;
  queryString: string;
  /** Log group names (ARNs given as `logGroupIdentifiers` are reduced to names). */
  logGroups: string[];
  /** Epoch seconds, as sent. */
  startTime: number;
  endTime: number;
  /** StartQuery's `limit`, when sent. */
  limit?: number;
  status: QueryStatus;
  /** GetQueryResults calls so far. */
  polls: number;
  /** Server clock (ms) at StartQuery. */
  createTime: number;
}

export interface FakeCloudWatchLogsOptions {
  /** Clock in ms since the epoch: ingestion times, too old/too new, creation times. Default `Date.now`. */
  now?: () => number;
  /** TCP port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Logs Insights queries Scheduled or Running at once before StartQuery answers LimitExceededException. Default 100 (the service quota). */
  maxConcurrentQueries?: number;
}

export interface FakeCloudWatchLogs {
  /** `http://127.0.0.1:PORT`: give it to the SDK as `endpoint` or `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`. */
  readonly endpoint: string;
  /** Queues faults (FIFO) for the next calls of `operation`, one fault per call. Throws on unknown names. */
  fault(operation: string, ...faults: Fault[]): void;
  /**
   * Makes every call of `operation` (or of every operation, `'*'`) fail with `kind` until called
   * again with `null`. Queued faults of `fault()` are used first; an operation's own outage wins
   * over the `'*'` outage.
   */
  outage(operation: string, kind: OutageKind | null): void;
  /**
   * Makes every call of `operation` (or of every operation, `'*'`) that meets no fault wait `ms`
   * (real time) before it is applied and answered, until called again with `null`: a slow service.
   * A client that hangs up meanwhile leaves it unapplied, as with `hang`.
   */
  latency(operation: string, ms: number | null): void;
  /** Stored events of one stream, ordered by timestamp then arrival; `[]` when the stream is unknown. */
  events(logGroup: string, logStream: string): StoredLogEvent[];
  /** Existing streams, ordered by group then stream name. */
  streams(logGroup?: string): { logGroup: string; logStream: string }[];
  /** Copies of the call records, optionally of one operation only. */
  calls(operation?: string): CallRecord[];
  /** Resolves with the record of the next call of `operation` (any when omitted) as soon as it is read. */
  nextCall(operation?: string): Promise<CallRecord>;
  /** Resolves when no request is in flight (a `hang` without `ms` only ends at `close()`). */
  settled(): Promise<void>;
  /** Retention set by `PutRetentionPolicy`, per existing log group. */
  retentionPolicies(): Record<string, number>;
  /** Pre-seeding, as the operations would do it; throws when the resource already exists. */
  createLogGroup(name: string): void;
  createLogStream(group: string, stream: string): void;
  /** Queues plans (FIFO) for the next StartQuery calls, one plan per query; unplanned queries complete at once. */
  scriptQueries(...plans: QueryPlan[]): void;
  /** Every query StartQuery accepted, oldest first. */
  queries(): QueryRecord[];
  /** Stops listening and destroys every connection, hung ones included. Idempotent. */
  close(): Promise<void>;
}
