// The one event writer: stamps JSON events, names streams (bounded, capped per source), and counts
// what the sink refused by the sink's own word, the same for every service. Real sinks throughout.
import t from 'tap';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FileSink, StdoutSink, toLogStreamName } from '@netsidecar/sink';
import { counter, createRegistry, silentLogger } from '@netsidecar/telemetry';
import type { Registry } from 'prom-client';
import { EventWriter, NewStreamCap, StreamNames } from '../src/index.js';

async function values(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.reason), v.value]));
}

async function fileSink(t: { teardown(fn: () => unknown): void }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-writer-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const registry = createRegistry('test');
  const sink = new FileSink({ dataDir, registry, logger: silentLogger });
  const dropped = counter(registry, 'netsidecar_test_events_dropped_total', 'test', ['reason']);
  const lines = async (stream: string) => (await readFile(join(dataDir, 'logs', 'netsidecar', 'test', `${stream}.jsonl`), 'utf8')).split('\n').filter(Boolean);
  return { dataDir, registry, sink, dropped, lines };
}

t.test('writeEvent stamps schema and time (the CloudWatch timestamp, ISO UTC) before the fields', async (t) => {
  const { registry, sink, dropped, lines } = await fileSink(t);
  const writer = new EventWriter({ sink, logGroup: '/netsidecar/test', dropped });
  t.same(await values(registry, 'netsidecar_test_events_dropped_total'), { sink_full: 0, sink_closed: 0 }, 'both reasons visible at 0');
  t.equal(writer.writeEvent('2001:db8::1', Date.UTC(2026, 10, 22, 14, 0, 0, 5), 'test/1', { type: 'hello', n: 1 }), 'ok');
  await sink.flush();
  t.same(
    await lines('2001_db8__1'),
    ['{"schema":"test/1","time":"2026-11-22T14:00:00.005Z","type":"hello","n":1}'],
    'in that order, to the stream named by toLogStreamName',
  );
  await sink.close(Date.now() + 1_000);
});

t.test("refusals are counted by the sink's word: full → sink_full, closed → sink_closed", async (t) => {
  const registry = createRegistry('test');
  const dropped = counter(registry, 'netsidecar_test_events_dropped_total', 'test', ['reason']);
  // A pipe that never drains: the stdout sink takes 64 bytes, then says `full`.
  const out = new Writable({ highWaterMark: 16, write: () => {} });
  const sink = new StdoutSink({ registry, out, memoryLimitBytes: 64 });
  const writer = new EventWriter({ sink, logGroup: '/netsidecar/test', dropped });
  const outcomes = Array.from({ length: 10 }, (_, i) => writer.writeMessage('s', 0, `message ${i} ${'x'.repeat(20)}`));
  const full = outcomes.filter((o) => o === 'full').length;
  t.ok(full > 0 && full < 10, `${10 - full} taken, ${full} full`);
  await sink.close(Date.now() + 10);
  t.equal(writer.writeMessage('s', 0, 'late'), 'closed');
  t.same(await values(registry, 'netsidecar_test_events_dropped_total'), { sink_full: full, sink_closed: 1 });
});

t.test("host names from the network: new streams capped per source and per minute, the rest to the source's stream, none dropped", async (t) => {
  const { registry, sink, dropped, dataDir, lines } = await fileSink(t);
  let now = 0;
  const cap = new NewStreamCap({ perSource: 3, perMinute: 5, now: () => now });
  const capped = counter(registry, 'netsidecar_test_streams_capped_total', 'test', ['reason']);
  const writer = new EventWriter({ sink, logGroup: '/netsidecar/test', dropped, streams: new StreamNames({ cap, capped }) });
  // 10.0.0.1 sends 6 host names: 3 get their stream, 3 go to 10.0.0.1's.
  for (let i = 0; i < 6; i++) writer.writeMessageFrom('10.0.0.1', `junk-${i}`, 0, `a${i}`);
  // 10.0.0.2 names itself: its own address is always its stream, never counted against a cap.
  writer.writeMessageFrom('10.0.0.2', '10.0.0.2', 0, 'b0');
  // Two more sources: the global cap (5) has 2 left, so one of 10.0.0.3's three names is capped.
  for (let i = 0; i < 3; i++) writer.writeMessageFrom('10.0.0.3', `rtr-3-${i}`, 0, `c${i}`);
  t.same(await values(registry, 'netsidecar_test_streams_capped_total'), { source_limit: 3, global_limit: 1 });
  // A name that has its stream keeps it, whatever the cap says now.
  writer.writeMessageFrom('10.0.0.1', 'junk-0', 0, 'a-again');
  // A minute later the buckets are full again.
  now = 60_000;
  writer.writeMessageFrom('10.0.0.1', 'junk-5', 0, 'a5-later');
  await sink.flush();
  const files = (await readdir(join(dataDir, 'logs', 'netsidecar', 'test'))).sort();
  t.same(files, [
    '10.0.0.1.jsonl',
    '10.0.0.2.jsonl',
    '10.0.0.3.jsonl',
    'junk-0.jsonl',
    'junk-1.jsonl',
    'junk-2.jsonl',
    'junk-5.jsonl',
    'rtr-3-0.jsonl',
    'rtr-3-1.jsonl',
  ]);
  t.same(await lines('10.0.0.1'), ['a3', 'a4', 'a5'], 'capped names go to the source address stream, in order');
  t.same(await lines('junk-0'), ['a0', 'a-again']);
  t.same(await lines('junk-5'), ['a5-later']);
  t.same(await lines('10.0.0.3'), ['c2']);
  t.same(await values(registry, 'netsidecar_test_events_dropped_total'), { sink_full: 0, sink_closed: 0 }, 'nothing dropped');
  await sink.close(Date.now() + 1_000);
});

t.test('runs of encoded lines: one stream per run under the same cap, each line counted; a sink without writeLines gets them as messages', async (t) => {
  const { registry, sink, dropped, lines } = await fileSink(t);
  const cap = new NewStreamCap({ perSource: 1, perMinute: 100, now: () => 0 });
  const capped = counter(registry, 'netsidecar_test_streams_capped_total', 'test', ['reason']);
  const writer = new EventWriter({ sink, logGroup: '/netsidecar/test', dropped, streams: new StreamNames({ cap, capped }) });
  t.equal(writer.acceptsLines, true, 'the file sink takes lines');
  const run = (...messages: string[]) => Buffer.from(messages.map((m) => m + '\n').join(''));
  t.equal(writer.writeLinesFrom('10.0.0.1', 'rtr-1', 0, run('{"n":1}', '{"n":2}'), 2), 'ok');
  // The source's second name is over its cap: the run goes to its address's stream, each event counted.
  t.equal(writer.writeLinesFrom('10.0.0.1', 'rtr-2', 0, run('{"n":3}', '{"n":4}', '{"n":5}'), 3), 'ok');
  t.same(await values(registry, 'netsidecar_test_streams_capped_total'), { source_limit: 3, global_limit: 0 });
  await sink.flush();
  t.same(await lines('rtr-1'), ['{"n":1}', '{"n":2}']);
  t.same(await lines('10.0.0.1'), ['{"n":3}', '{"n":4}', '{"n":5}']);
  await sink.close(Date.now() + 1_000);

  // A sink of messages only (stdout here, without writeLines): the run arrives as its messages, in order.
  const out: string[] = [];
  const stdout = new StdoutSink({ registry: createRegistry('test2'), out: new Writable({ write: (chunk, _e, done) => (out.push(String(chunk)), done()) }) });
  const plain = Object.assign(Object.create(stdout) as StdoutSink, { writeLines: undefined });
  const messagesOnly = new EventWriter({ sink: plain, logGroup: '/netsidecar/test', dropped });
  t.equal(messagesOnly.acceptsLines, false);
  t.equal(messagesOnly.writeLinesFrom('10.0.0.9', 'rtr-9', 0, run('{"é":"🚀"}', '{"n":2}'), 2), 'ok');
  t.same(out.join(''), '{"é":"🚀"}\n{"n":2}\n');
});

t.test('a hostile host name becomes a bounded stream name that names one file', async (t) => {
  const { sink, dropped, dataDir } = await fileSink(t);
  const writer = new EventWriter({ sink, logGroup: '/netsidecar/test', dropped });
  const hostile = `../${'h'.repeat(5_000)}:*\u0000`;
  writer.writeMessageFrom('10.0.0.9', hostile, 0, 'x');
  const report = await sink.close(Date.now() + 1_000);
  t.same(report, { delivered: 1, pending: 0, pendingSpooled: false }, 'written, not retried forever');
  const stream = toLogStreamName(hostile);
  t.ok(stream.length <= 255 && !/[/:*\u0000]/.test(stream), stream);
  t.ok((await readdir(join(dataDir, 'logs', 'netsidecar', 'test'))).length >= 1);
});

t.test('remembered names are bounded: the oldest generation is forgotten, names in use stay', async (t) => {
  let admitted = 0;
  const cap = new NewStreamCap({ perSource: 0, perMinute: 1_000_000, now: () => 0 });
  const counting = { admit: (source: string) => (admitted++, cap.admit(source)) } as unknown as NewStreamCap;
  const names = new StreamNames({ cap: counting, maxNames: 6 }); // two generations of 3
  for (const name of ['a', 'b', 'c', 'd', 'e']) names.from('10.0.0.1', name); // a, b, c are the previous generation
  t.equal(admitted, 5);
  names.from('10.0.0.1', 'a'); // known from the previous generation: moved forward
  t.equal(admitted, 5, 'a known name opens no new stream');
  for (const name of ['f', 'g', 'h', 'i']) names.from('10.0.0.1', name); // two rotations later
  t.equal(admitted, 9);
  names.from('10.0.0.1', 'b'); // forgotten: a new stream again, asked of the cap again
  t.equal(admitted, 10);
});
