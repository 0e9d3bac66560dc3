import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { dataset, NOW, putToCloudWatch, syslogEvent, writeFileSink, type Seed } from './support/fixtures.js';
import { runAudit } from './support/run.js';

const dir = await mkdtemp(join(tmpdir(), 'audit-insights-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const fake = await startFakeCloudWatchLogs({ now: () => NOW });
t.teardown(() => fake.close());
const client = () => cloudWatchLogsClientFor(fake);

// The shared data set under /netsidecar, and a dense one under /dense: 2,000 events in two hours
// over two streams, and one second (2026-03-08T10:30:00) holding 10,050 events of one stream, more
// than a Logs Insights query returns even for one second.
const seeds = dataset();
const dense: Seed[] = [];
const base = Date.parse('2026-03-08T09:00:00.000Z');
for (let i = 0; i < 1_000; i++) {
  dense.push(syslogEvent('rtr-a', base + i * 7200, `a ${i}`), syslogEvent('rtr-b', base + i * 7200 + 3600, `b ${i}`));
}
const hot = Date.parse('2026-03-08T10:30:00.000Z');
for (let i = 0; i < 10_050; i++) dense.push(syslogEvent('rtr-a', hot + Math.floor(i / 11), `hot ${i}`));
dense.sort((a, b) => a.timestamp - b.timestamp);
const denseSeeds = dense.map((s) => ({ ...s, group: '/dense/syslog' }));
await writeFileSink(dir, seeds);
const seedClient = client();
await putToCloudWatch(seedClient, [...seeds, ...denseSeeds]);
seedClient.destroy();

t.test('--insights gives what the file sink and FilterLogEvents give', async (t) => {
  const args = ['logs', '--service', 'syslog', '--from', '2026-03-01', '--to', '2026-03-06'];
  const file = await runAudit([...args, '--data-dir', dir]);
  const insights = await runAudit([...args, '--source', 'cloudwatch', '--insights'], { client });
  t.equal(insights.code, 0, insights.stderr);
  t.equal(insights.stdout, file.stdout, 'byte for byte, the event over 1 MB joined from its parts');
  const q = fake.queries().at(-1)!;
  t.match(q.queryString, /^fields @timestamp, @logStream, @message \| sort @timestamp asc \| limit 10000$/);
  t.same([q.startTime, q.endTime], [Date.parse('2026-03-01') / 1000, Date.parse('2026-03-06') / 1000]);
});

t.test('a full answer splits the range where it stops, no row is lost; a full second falls back to FilterLogEvents', async (t) => {
  const args = ['logs', '--service', 'syslog', '--from', '2026-03-08T09:00:00Z', '--to', '2026-03-08T11:00:00Z'];
  const env = { NETSIDECAR_LOG_GROUP_PREFIX: '/dense' };
  const before = fake.queries().length;
  const filterBefore = fake.calls('FilterLogEvents').length;
  const viaFilter = await runAudit([...args, '--source', 'cloudwatch'], { client, env });
  const filterCalls = fake.calls('FilterLogEvents').length - filterBefore;
  const t0 = Date.now();
  const viaInsights = await runAudit([...args, '--source', 'cloudwatch', '--insights'], { client, env });
  t.comment(
    `insights ${Date.now() - t0} ms, ${fake.queries().length - before} queries: ${fake
      .queries()
      .slice(before)
      .map((q) => q.endTime - q.startTime)
      .join(',')}`,
  );
  t.equal(viaInsights.code, 0, viaInsights.stderr);
  const lines = viaInsights.stdout.split('\n').length - 1;
  t.equal(lines, 2_000 + 10_050, 'every event');
  t.equal(viaInsights.stdout, viaFilter.stdout, 'the same events in the same order as FilterLogEvents');
  const queries = fake.queries().slice(before);
  const start = Date.parse('2026-03-08T09:00:00Z') / 1000;
  t.equal(queries[0]!.startTime, start);
  t.ok(queries.length >= 3 && queries.length <= 5, `the range was split (${queries.length} queries)`);
  t.ok(
    queries.every((q, i) => i === 0 || q.startTime > queries[i - 1]!.startTime),
    'each query moves on',
  );
  t.ok(
    queries.every((q) => q.endTime === start + 7200),
    'to the end of the range',
  );
  t.ok(fake.calls('FilterLogEvents').length - filterBefore > filterCalls, 'the full second was read with FilterLogEvents');
});

t.test('polling through Scheduled and Running (partial results ignored); a failed query is exit 1', async (t) => {
  const args = ['logs', '--service', 'syslog', '--device', 'rtr-osa-2', '--from', '2026-03-01', '--to', '2026-03-02', '--source', 'cloudwatch', '--insights'];
  fake.scriptQueries({ scheduledPolls: 1, runningPolls: 2, partialResults: true });
  const ok = await runAudit(args, { client });
  t.equal(ok.code, 0, ok.stderr);
  t.equal(ok.stdout.split('\n').length - 1, 24);
  t.same(ok.sleeps, [1000, 1000, 1000], 'three polls waited for');
  // The device's own stream; a second query reads the source address stream 2001_db8__1 for events capped there (device-events.ts).
  t.ok(
    fake.queries().some((q) => q.queryString.includes('filter @logStream in ["rtr-osa-2"]')),
    "the device's stream",
  );

  fake.fault('StartQuery', { kind: 'throttle' });
  const retried = await runAudit(args, { client });
  t.equal(retried.code, 0, 'a throttled StartQuery is retried');

  fake.scriptQueries({ runningPolls: 1, outcome: 'Failed' });
  const failed = await runAudit(args, { client });
  t.equal(failed.code, 1);
  t.match(failed.stderr, /AUDIT_INSIGHTS_FAILED: Logs Insights query .* on \/netsidecar\/syslog ended Failed/);
});
