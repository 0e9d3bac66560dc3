// A 30-minute CloudWatch outage, on a fake clock, with memory so small that nearly every event
// goes through the spool's on-disk backlog: nothing lost, nothing doubled, order kept per stream.
//
// Scale: the case is 1,000 events/s for 30 minutes (1.8 M events, about 720 MB of
// 400-byte events: it fits the 2 GiB default spool). A unit test cannot push 1.8 M events through
// HTTP in a few seconds, so this keeps the duration (30 fake minutes: backoff climbs to its 30 s
// cap and stays there for most of it) and scales the rate down to 20 events/s (36,000 events),
// with memoryLimitBytes at 64 KiB instead of 64 MiB: the same 1,000:1 ratio of outage volume to
// memory as the real case, so the same code path (spill to disk, read back in order) carries it.
import t, { type Test } from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { Clock } from '@tapjs/clock';
import { createLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
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

async function harness(t: Test, options: Partial<CloudWatchSinkOptions> = {}) {
  const clock = new Clock();
  clock.travel(START);
  const fake = await startFakeCloudWatchLogs({ now: () => clock.now() });
  const client = cloudWatchLogsClientFor(fake);
  const inFlight: InFlight = { total: 0, maxTotal: 0, perStream: new Map<string, number>(), maxPerStream: 0 };
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-outage-'));
  const registry = new Registry();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const sink = await createCloudWatchSink({
    client, dataDir, name: 'syslog', registry, logger, timers: clock, now: () => clock.now(), random: () => 0.5, ...options,
  });
  t.teardown(async () => {
    await sink.close(clock.now());
    client.destroy();
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
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
  return { clock, fake, client, sink, inFlight, until, metric, logs, registry };
}
type Harness = Awaited<ReturnType<typeof harness>>;

const received = (h: Harness, stream: string) => h.fake.events(GROUP, stream).map((e) => e.message);

function precreate(h: Harness, streams: string[]) {
  h.fake.createLogGroup(GROUP);
  for (const s of streams) h.fake.createLogStream(GROUP, s);
}


const RATE = 20; // events per fake second, over all streams
const OUTAGE_S = 30 * 60;
const MEMORY = 64 * 1024; // 64 KiB

t.test('30 minutes of 503s: every event exactly once, in order, per stream, afterwards', async (t) => {
  const h = await harness(t, {
    memoryLimitBytes: MEMORY,
    spoolLimitBytes: 64 * 1024 * 1024,
    spoolSegmentBytes: 256 * 1024,
    highWaterMarkBytes: 48 * 1024 * 1024,
  });
  const streams = ['rtr-tyo-1', 'rtr-tyo-2', 'rtr-osa-1', 'fw-1'];
  precreate(h, streams);
  h.fake.outage('PutLogEvents', 'service-unavailable');
  const expected = new Map<string, string[]>(streams.map((s) => [s, []]));
  const outcomes = new Map<string, number>();
  let maxMemory = 0;
  let maxBacklog = 0;
  let seq = 0;
  const idle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    while (h.inFlight.total > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  for (let second = 0; second < OUTAGE_S; second++) {
    for (let k = 0; k < RATE; k++) {
      const stream = streams[k % streams.length]!;
      const message = JSON.stringify({ schema: 'syslog/1', host: stream, seq: seq++, message: 'Interface Gi0/1, changed state to down' });
      const outcome = h.sink.write({ logGroup: GROUP, logStream: stream, timestamp: h.clock.now() + k, message });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      expected.get(stream)!.push(message);
    }
    const stats = h.sink.stats();
    maxMemory = Math.max(maxMemory, stats.memoryBytes);
    maxBacklog = Math.max(maxBacklog, stats.backlogEvents);
    await idle();
    h.clock.advance(1000);
  }
  const total = RATE * OUTAGE_S;
  t.same(Object.fromEntries(outcomes), { ok: total }, 'all accepted, no backpressure while the spool has room');
  t.equal(h.sink.queuedEvents(), total, 'nothing delivered during the outage');
  t.ok(maxMemory <= MEMORY, `memory stayed bounded (${maxMemory} bytes)`);
  t.ok(maxBacklog > total * 0.9, `the spool's backlog carried most of it (${maxBacklog} events)`);
  const failed = h.fake.calls('PutLogEvents').length;
  t.ok(failed > 100 && failed < 1000, `retried all along with capped backoff (${failed} calls)`);

  h.fake.outage('PutLogEvents', null);
  await h.until(() => h.sink.queuedEvents() === 0, 'the backlog to drain');
  for (const s of streams) {
    const got = received(h, s);
    t.equal(got.length, expected.get(s)!.length, `${s}: count`);
    t.ok(got.every((m, i) => m === expected.get(s)![i]), `${s}: exactly once, in order`);
  }
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'accepted' }), total);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), total);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'refused' }), 0);
  t.ok((await h.metric('netsidecar_cloudwatch_errors_total', { code: 'ServiceUnavailableException' })) >= failed - 1);
  t.equal(h.sink.stats().spoolBytes, 0, 'spool emptied once all was delivered');
});
