// Restarts: what close(deadline) could not deliver, and what a SIGKILL interrupted, is replayed
// from the spool at the next start; a torn last record is counted and skipped.
import t, { type Test } from 'tap';

const isChild = process.env.SINK_TEST_CHILD_DATA_DIR !== undefined;
/** In the child process, no tests: it only runs `child()`. */
const test: typeof t.test = ((...args: Parameters<typeof t.test>) => (isChild ? undefined : t.test(...args))) as typeof t.test;
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Registry } from 'prom-client';
import { Clock } from '@tapjs/clock';
import { createLogger, silentLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { createCloudWatchSink, type CloudWatchSinkOptions } from '../src/cloudwatch/index.js';

const START = Date.UTC(2026, 10, 22, 23, 0, 0);
const GROUP = '/netsidecar/syslog';

/** Calls in flight, overall and per stream, as the sink makes them. */
interface InFlight {
  total: number;
  maxTotal: number;
  perStream: Map<string, number>;
  maxPerStream: number;
}

async function harness(t: Test, options: Partial<CloudWatchSinkOptions> = {}, share?: { clock: Clock; fake: FakeCloudWatchLogs; inFlight: InFlight; dataDir?: string }) {
  const clock = share?.clock ?? new Clock();
  if (share === undefined) clock.travel(START);
  const fake = share?.fake ?? (await startFakeCloudWatchLogs({ now: () => clock.now() }));
  const client = cloudWatchLogsClientFor(fake);
  const inFlight: InFlight = share?.inFlight ?? { total: 0, maxTotal: 0, perStream: new Map<string, number>(), maxPerStream: 0 };
  const send = client.send.bind(client);
  client.send = ((command: { input: { logStreamName?: string } }, opts: unknown) => {
    const stream = command.input.logStreamName ?? '';
    inFlight.total++;
    inFlight.maxTotal = Math.max(inFlight.maxTotal, inFlight.total);
    const n = (inFlight.perStream.get(stream) ?? 0) + 1;
    inFlight.perStream.set(stream, n);
    if (command.constructor.name === 'PutLogEventsCommand') inFlight.maxPerStream = Math.max(inFlight.maxPerStream, n);
    return (send as (c: unknown, o: unknown) => Promise<unknown>)(command, opts).finally(() => {
      inFlight.total--;
      inFlight.perStream.set(stream, inFlight.perStream.get(stream)! - 1);
    });
  }) as typeof client.send;
  const dataDir = share?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cw-restart-'));
  const registry = new Registry();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const sink = await createCloudWatchSink({
    client, dataDir, name: 'syslog', registry, logger, timers: clock, now: () => clock.now(), random: () => 0.5, ...options,
  });
  t.teardown(async () => {
    await sink.close(clock.now());
    client.destroy();
    if (share === undefined) await fake.close();
    if (share?.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  /** Waits (real time, bounded) for `done`, moving the fake clock 50 ms whenever nothing is in flight. */
  const until = async (done: () => boolean, what: string) => {
    const giveUp = Date.now() + 15_000;
    while (!done()) {
      if (Date.now() > giveUp) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (inFlight.total === 0) clock.advance(50);
      else await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const found = (await registry.getSingleMetric(name)!.get()).values.find((v) =>
      Object.entries(labels).every(([k, val]) => v.labels[k] === val),
    );
    return found?.value ?? 0;
  };
  return { clock, fake, client, sink, inFlight, until, metric, logs, registry, dataDir };
}
type Harness = Awaited<ReturnType<typeof harness>>;

let lastStamp = 0;
/** Strictly increasing timestamps near the clock: the fake's order (timestamp, then arrival) is the write order. */
const stamp = (h: Harness) => (lastStamp = Math.max(h.clock.now(), lastStamp + 1));

/** Writes `perStream` events to each stream, interleaved, with increasing timestamps. */
function writeEvents(h: Harness, streams: string[], perStream: number, tag = ''): Map<string, string[]> {
  const expected = new Map<string, string[]>(streams.map((s) => [s, []]));
  for (let i = 0; i < perStream; i++) {
    for (const stream of streams) {
      const message = JSON.stringify({ schema: 'syslog/1', stream, i, tag });
      h.sink.write({ logGroup: GROUP, logStream: stream, timestamp: stamp(h), message });
      expected.get(stream)!.push(message);
    }
  }
  return expected;
}

async function flushed(h: Harness): Promise<void> {
  let done = false;
  void h.sink.flush().then(() => (done = true));
  await h.until(() => done, 'flush');
}

const received = (h: Harness, stream: string) => h.fake.events(GROUP, stream).map((e) => e.message);

function precreate(h: Harness, streams: string[]) {
  h.fake.createLogGroup(GROUP);
  for (const s of streams) h.fake.createLogStream(GROUP, s);
}



async function closed(h: Harness, deadline: number) {
  let report: Awaited<ReturnType<Harness['sink']['close']>> | undefined;
  void h.sink.close(deadline).then((r) => (report = r));
  await h.until(() => report !== undefined, 'close');
  return report!;
}

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
  t.equal(a.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: 'late' }), 'refused');
  t.equal(await a.metric('netsidecar_sink_events_total', { outcome: 'refused' }), 1);
  t.ok(fs.readdirSync(path.join(a.dataDir, 'spool', 'syslog')).length > 0, 'spool kept on disk');

  a.fake.outage('PutLogEvents', null);
  a.fake.outage('CreateLogStream', null);
  const b = await harness(t, {}, { clock: a.clock, fake: a.fake, inFlight: a.inFlight, dataDir: a.dataDir });
  t.equal(b.sink.queuedEvents(), 70, 'replayed at start');
  await b.until(() => b.sink.queuedEvents() === 0, 'replay delivered');
  t.same(received(b, 'rtr-a'), [...first.get('rtr-a')!, ...second.get('rtr-a')!], 'the delivered 35 not sent again');
  t.same(received(b, 'rtr-b'), first.get('rtr-b'));
  t.equal(await b.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 70);
  t.match(b.logs.find((l) => l.msg === 'spool replayed'), { pendingEvents: 70, tornRecords: 0 });
  const report2 = await closed(b, b.clock.now() + 1_000);
  t.same(report2, { delivered: 0, pending: 0, pendingSpooled: true });
  t.same(fs.readdirSync(path.join(a.dataDir, 'spool', 'syslog')), [], 'nothing left on disk');
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
  const last = path.join(dir, fs.readdirSync(dir).sort().pop()!);
  fs.truncateSync(last, fs.statSync(last).size - 5);

  a.fake.outage('PutLogEvents', null);
  const b = await harness(t, {}, { clock: a.clock, fake: a.fake, inFlight: a.inFlight, dataDir: a.dataDir });
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
  const fake = await startFakeCloudWatchLogs();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-sigkill-'));
  t.teardown(async () => {
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  fake.createLogGroup(GROUP);
  for (const s of ['rtr-a', 'rtr-b']) fake.createLogStream(GROUP, s);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const proc = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname], {
    env: {
      ...env,
      SINK_TEST_CHILD_DATA_DIR: dataDir,
      // The standard SDK environment, nothing of our own: this is how the services are configured.
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDSINKCHILD0000000',
      AWS_SECRET_ACCESS_KEY: 'child-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  });
  const replies = readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const ask = async (command: object) => {
    proc.stdin!.write(JSON.stringify(command) + '\n');
    for (;;) {
      const next = await replies.next();
      if (next.done) throw new Error(`child ended: ${stderr}`);
      if (next.value.startsWith('{"done"')) return JSON.parse(next.value) as { done: string; outcomes?: string[] };
    }
  };

  t.same(await ask({ op: 'write', streams: ['rtr-a'], count: 200, tag: 'delivered' }), { done: 'write', outcomes: ['ok'] });
  await ask({ op: 'flush' });
  t.equal(fake.events(GROUP, 'rtr-a').length, 200, 'the default client found the fake through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS');
  fake.outage('PutLogEvents', 'service-unavailable');
  t.same(await ask({ op: 'write', streams: ['rtr-a', 'rtr-b'], count: 150, tag: 'killed' }), { done: 'write', outcomes: ['ok'] });
  proc.kill('SIGKILL');
  await exited;
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
  t.same(firsts(b).map((e) => e.i), Array.from({ length: 150 }, (_, i) => i), 'in order');
  t.equal(a.filter((e) => e.tag === 'delivered').length, 200, 'what was acknowledged before the kill is not sent again');
});

if (isChild) await child(process.env.SINK_TEST_CHILD_DATA_DIR!);
