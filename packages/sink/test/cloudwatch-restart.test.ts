// Restarts: what close(deadline) could not deliver, and what a SIGKILL interrupted, is replayed
// from the spool at the next start; a torn last record is counted and skipped.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Registry } from 'prom-client';
import { silentLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { createCloudWatchSink } from '../src/cloudwatch/index.js';
import { startSinkChild } from './support/sink-child.js';
import { GROUP, START, alongside, closed, flushed, harness, precreate, received, stamp, writeEvents } from './support/cloudwatch-harness.js';

const isChild = process.env.SINK_TEST_CHILD_DATA_DIR !== undefined;
/** In the child process, no tests: it only runs `child()`. */
const test: typeof t.test = ((...args: Parameters<typeof t.test>) => (isChild ? undefined : t.test(...args))) as typeof t.test;

test('close(deadline) drains what it can; what is left is replayed once at the next start', async (t) => {
  const a = await harness(t);
  // rtr-a exists; rtr-b does not and cannot be created for now, so its events stay pending in the
  // same spool segment as rtr-a's delivered ones: only the ack records keep those from coming back.
  a.fake.createLogGroup(GROUP);
  a.fake.createLogStream(GROUP, 'rtr-a');
  a.fake.outage('CreateLogStream', 'throttle');
  const first = writeEvents(a, ['rtr-a', 'rtr-b'], 35, 'first');
  await a.until(() => received(a, 'rtr-a').length === 35 && a.sink.queuedEvents() === 35, 'rtr-a delivered and settled');
  a.fake.outage('PutLogEvents', 'service-unavailable');
  const second = writeEvents(a, ['rtr-a'], 35, 'second');
  const start = a.clock.now();
  const report = await closed(a, start + 5_000);
  t.same(report, { delivered: 0, pending: 70, pendingSpooled: true });
  t.ok(a.clock.now() >= start + 5_000 && a.clock.now() < start + 6_000, 'returned at the deadline');
  t.equal(a.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: 'late' }), 'closed');
  t.equal(await a.metric('netsidecar_sink_events_total', { outcome: 'refused' }), 1);
  t.ok(walFiles(path.join(a.dataDir, 'spool', 'syslog')).length > 0, 'spool kept on disk');

  a.fake.outage('PutLogEvents', null);
  a.fake.outage('CreateLogStream', null);
  const b = await harness(t, {}, { ...alongside(a), dataDir: a.dataDir });
  t.equal(b.sink.queuedEvents(), 70, 'replayed at start');
  await b.until(() => b.sink.queuedEvents() === 0, 'replay delivered');
  t.same(received(b, 'rtr-a'), [...first.get('rtr-a')!, ...second.get('rtr-a')!], 'the delivered 35 not sent again');
  t.same(received(b, 'rtr-b'), first.get('rtr-b'));
  t.equal(await b.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 70);
  t.match(
    b.logs.find((l) => l.msg === 'spool replayed'),
    { pendingEvents: 70, tornRecords: 0 },
  );
  const report2 = await closed(b, b.clock.now() + 1_000);
  t.same(report2, { delivered: 0, pending: 0, pendingSpooled: true });
  t.same(walFiles(path.join(a.dataDir, 'spool', 'syslog')), [], 'nothing left on disk');
});

test('close(deadline) with CloudWatch up delivers everything before returning', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  const expected = writeEvents(h, ['rtr-a'], 500);
  const report = await closed(h, h.clock.now() + 10_000);
  t.same(report, { delivered: 500, pending: 0, pendingSpooled: true });
  t.same(received(h, 'rtr-a'), expected.get('rtr-a'));
});

test('a torn last record (crash mid-write) is counted and skipped; the others are delivered', async (t) => {
  const a = await harness(t);
  precreate(a, ['rtr-a']);
  a.fake.outage('PutLogEvents', 'service-unavailable');
  const expected = writeEvents(a, ['rtr-a'], 10);
  await closed(a, a.clock.now());
  const dir = path.join(a.dataDir, 'spool', 'syslog');
  const last = path.join(dir, walFiles(dir).sort().pop()!);
  fs.truncateSync(last, fs.statSync(last).size - 5);

  a.fake.outage('PutLogEvents', null);
  const b = await harness(t, {}, { ...alongside(a), dataDir: a.dataDir });
  await b.until(() => b.sink.queuedEvents() === 0, 'replay delivered');
  t.same(received(b, 'rtr-a'), expected.get('rtr-a')!.slice(0, 9));
  t.equal(await b.metric('netsidecar_sink_spool_torn_records_total'), 1);
  t.equal(b.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: stamp(b), message: 'next' }), 'ok', 'the spool goes on');
  await flushed(b);
  t.equal(received(b, 'rtr-a').pop(), 'next');
});

// The child: a sink with the default client (standard AWS environment), driven over stdin.
async function child(dataDir: string): Promise<void> {
  const sink = await createCloudWatchSink({ dataDir, name: 'syslog', registry: new Registry(), logger: silentLogger, flushIntervalMs: 20 });
  const reply = (line: object) => process.stdout.write(JSON.stringify(line) + '\n');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { op: 'write' | 'flush'; streams?: string[]; count?: number; tag?: string };
    if (command.op === 'flush') {
      await sink.flush();
      reply({ done: 'flush' });
    } else {
      const outcomes: string[] = [];
      for (let i = 0; i < command.count!; i++) {
        for (const stream of command.streams!) {
          const message = JSON.stringify({ stream, i, tag: command.tag });
          outcomes.push(sink.write({ logGroup: GROUP, logStream: stream, timestamp: START + i, message }));
        }
      }
      reply({ done: 'write', outcomes: [...new Set(outcomes)] });
    }
  }
}

test('SIGKILL right after write() returned loses nothing: the next start delivers it', async (t) => {
  // The events carry fixed times (START + i): the fake's clock stands beside them, or CloudWatch's
  // 14-day rule would refuse them once the calendar passed START + 14 days.
  const fake = await startFakeCloudWatchLogs({ now: () => START + 60_000 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-sigkill-'));
  t.teardown(async () => {
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  fake.createLogGroup(GROUP);
  for (const s of ['rtr-a', 'rtr-b']) fake.createLogStream(GROUP, s);
  const { proc, ask, kill } = startSinkChild(t, new URL(import.meta.url).pathname, fake, dataDir);

  t.same(await ask({ op: 'write', streams: ['rtr-a'], count: 200, tag: 'delivered' }), { done: 'write', outcomes: ['ok'] });
  await ask({ op: 'flush' });
  t.equal(fake.events(GROUP, 'rtr-a').length, 200, 'the default client found the fake through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS');
  fake.outage('PutLogEvents', 'service-unavailable');
  t.same(await ask({ op: 'write', streams: ['rtr-a', 'rtr-b'], count: 150, tag: 'killed' }), { done: 'write', outcomes: ['ok'] });
  await kill();
  t.equal(proc.signalCode, 'SIGKILL');

  fake.outage('PutLogEvents', null);
  const client = cloudWatchLogsClientFor(fake);
  const registry = new Registry();
  const sink = await createCloudWatchSink({ client, dataDir, name: 'syslog', registry, logger: silentLogger, flushIntervalMs: 20 });
  t.teardown(async () => {
    await sink.close(Date.now());
    client.destroy();
  });
  t.equal(sink.queuedEvents(), 300, 'the 300 killed-in-flight events were on disk');
  await sink.flush();
  const a = fake.events(GROUP, 'rtr-a').map((e) => JSON.parse(e.message) as { i: number; tag: string });
  const b = fake.events(GROUP, 'rtr-b').map((e) => JSON.parse(e.message) as { i: number; tag: string });
  const firsts = (list: { i: number; tag: string }[]) => list.filter((e, k) => list.findIndex((x) => x.i === e.i && x.tag === e.tag) === k);
  t.equal(firsts(a).length, 350, 'rtr-a: nothing lost');
  t.equal(firsts(b).length, 150, 'rtr-b: nothing lost');
  t.same(
    firsts(b).map((e) => e.i),
    Array.from({ length: 150 }, (_, i) => i),
    'in order',
  );
  t.equal(a.filter((e) => e.tag === 'delivered').length, 200, 'what was acknowledged before the kill is not sent again');
});

if (isChild) await child(process.env.SINK_TEST_CHILD_DATA_DIR!);

/** The segment files of a spool directory (its LOCK file aside). */
function walFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.wal'));
}
