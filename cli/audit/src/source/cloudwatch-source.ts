import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type CloudWatchLogsClient,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { AuditError } from '../errors.js';
import type { AuditEvent } from '../event.js';
import { joinParts, type JoinStats } from '../parts-joiner.js';
import { logGroupOf, type ServiceName } from '@netsidecar/contracts';
import { iso } from '../time-range.js';
import { insightsEvents, insightsQueryText } from './insights.js';
import { mergeByTime } from './merge.js';
import { countedCalls, defaultRetryPolicy, type RetryPolicy } from './retry.js';
import type { EventQuery, EventSource, Provenance } from './source.js';

export interface CloudWatchSourceOptions {
  client: CloudWatchLogsClient;
  logGroupPrefix: string;
  /** Read with Logs Insights (StartQuery) instead of FilterLogEvents. */
  insights?: boolean;
  retry?: RetryPolicy;
  joinStats?: JoinStats;
  /** Called on each retried call (progress shows it). */
  onRetry?: (operation: string) => void;
}

/** FilterLogEvents takes at most 100 names in `logStreamNames` (API reference). */
const MAX_STREAM_NAMES = 100;

export function createCloudWatchSource(options: CloudWatchSourceOptions): EventSource {
  const { client } = options;
  const policy = options.retry ?? defaultRetryPolicy();
  const joinStats = options.joinStats ?? { joined: 0, incomplete: 0 };
  const counts: Record<string, number> = {};
  const group = (service: ServiceName) => logGroupOf(options.logGroupPrefix, service);

  const call = countedCalls(policy, counts, options.onRetry);

  const notFound = (service: ServiceName) => new AuditError('AUDIT_NO_LOG_GROUP', `log group ${group(service)} does not exist in this account and region`);

  const withGroup = async <T>(service: ServiceName, send: () => Promise<T>, operation: string): Promise<T> => {
    try {
      return await call(operation, send);
    } catch (err) {
      if (err instanceof AuditError && err.code === 'AUDIT_AWS_ERROR' && err.message.includes('ResourceNotFoundException')) {
        throw notFound(service);
      }
      throw err;
    }
  };

  async function streams(service: ServiceName): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await withGroup(
        service,
        () => client.send(new DescribeLogStreamsCommand({ logGroupName: group(service), nextToken })),
        'DescribeLogStreams',
      );
      for (const s of page.logStreams ?? []) if (s.logStreamName !== undefined) names.push(s.logStreamName);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async function* filter(
    service: ServiceName,
    names: readonly string[] | undefined,
    from: number,
    to: number,
    filterPattern?: string,
  ): AsyncGenerator<AuditEvent> {
    let nextToken: string | undefined;
    do {
      const page = await withGroup(
        service,
        () =>
          client.send(
            new FilterLogEventsCommand({
              logGroupName: group(service),
              ...(names === undefined ? {} : { logStreamNames: [...names] }),
              startTime: from,
              endTime: to - 1, // FilterLogEvents' endTime is inclusive; our ranges exclude `to`
              ...(filterPattern === undefined ? {} : { filterPattern }),
              nextToken,
            }),
          ),
        'FilterLogEvents',
      );
      for (const e of page.events ?? ([] as FilteredLogEvent[])) {
        if (e.message === undefined || e.timestamp === undefined) continue;
        yield { stream: e.logStreamName ?? '', timestamp: e.timestamp, message: e.message };
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }

  function raw(query: EventQuery): AsyncIterable<AuditEvent> {
    if (options.insights) {
      return insightsEvents({
        client,
        call: (operation, send) => withGroup(query.service, send, operation),
        logGroup: group(query.service),
        query,
        sleep: policy.sleep,
        // A second holding more than 10,000 events cannot be split further in Logs Insights (its
        // times are whole seconds): that second is read with FilterLogEvents instead.
        fallback: (from, to) => filter(query.service, query.streams, from, to),
      });
    }
    const names = query.streams;
    if (names === undefined || names.length <= MAX_STREAM_NAMES) return filter(query.service, names, query.from, query.to, query.hint);
    const chunks: string[][] = [];
    for (let i = 0; i < names.length; i += MAX_STREAM_NAMES) chunks.push(names.slice(i, i + MAX_STREAM_NAMES));
    return mergeByTime(chunks.map((chunk) => filter(query.service, chunk, query.from, query.to, query.hint)));
  }

  return {
    kind: 'cloudwatch',
    logGroup: group,
    streams,
    async logGroupSettings(service) {
      let nextToken: string | undefined;
      do {
        const page = await call('DescribeLogGroups', () => client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group(service), nextToken })));
        const found = page.logGroups?.find((g) => g.logGroupName === group(service));
        if (found) return { retentionDays: found.retentionInDays, kmsKeyId: found.kmsKeyId };
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      throw notFound(service);
    },
    async lastEventTime(service, stream) {
      // The newest event of the stream: one GetLogEvents read backwards, exact (a stream's
      // lastEventTimestamp in DescribeLogStreams may lag by up to an hour, API reference).
      try {
        const page = await call('GetLogEvents', () =>
          client.send(new GetLogEventsCommand({ logGroupName: group(service), logStreamName: stream, startFromHead: false, limit: 1 })),
        );
        return page.events?.at(-1)?.timestamp;
      } catch (err) {
        if (err instanceof AuditError && err.message.includes('ResourceNotFoundException')) return undefined;
        throw err;
      }
    },
    async newestMatching(service, stream, from, to, accept) {
      // GetLogEvents without a token and startFromHead false gives the newest page of [from, to)
      // (endTime excluded, as our ranges); nextBackwardToken goes further back, and the token
      // passed in comes back at the start of the stream.
      let nextToken: string | undefined;
      for (;;) {
        let page;
        try {
          const token = nextToken;
          page = await call('GetLogEvents', () =>
            client.send(
              new GetLogEventsCommand({
                logGroupName: group(service),
                logStreamName: stream,
                startTime: from,
                endTime: to,
                startFromHead: false,
                nextToken: token,
              }),
            ),
          );
        } catch (err) {
          if (err instanceof AuditError && err.message.includes('ResourceNotFoundException')) return undefined;
          throw err;
        }
        const events = page.events ?? [];
        for (let i = events.length - 1; i >= 0; i--) {
          const e = events[i]!;
          if (e.message === undefined || e.timestamp === undefined || e.timestamp < from || e.timestamp >= to) continue;
          if (accept(e.message)) return { stream, timestamp: e.timestamp, message: e.message };
        }
        if (events.length === 0 || page.nextBackwardToken === undefined || page.nextBackwardToken === nextToken) return undefined;
        nextToken = page.nextBackwardToken;
      }
    },
    events: (query) => joinParts(raw(query), joinStats),
    provenance(query): Provenance {
      return {
        source: 'cloudwatch',
        method: options.insights ? 'StartQuery' : 'FilterLogEvents',
        logGroup: group(query.service),
        logStreams: query.streams ?? 'all',
        from: iso(query.from),
        to: iso(query.to),
        ...(options.insights ? { query: insightsQueryText(query.streams) } : query.hint === undefined ? {} : { query: `filterPattern: ${query.hint}` }),
      };
    },
    calls: () => ({ ...counts }),
    close: async () => {},
  };
}
