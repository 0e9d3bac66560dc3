import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { AuditError } from '../errors.js';
import { compareEvents, type AuditEvent } from '../event.js';
import type { EventQuery } from './source.js';

/**
 * Reading with Logs Insights: StartQuery, then GetQueryResults until the query is done. A query
 * returns at most 10,000 rows (StartQuery's default `limit`). The query sorts by @timestamp before
 * its `limit`, so a full answer holds the earliest 10,000 rows of its range: every row before the
 * second of its last row is there. Those are kept, and the range is split there: the next query
 * starts at that second. A second that alone holds 10,000 rows or more cannot be split further
 * (StartQuery takes whole seconds) and is read with FilterLogEvents. No row is lost, none is read
 * twice, and each query moves the range on (a plain halving needed 25 queries where this needs 3).
 *
 * Ranges are owned as half-open milliseconds `[cursor, to)`, asking for the whole seconds that
 * cover them and keeping only owned rows: StartQuery's `endTime` is inclusive, but whether it means
 * the instant `endTime`.000 or the whole second is not documented; this is exact under either.
 *
 * The kept rows (at most 10,000, so memory stays bounded) are sorted into FilterLogEvents order
 * (time, stream). NB: Insights does not say in which order events of one stream and one
 * millisecond arrived; split parts are joined whatever their order.
 */
export const INSIGHTS_ROW_LIMIT = 10_000;
const POLL_MS = 1_000; // GetQueryResults is limited to 5 TPS per account; once a second is plenty
const MAX_POLLS = 3_600; // a query runs at most 60 minutes (quotas)

export function insightsQueryText(streams: readonly string[] | undefined): string {
  const filter = streams === undefined ? '' : ` | filter @logStream in [${streams.map((s) => JSON.stringify(s)).join(', ')}]`;
  return `fields @timestamp, @logStream, @message${filter} | sort @timestamp asc | limit ${INSIGHTS_ROW_LIMIT}`;
}

export interface InsightsOptions {
  client: CloudWatchLogsClient;
  call: <T>(operation: string, send: () => Promise<T>) => Promise<T>;
  logGroup: string;
  query: EventQuery;
  sleep: (ms: number) => Promise<void>;
  fallback: (from: number, to: number) => AsyncIterable<AuditEvent>;
}

/** `2026-11-22 23:00:00.123` (UTC) as Logs Insights prints @timestamp. */
export function parseInsightsTime(value: string): number {
  return Date.parse(`${value.replace(' ', 'T')}${/[Zz]|[+-]\d\d:\d\d$/.test(value) ? '' : 'Z'}`);
}

/**
 * A Logs Insights call whose error is not retried (a malformed query, a refused parameter, access
 * denied) fails the query: AUDIT_INSIGHTS_FAILED, one line naming the group and the service's error.
 */
function insightsCall(o: InsightsOptions): InsightsOptions['call'] {
  return async (operation, send) => {
    try {
      return await o.call(operation, send);
    } catch (err) {
      if (err instanceof AuditError && err.code === 'AUDIT_AWS_ERROR') {
        throw new AuditError('AUDIT_INSIGHTS_FAILED', `Logs Insights on ${o.logGroup}: ${err.message}`);
      }
      throw err;
    }
  };
}

async function runQuery(o: InsightsOptions, startS: number, endS: number): Promise<ResultField[][]> {
  const { client } = o;
  const call = insightsCall(o);
  const started = await call('StartQuery', () =>
    client.send(
      new StartQueryCommand({
        logGroupName: o.logGroup,
        startTime: startS,
        endTime: endS,
        queryString: insightsQueryText(o.query.streams),
        limit: INSIGHTS_ROW_LIMIT,
      }),
    ),
  );
  const queryId = started.queryId;
  if (queryId === undefined) throw new AuditError('AUDIT_INSIGHTS_FAILED', 'StartQuery returned no queryId');
  let done = false;
  try {
    for (let poll = 0; poll < MAX_POLLS; poll++) {
      const result = await call('GetQueryResults', () => client.send(new GetQueryResultsCommand({ queryId })));
      switch (result.status) {
        case 'Complete': {
          done = true;
          const rows = [...(result.results ?? [])];
          // Results of a query with a raised limit come in pages; read them all.
          for (let token = result.nextToken; token !== undefined;) {
            const next: string = token;
            const page = await call('GetQueryResults', () => client.send(new GetQueryResultsCommand({ queryId, nextToken: next })));
            rows.push(...(page.results ?? []));
            token = page.nextToken;
          }
          return rows;
        }
        case 'Failed':
        case 'Cancelled':
        case 'Timeout':
          done = true;
          throw new AuditError('AUDIT_INSIGHTS_FAILED', `Logs Insights query ${queryId} on ${o.logGroup} ended ${result.status}`);
        default: // Scheduled, Running (partial results are ignored), Unknown
          await o.sleep(POLL_MS);
      }
    }
    throw new AuditError('AUDIT_INSIGHTS_FAILED', `Logs Insights query ${queryId} did not complete in ${MAX_POLLS} polls`);
  } finally {
    // An abandoned query (error, consumer stopped) holds a concurrency slot until it ends.
    if (!done) await client.send(new StopQueryCommand({ queryId })).catch(() => {});
  }
}

function toEvent(row: ResultField[]): AuditEvent | undefined {
  let timestamp: number | undefined;
  let stream = '';
  let message: string | undefined;
  for (const field of row) {
    if (field.field === '@timestamp' && field.value !== undefined) timestamp = parseInsightsTime(field.value);
    else if (field.field === '@logStream') stream = field.value ?? '';
    else if (field.field === '@message') message = field.value;
  }
  return timestamp === undefined || Number.isNaN(timestamp) || message === undefined ? undefined : { stream, timestamp, message };
}

export async function* insightsEvents(o: InsightsOptions): AsyncGenerator<AuditEvent> {
  const { to } = o.query;
  let cursor = o.query.from;
  while (cursor < to) {
    const rows = await runQuery(o, Math.floor(cursor / 1000), Math.ceil(to / 1000));
    const events = rows.flatMap((row) => toEvent(row) ?? []);
    let end = to;
    if (rows.length >= INSIGHTS_ROW_LIMIT) {
      const last = events.reduce((max, e) => Math.max(max, e.timestamp), -Infinity);
      end = Math.min(to, Math.floor(last / 1000) * 1000);
      if (end <= cursor) {
        // One second with 10,000 rows or more: FilterLogEvents pages through it.
        const secondEnd = Math.min(to, Math.floor(cursor / 1000) * 1000 + 1000);
        yield* o.fallback(cursor, secondEnd);
        cursor = secondEnd;
        continue;
      }
    }
    const kept = events.filter((e) => e.timestamp >= cursor && e.timestamp < end);
    kept.sort(compareEvents);
    yield* kept;
    cursor = end;
  }
}
