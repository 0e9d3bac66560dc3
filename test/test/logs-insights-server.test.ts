// StartQuery / GetQueryResults / StopQuery / DescribeQueries of the fake CloudWatch Logs server,
// driven by the real SDK client over HTTP on 127.0.0.1.
import t, { type Test } from 'tap';
import {
  CreateLogGroupCommand,
  DescribeQueriesCommand,
  GetQueryResultsCommand,
  InvalidParameterException,
  LimitExceededException,
  MalformedQueryException,
  PutLogEventsCommand,
  ResourceNotFoundException,
  StartQueryCommand,
  StopQueryCommand,
  ThrottlingException,
  type CloudWatchLogsClient,
  type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  cloudWatchLogsClientFor,
  runInsightsQuery,
  startFakeCloudWatchLogs,
  type FakeCloudWatchLogs,
  type FakeCloudWatchLogsOptions,
  type InsightsEvent,
} from '@netsidecar/test-support';
import { MINUTE, NTP_GROUP, realisticEvents, SYSLOG_GROUP, syslogEvent, T0 } from './support/insights-fixtures.js';

const NOW = T0 + 60 * MINUTE;
const FROM = T0 / 1000 - 60; // epoch seconds around the fixtures
const TO = NOW / 1000;

interface Setup {
  fake: FakeCloudWatchLogs;
  client: CloudWatchLogsClient;
}

async function setup(t: Test, options: FakeCloudWatchLogsOptions = {}): Promise<Setup> {
  const fake = await startFakeCloudWatchLogs({ now: () => NOW, ...options });
  const client = cloudWatchLogsClientFor(fake);
  t.teardown(async () => {
    client.destroy();
    await fake.close();
  });
  return { fake, client };
}

/** Stores events through PutLogEvents, as the services' sink does (batches under 1 MiB, in order). */
async function seed({ fake, client }: Setup, events: readonly InsightsEvent[]): Promise<void> {
  const byStream = new Map<string, InsightsEvent[]>();
  for (const e of events) {
    const key = `${e.logGroup}\u0000${e.logStream}`;
    byStream.set(key, [...(byStream.get(key) ?? []), e]);
  }
  for (const [key, list] of byStream) {
    const [group, stream] = key.split('\u0000') as [string, string];
    if (!fake.streams().some((s) => s.logGroup === group)) await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    fake.createLogStream(group, stream);
    const sorted = [...list].sort((a, b) => a.timestamp - b.timestamp);
    for (let i = 0; i < sorted.length; i += 1_500) {
      const logEvents = sorted.slice(i, i + 1_500).map((e) => ({ timestamp: e.timestamp, message: e.message }));
      await client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the call to fail, it succeeded');
}

const start = (client: CloudWatchLogsClient, input: Partial<StartQueryCommandInput>) =>
  client.send(new StartQueryCommand({ logGroupName: SYSLOG_GROUP, startTime: FROM, endTime: TO, queryString: 'fields @timestamp', ...input }));
const results = (client: CloudWatchLogsClient, queryId: string, more: { nextToken?: string; maxItems?: number } = {}) =>
  client.send(new GetQueryResultsCommand({ queryId, ...more }));

t.test('StartQuery then GetQueryResults: the same rows as runInsightsQuery, ingestion times from the server', async (t) => {
  const s = await setup(t);
  const events = realisticEvents();
  await seed(s, events);
  const query = 'filter severity <= 4 | stats count(*) as n by @logStream | sort n desc';
  const { queryId } = await start(s.client, { queryString: query });
  t.type(queryId, 'string');
  const got = await results(s.client, queryId!);
  t.equal(got.status, 'Complete');
  const expected = runInsightsQuery(query, events, { logGroups: [SYSLOG_GROUP] });
  t.same(got.results, expected.results);
  t.same(got.results, [
    [
      { field: '@logStream', value: 'rtr-osa-2' },
      { field: 'n', value: '3' },
    ],
    [
      { field: '@logStream', value: 'rtr-tyo-1' },
      { field: 'n', value: '2' },
    ],
  ]);
  t.match(got.statistics, { recordsMatched: 5, recordsScanned: 9, logGroupsScanned: 1, resultCount: 2 });
  t.ok((got.statistics?.bytesScanned ?? 0) > 0);

  const many = await start(s.client, {
    logGroupName: undefined,
    logGroupNames: [SYSLOG_GROUP, NTP_GROUP],
    queryString: 'fields @timestamp, @ingestionTime, @log | limit 1',
  });
  const newest = await results(s.client, many.queryId!);
  t.match(newest.results?.[0], [
    { field: '@timestamp', value: '2026-03-01 12:31:00.000' },
    { field: '@ingestionTime', value: '2026-03-01 13:00:00.000' },
    { field: '@log', value: '123456789012:/netsidecar/syslog' },
    { field: '@ptr' },
  ]);

  const arn = `arn:aws:logs:us-east-1:123456789012:log-group:${NTP_GROUP}`;
  const byArn = await start(s.client, { logGroupName: undefined, logGroupIdentifiers: [arn], queryString: 'stats count(*) as n' });
  t.same((await results(s.client, byArn.queryId!)).results, [[{ field: 'n', value: '12' }]]);
  t.same(
    s.fake.queries().map((q) => q.logGroups),
    [[SYSLOG_GROUP], [SYSLOG_GROUP, NTP_GROUP], [NTP_GROUP]],
  );
});

t.test('time range: epoch seconds, both ends inclusive, end read as the instant endTime.000', async (t) => {
  const s = await setup(t);
  const base = T0 + 10 * MINUTE; // a whole second
  await seed(
    s,
    [base - 1, base, base + 999, base + 1000, base + 1001].map((ts) => syslogEvent(ts, { message: String(ts - base) })),
  );
  const { queryId } = await start(s.client, { startTime: base / 1000, endTime: base / 1000 + 1, queryString: 'fields message | sort @timestamp asc' });
  t.same(
    (await results(s.client, queryId!)).results?.map((r) => r[0]?.value),
    ['0', '999', '1000'],
  );
  const bad = await failure(start(s.client, { startTime: base / 1000, endTime: base / 1000 - 1 }));
  t.ok(bad instanceof InvalidParameterException, bad.name);
});

t.test('scripted progress: Scheduled, Running for N polls, then Complete / Failed / Timeout', async (t) => {
  const s = await setup(t);
  await seed(s, realisticEvents());
  s.fake.scriptQueries({ scheduledPolls: 1, runningPolls: 2 }, { runningPolls: 1, outcome: 'Failed' }, { outcome: 'Timeout' });
  const a = (await start(s.client, { queryString: 'stats count(*) as n' })).queryId!;
  const b = (await start(s.client, {})).queryId!;
  const c = (await start(s.client, {})).queryId!;
  const d = (await start(s.client, {})).queryId!; // no plan left: complete at once
  const statuses: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await results(s.client, a);
    statuses.push(r.status!);
    if (r.status !== 'Complete') t.same(r.results, [], `no rows while ${r.status}`);
    else t.same(r.results, [[{ field: 'n', value: '9' }]]);
  }
  t.same(statuses, ['Scheduled', 'Running', 'Running', 'Complete', 'Complete']);
  t.same([(await results(s.client, b)).status, (await results(s.client, b)).status], ['Running', 'Failed']);
  t.same((await results(s.client, b)).results, []);
  t.equal((await results(s.client, c)).status, 'Timeout');
  t.equal((await results(s.client, d)).status, 'Complete');
  t.same(
    s.fake.queries().map((q) => [q.status, q.polls]),
    [
      ['Complete', 5],
      ['Failed', 3],
      ['Timeout', 1],
      ['Complete', 1],
    ],
  );
});

t.test('partial results while Running, as the service streams them', async (t) => {
  const s = await setup(t);
  await seed(s, realisticEvents());
  s.fake.scriptQueries({ runningPolls: 1, partialResults: true });
  const { queryId } = await start(s.client, { queryString: 'fields @timestamp' });
  const running = await results(s.client, queryId!);
  t.equal(running.status, 'Running');
  t.equal(running.results?.length, 4);
  const done = await results(s.client, queryId!);
  t.equal(done.status, 'Complete');
  t.equal(done.results?.length, 9);
});

t.test('StopQuery cancels a Scheduled or Running query, and only those', async (t) => {
  const s = await setup(t);
  await seed(s, realisticEvents());
  s.fake.scriptQueries({ runningPolls: 5 });
  const { queryId } = await start(s.client, {});
  t.equal((await results(s.client, queryId!)).status, 'Running');
  t.same(await s.client.send(new StopQueryCommand({ queryId })).then((r) => r.success), true);
  const after = await results(s.client, queryId!);
  t.equal(after.status, 'Cancelled');
  t.same(after.results, []);
  t.same(await s.client.send(new StopQueryCommand({ queryId })).then((r) => r.success), false, 'already stopped');
  const done = (await start(s.client, {})).queryId;
  t.same(await s.client.send(new StopQueryCommand({ queryId: done })).then((r) => r.success), false, 'already complete');
  const missing = await failure(s.client.send(new StopQueryCommand({ queryId: 'no-such-query' })));
  t.ok(missing instanceof ResourceNotFoundException, missing.name);
  const missing2 = await failure(results(s.client, 'no-such-query'));
  t.ok(missing2 instanceof ResourceNotFoundException, missing2.name);
});

t.test('DescribeQueries: newest first, by status and log group, paged', async (t) => {
  const s = await setup(t);
  await seed(s, realisticEvents());
  s.fake.scriptQueries({ runningPolls: 3 });
  const running = (await start(s.client, { queryString: 'fields @message' })).queryId;
  const done = (await start(s.client, { logGroupName: NTP_GROUP })).queryId;
  const all = await s.client.send(new DescribeQueriesCommand({}));
  t.match(all.queries, [
    { queryId: done, status: 'Complete', logGroupName: NTP_GROUP, createTime: NOW },
    { queryId: running, status: 'Running', logGroupName: SYSLOG_GROUP, queryString: 'fields @message' },
  ]);
  t.same(
    (await s.client.send(new DescribeQueriesCommand({ status: 'Running' }))).queries?.map((q) => q.queryId),
    [running],
  );
  t.same(
    (await s.client.send(new DescribeQueriesCommand({ logGroupName: NTP_GROUP }))).queries?.map((q) => q.queryId),
    [done],
  );
  const page = await s.client.send(new DescribeQueriesCommand({ maxResults: 1 }));
  t.equal(page.queries?.length, 1);
  const rest = await s.client.send(new DescribeQueriesCommand({ maxResults: 1, nextToken: page.nextToken }));
  t.same(
    rest.queries?.map((q) => q.queryId),
    [running],
  );
  t.equal(rest.nextToken, undefined);
});

t.test('bad requests: malformed and unsupported queries, log group parameters, unknown groups', async (t) => {
  const s = await setup(t);
  await seed(s, realisticEvents());
  const malformed = await failure(start(s.client, { queryString: 'filter severity = = 3' }));
  t.ok(malformed instanceof MalformedQueryException, malformed.name);
  t.match(malformed.queryCompileError, { location: { startCharOffset: 18 }, message: /unexpected/ });
  const unsupported = await failure(start(s.client, { queryString: 'unnest a into b' }));
  t.ok(unsupported instanceof InvalidParameterException, unsupported.name);
  t.match(unsupported.message, /does not implement the unnest command/);
  for (const groups of [
    { logGroupName: undefined },
    { logGroupNames: [SYSLOG_GROUP] },
    { logGroupName: undefined, logGroupNames: [] },
    { logGroupName: undefined, logGroupIdentifiers: [`arn:aws:logs:us-east-1:123456789012:log-group:${SYSLOG_GROUP}:*`] },
  ]) {
    const error = await failure(start(s.client, groups));
    t.ok(error instanceof InvalidParameterException, `${JSON.stringify(groups)}: ${error.name}`);
  }
  const unknown = await failure(start(s.client, { logGroupName: '/netsidecar/nope' }));
  t.ok(unknown instanceof ResourceNotFoundException, unknown.name);
  const limit = await failure(start(s.client, { limit: 100_001 }));
  t.ok(limit instanceof InvalidParameterException, limit.name);
  t.equal(s.fake.queries().length, 0, 'nothing was started');
});

t.test('concurrency quota and scripted faults', async (t) => {
  const s = await setup(t, { maxConcurrentQueries: 2 });
  await seed(s, realisticEvents());
  s.fake.scriptQueries({ runningPolls: 1 }, { runningPolls: 1 });
  const first = (await start(s.client, {})).queryId!;
  await start(s.client, {});
  const over = await failure(start(s.client, {}));
  t.ok(over instanceof LimitExceededException, over.name);
  t.match(over.message, /concurrency limit of \[2\]/);
  await results(s.client, first); // Running
  t.equal((await results(s.client, first)).status, 'Complete');
  t.type((await start(s.client, {})).queryId, 'string', 'a slot is free again');

  s.fake.fault('StartQuery', { kind: 'throttle' }, { kind: 'limit-exceeded' });
  s.fake.fault('GetQueryResults', { kind: 'throttle' });
  t.ok((await failure(start(s.client, {}))) instanceof ThrottlingException);
  t.ok((await failure(start(s.client, {}))) instanceof LimitExceededException);
  t.ok((await failure(results(s.client, first))) instanceof ThrottlingException);
  t.equal((await results(s.client, first)).status, 'Complete');
  t.match(
    s.fake.calls('StartQuery').map((c) => c.fault ?? c.error ?? 'ok'),
    ['ok', 'ok', 'LimitExceededException', 'ok', 'throttle', 'limit-exceeded'],
  );
});

t.test('10,000 rows per query by default; a raised limit pages with nextToken', async (t) => {
  const s = await setup(t);
  const events: InsightsEvent[] = [];
  for (let i = 0; i < 12_000; i++) events.push(syslogEvent(T0 + i * 100, { message: `line ${i}` }));
  await seed(s, events);
  const capped = await start(s.client, { queryString: 'fields message' });
  const got = await results(s.client, capped.queryId!);
  t.equal(got.results?.length, 10_000);
  t.equal(got.nextToken, undefined);
  t.match(got.statistics, { recordsMatched: 12_000, recordsScanned: 12_000, resultCount: 10_000 });
  t.equal(got.results?.[0]?.[0]?.value, 'line 11999', 'the newest first');

  const raised = await start(s.client, { queryString: 'fields message | sort @timestamp asc', limit: 100_000 });
  const page1 = await results(s.client, raised.queryId!);
  t.equal(page1.results?.length, 10_000);
  t.type(page1.nextToken, 'string');
  const page2 = await results(s.client, raised.queryId!, { nextToken: page1.nextToken! });
  t.equal(page2.results?.length, 2_000);
  t.equal(page2.results?.[1_999]?.[0]?.value, 'line 11999');
  t.equal(page2.nextToken, undefined);
  const small = await results(s.client, raised.queryId!, { maxItems: 3 });
  t.equal(small.results?.length, 3);
  const bad = await failure(results(s.client, raised.queryId!, { nextToken: 'garbage' }));
  t.ok(bad instanceof InvalidParameterException, bad.name);
});

t.test('a client that polls and splits a range at the 10,000-row limit gets every event once', async (t) => {
  const s = await setup(t);
  const events: InsightsEvent[] = [];
  // 15,000 events over 25 minutes, three per 300 ms, some in the same millisecond.
  for (let i = 0; i < 15_000; i++) events.push(syslogEvent(T0 + Math.floor(i / 3) * 300, { host: `rtr-${i % 3}`, message: `line ${i}` }));
  await seed(s, events);
  s.fake.scriptQueries(...Array.from({ length: 20 }, () => ({ scheduledPolls: 1, runningPolls: 1 })));

  // What the audit CLI does: poll until a final status, split [a, b] at m into [a, m] and [m, b]
  // when a query is cut at 10,000 rows, drop the rows seen twice by @ptr.
  const rows = new Map<string, string>();
  let queries = 0;
  const run = async (from: number, to: number): Promise<void> => {
    queries++;
    const { queryId } = await start(s.client, { startTime: from, endTime: to, queryString: 'fields message' });
    let answer = await results(s.client, queryId!);
    while (answer.status === 'Scheduled' || answer.status === 'Running') answer = await results(s.client, queryId!);
    t.equal(answer.status, 'Complete');
    const got = answer.results ?? [];
    if (got.length >= 10_000 && (answer.statistics?.recordsMatched ?? 0) > got.length) {
      t.ok(to > from, 'a second holds fewer than 10,000 events here');
      const middle = Math.floor((from + to) / 2);
      await run(from, middle);
      await run(middle, to);
      return;
    }
    for (const row of got) rows.set(row.find((f) => f.field === '@ptr')!.value!, row.find((f) => f.field === 'message')!.value!);
  };
  await run(T0 / 1000, T0 / 1000 + 25 * 60);
  t.equal(rows.size, 15_000);
  t.same(new Set(rows.values()).size, 15_000);
  t.equal(queries, 3);
  t.ok(
    s.fake.queries().every((q) => q.polls === 3),
    'every query was polled through Scheduled and Running',
  );
});
