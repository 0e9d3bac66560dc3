/**
 * Public types of the Logs Insights stand-in. The CDK query tests and the audit CLI's tests
 * program against these: they change only compatibly.
 */

/** One log event as CloudWatch Logs stores it, with where it lives. */
export interface InsightsEvent {
  /** Event time, ms since the epoch (`@timestamp`). */
  timestamp: number;
  /** When CloudWatch received it, ms since the epoch (`@ingestionTime`); defaults to `timestamp`. */
  ingestionTime?: number;
  /** The raw message (`@message`); a JSON object message has its fields discovered. */
  message: string;
  /** `@logStream`. */
  logStream: string;
  /** Log group name; `@log` is `<accountId>:<logGroup>`. */
  logGroup: string;
  /**
   * A stable identity for `@ptr` (the fake server passes its event id). Without it `@ptr` comes
   * from the event's content and its rank among identical events of the input: the same event
   * gets the same `@ptr` in every query over the same events, so clients can drop rows seen twice.
   */
  id?: string;
}

/** One field of one result row, as in GetQueryResults. */
export interface ResultField {
  field: string;
  value: string;
}

/** Statistics as GetQueryResults reports them. */
export interface InsightsStatistics {
  /** Log events that matched the query's filters (before `stats`, `dedup` and `limit`). */
  recordsMatched: number;
  /** Log events in the time range of the selected log groups. */
  recordsScanned: number;
  /** UTF-8 bytes of the scanned messages. */
  bytesScanned: number;
}

export interface InsightsResult {
  /** Rows as GetQueryResults returns them: each an array of `{field, value}`, absent fields left out; non-`stats` rows end with `@ptr`. */
  results: ResultField[][];
  /** The same rows as plain objects, without `@ptr`: the easy form for assertions. */
  records: Record<string, string>[];
  /** Field names the query displays, in display order (without `@ptr`). */
  fields: string[];
  statistics: InsightsStatistics;
}

export interface InsightsOptions {
  /** Inclusive lower bound on `@timestamp`, ms. Default: no bound. */
  startTime?: number;
  /** Inclusive upper bound on `@timestamp`, ms. Default: no bound. */
  endTime?: number;
  /** Only events of these log groups (StartQuery's `logGroupNames`). Default: every event given. */
  logGroups?: readonly string[];
  /** StartQuery's `limit` (1..100,000): the most rows returned, whatever the query's `limit` says. Default 10,000. */
  limit?: number;
  /** Account in `@log` values. Default `123456789012` (the fake server's account). */
  accountId?: string;
}
