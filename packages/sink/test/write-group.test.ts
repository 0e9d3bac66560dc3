// writeGroup(): a group of events is one unit in every sink, accepted or refused whole. Where a
// group is refused, nothing of it is held, written or delivered; where it is accepted, all of it is,
// together. And each sink says whether an accepted event is durable as soon as write() returns.
import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import { FileSink, StdoutSink, type SinkEvent } from '@netsidecar/sink';
import { GROUP, START, flushed, harness, precreate, received } from './support/cloudwatch-harness.js';

const unit = (tag: string, n: number, pad = 0, logGroup = GROUP): SinkEvent[] =>
  Array.from({ length: n }, (_, i) => ({ logGroup, logStream: 'rtr-a', timestamp: START, message: `${tag}-${i}${'x'.repeat(pad)}` }));

t.test('file sink: a group that does not fit under the memory limit is refused whole; one that fits is written together', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-group-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const registry = createRegistry('test');
  // Lines of 9 or 10 characters with their newline; the limit is 100 characters held.
  const sink = new FileSink({ dataDir, registry, logger: silentLogger, memoryLimitBytes: 100, flushBytes: 1e9 });
  t.equal(sink.durableOnWrite, false, 'durable only after flush()');
  t.equal(sink.write(unit('single', 1, 1, '/g')[0]!), 'ok');
  t.equal(sink.writeGroup(unit('fits12', 6, 0, '/g')), 'backpressure', '10 held + 45 before its last one stays under 100: all six accepted');
  t.equal(sink.queuedEvents(), 7);
  t.equal(sink.writeGroup(unit('toobig', 5, 0, '/g')), 'full', '64 held + 36 before its last one reaches 100: none accepted');
  t.equal(sink.queuedEvents(), 7, 'nothing of the refused group is held');
  t.equal(sink.write(unit('single', 1, 1, '/g')[0]!), 'backpressure', 'a single event still fits (it may cross the limit, as always)');
  t.equal(
    (await registry.getSingleMetric('netsidecar_sink_events_total')!.get()).values.find((v) => v.labels.outcome === 'refused')?.value,
    5,
    'each refused event counted',
  );
  await sink.close(Date.now() + 5_000);
  const lines = (await readFile(join(dataDir, 'logs/g/rtr-a.jsonl'), 'utf8')).split('\n').filter(Boolean);
  t.same(lines, ['single-0x', 'fits12-0', 'fits12-1', 'fits12-2', 'fits12-3', 'fits12-4', 'fits12-5', 'single-0x']);
  t.equal(sink.writeGroup(unit('late', 2, 0, '/g')), 'closed');
});

t.test('stdout sink: a group is one write; refused whole when the pipe is full or the sink closed', async (t) => {
  const chunks: string[] = [];
  let release: (() => void) | undefined;
  const out = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      release = done; // held until released: the pipe is stalled
    },
  });
  const registry = createRegistry('test');
  const sink = new StdoutSink({ registry, out, memoryLimitBytes: 50 });
  t.equal(sink.durableOnWrite, false);
  t.equal(sink.writeGroup(unit('a', 3)), 'ok');
  t.same(chunks, ['a-0\na-1\na-2\n'], 'one write');
  t.equal(sink.writeGroup(unit('b', 20, 10)), 'backpressure', 'taken: the pipe held less than the limit');
  t.equal(sink.writeGroup(unit('c', 2)), 'full', 'the stalled pipe holds more than the limit');
  release?.();
  await new Promise((resolve) => setImmediate(resolve));
  release?.();
  t.same(chunks.length, 2, 'the refused group was never written');
  await sink.close(Date.now() + 100);
  t.equal(sink.writeGroup(unit('d', 2)), 'closed');
});

t.test('cloudwatch sink: durable on write; a group the spool cannot hold is refused whole, the accepted ones arrive whole', async (t) => {
  const h = await harness(t, { memoryLimitBytes: 2048, spoolLimitBytes: 8192, spoolSegmentBytes: 2048 });
  t.equal(h.sink.durableOnWrite, true, 'written ahead to the spool inside write()');
  precreate(h, ['rtr-a']);
  h.fake.outage('PutLogEvents', 'service-unavailable');
  const accepted: string[] = [];
  let refusedGroups = 0;
  for (let g = 0; g < 40; g++) {
    const events = unit(`g${g}`, 4, 60);
    const queuedBefore = h.sink.queuedEvents();
    const outcome = h.sink.writeGroup(events);
    if (outcome === 'full') {
      refusedGroups++;
      t.equal(h.sink.queuedEvents(), queuedBefore, `group ${g}: nothing of it taken`);
    } else {
      accepted.push(...events.map((e) => e.message));
    }
  }
  t.ok(refusedGroups > 0 && accepted.length > 0, `${accepted.length / 4} groups accepted, ${refusedGroups} refused`);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'refused' }), refusedGroups * 4);
  h.fake.outage('PutLogEvents', null);
  await flushed(h);
  t.same(received(h, 'rtr-a'), accepted, 'every accepted group whole, in order; nothing of a refused one');
  await h.sink.close(h.clock.now() + 1_000);
  t.equal(h.sink.writeGroup(unit('late', 2)), 'closed');
});
