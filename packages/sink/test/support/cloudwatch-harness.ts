// The shared rig of the CloudWatch sink's end-to-end tests: a real SDK client talking real HTTP on
// 127.0.0.1 to the wire-level fake, a sink on a fake clock, and helpers to write events, wait for
// delivery and read what arrived. Not a *.test.ts file: tap does not run it on its own.
//
// Time is a fake clock, moved only while no call is in flight, so a per-request timeout can never
// fire on a call that is merely slow on a busy machine.
import type { Test } from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import { Clock } from '@tapjs/clock';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { createCloudWatchSink, type CloudWatchSinkOptions } from '../../src/cloudwatch/index.js';

export const START = Date.UTC(2026, 10, 22, 23, 0, 0);
export const GROUP = '/netsidecar/syslog';

/** Calls in flight, overall and per stream, as the sink makes them. */
export interface InFlight {
  total: number;
  maxTotal: number;
  perStream: Map<string, number>;
  maxPerStream: number;
}

/** What a second sink can share with a first: the same fake, clock and in-flight count (and spool). */
export interface Shared {
  clock: Clock;
  fake: FakeCloudWatchLogs;
  inFlight: InFlight;
  /** The same data directory: the second sink replays the first one's spool. Left on disk. */
  dataDir?: string;
}

/** The fake, clock and in-flight count of `h`, for a second sink beside it (its own spool). */
export const alongside = (h: Harness): Shared => ({ clock: h.clock, fake: h.fake, inFlight: h.inFlight });

/** Wraps `client.send` to count the calls in flight into `inFlight`. */
function countInFlight(client: CloudWatchLogsClient, inFlight: InFlight): void {
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
}

/**
 * A sink named `syslog` on a fresh fake (or the `share`d one), torn down with the test: the sink
 * closed, the client destroyed, and the fake and data directory removed unless they were shared.
 */
export async function harness(t: Test, options: Partial<CloudWatchSinkOptions> = {}, share?: Shared) {
  const clock = share?.clock ?? new Clock();
  if (share === undefined) clock.travel(START);
  const fake = share?.fake ?? (await startFakeCloudWatchLogs({ now: () => clock.now() }));
  const client = cloudWatchLogsClientFor(fake);
  const inFlight: InFlight = share?.inFlight ?? { total: 0, maxTotal: 0, perStream: new Map<string, number>(), maxPerStream: 0 };
  countInFlight(client, inFlight);
  const dataDir = share?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cw-sink-'));
  const registry = new Registry();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const sink = await createCloudWatchSink({
    client,
    dataDir,
    name: 'syslog',
    registry,
    logger,
    timers: clock,
    now: () => clock.now(),
    random: () => 0.5,
    ...options,
  });
  t.teardown(async () => {
    // A test that failed mid-drain leaves close() waiting on the fake clock: move it on (bounded).
    let done = false;
    const closing = sink.close(clock.now()).then(() => (done = true));
    for (let i = 0; i < 1_000 && !done; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1_000);
    }
    await closing;
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
  /** The value of a metric's series with these labels (the first one when none are given), 0 if absent. */
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const found = (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
    return found?.value ?? 0;
  };
  return { clock, fake, client, sink, inFlight, until, metric, logs, registry, dataDir };
}
export type Harness = Awaited<ReturnType<typeof harness>>;

let lastStamp = 0;
/** Strictly increasing timestamps near the clock: the fake's order (timestamp, then arrival) is the write order. */
export const stamp = (h: Harness) => (lastStamp = Math.max(h.clock.now(), lastStamp + 1));

/** Writes `perStream` events to each stream, interleaved, with increasing timestamps. */
export function writeEvents(h: Harness, streams: string[], perStream: number, tag = ''): Map<string, string[]> {
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

/** Calls flush() and waits until it resolves, moving the fake clock meanwhile. */
export async function flushed(h: Harness): Promise<void> {
  let done = false;
  void h.sink.flush().then(() => (done = true));
  await h.until(() => done, 'flush');
}

/** Calls close(deadline) and waits for its report, moving the fake clock meanwhile. */
export async function closed(h: Harness, deadline: number) {
  let report: Awaited<ReturnType<Harness['sink']['close']>> | undefined;
  void h.sink.close(deadline).then((r) => (report = r));
  await h.until(() => report !== undefined, 'close');
  return report!;
}

/** The messages the fake stored in a stream of GROUP, in its order. */
export const received = (h: Harness, stream: string) => h.fake.events(GROUP, stream).map((e) => e.message);

/** Creates GROUP and these streams in the fake, as the infrastructure would have. */
export function precreate(h: Harness, streams: string[]) {
  h.fake.createLogGroup(GROUP);
  for (const s of streams) h.fake.createLogStream(GROUP, s);
}
