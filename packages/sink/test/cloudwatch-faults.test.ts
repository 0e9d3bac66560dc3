// End to end against the wire-level fake: a real SDK client, real HTTP on 127.0.0.1, scripted
// faults. Time is a fake clock, moved only while no call is in flight, so a per-request timeout
// can never fire on a call that is merely slow on a busy machine.
import t from 'tap';
import type { FaultKind } from '@netsidecar/test-support';
import { GROUP, START, flushed, harness, precreate, received, writeEvents } from './support/cloudwatch-harness.js';
import { eventually } from '@netsidecar/test-support/eventually';

const exactlyOnceFaults: FaultKind[] = ['throttle', 'service-unavailable', 'internal-error', 'drop-before'];
for (const kind of exactlyOnceFaults) {
  t.test(`${kind}, three times in a row: every event exactly once, in order, per stream`, async (t) => {
    const h = await harness(t);
    const streams = ['rtr-a', 'rtr-b', 'rtr-c'];
    precreate(h, streams);
    h.fake.fault('PutLogEvents', { kind }, { kind }, { kind });
    const expected = writeEvents(h, streams, 400);
    await flushed(h);
    for (const s of streams) t.same(received(h, s), expected.get(s), s);
    t.equal(h.fake.calls('PutLogEvents').filter((c) => c.fault === kind).length, 3, 'the faults were met');
    t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 1200);
    t.ok((await h.metric('netsidecar_cloudwatch_errors_total')) >= 1, 'errors counted by code');
    t.equal(h.sink.queuedEvents(), 0);
  });
}

t.test('a hung connection becomes a retry after the per-request timeout', async (t) => {
  const h = await harness(t, { requestTimeoutMs: 10_000 });
  precreate(h, ['rtr-a']);
  h.fake.fault('PutLogEvents', { kind: 'hang' });
  const expected = writeEvents(h, ['rtr-a'], 100);
  let done = false;
  void h.sink.flush().then(() => (done = true));
  await h.until(() => h.fake.calls('PutLogEvents').some((c) => c.fault === 'hang'), 'the hung call');
  // The retry can only follow the request's timeout timer, which waits on the fake clock.
  const timeoutAt = h.fake.calls('PutLogEvents')[0]!.at + 10_000;
  h.clock.advance(9_999);
  t.ok((h.clock.timers.get(timeoutAt)?.length ?? 0) > 0, 'the request timeout still waits at 9,999 ms');
  t.equal(h.fake.calls('PutLogEvents').length, 1, 'nothing else before the timeout');
  h.clock.advance(1);
  await h.until(() => done, 'flush');
  t.same(received(h, 'rtr-a'), expected.get('rtr-a'));
  t.equal(await h.metric('netsidecar_cloudwatch_errors_total', { code: 'RequestTimeout' }), 1);
});

t.test('drop-after (stored, then the connection dropped): at least once, first arrivals in order', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a', 'rtr-b']);
  h.fake.fault('PutLogEvents', { kind: 'drop-after' }, { kind: 'drop-after' });
  const expected = writeEvents(h, ['rtr-a', 'rtr-b'], 300);
  await flushed(h);
  let duplicates = 0;
  for (const s of ['rtr-a', 'rtr-b']) {
    const got = received(h, s);
    const firsts = got.filter((m, i) => got.indexOf(m) === i);
    t.same(firsts, expected.get(s), `${s}: nothing lost, first arrivals in order`);
    duplicates += got.length - firsts.length;
  }
  t.ok(duplicates > 0, `the retried batches arrived twice (${duplicates} duplicates)`);
});

t.test('one PutLogEvents in flight per stream; several streams at once, at most maxConcurrentStreams', async (t) => {
  const h = await harness(t, { maxConcurrentStreams: 4, flushIntervalMs: 1_000 });
  const streams = Array.from({ length: 8 }, (_, i) => `rtr-${i}`);
  precreate(h, streams);
  // Slow answers (30 ms of real time each) so calls overlap if the sink lets them.
  h.fake.fault('PutLogEvents', ...Array.from({ length: 200 }, () => ({ kind: 'hang' as const, ms: 30 })));
  const expected = new Map<string, string[]>(streams.map((s) => [s, []]));
  // Keep writing, and let the flush interval tick, while calls are in flight.
  for (let round = 0; round < 6; round++) {
    for (const [s, list] of writeEvents(h, streams, round === 0 ? 10_001 : 50, `r${round}`)) expected.get(s)!.push(...list);
    h.clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await flushed(h);
  for (const s of streams) t.same(received(h, s), expected.get(s), s);
  t.equal(h.inFlight.maxPerStream, 1, 'never two calls of one stream at once');
  t.equal(h.inFlight.maxTotal, 4, 'four streams at once, not more');
  t.ok(
    h.fake.calls('PutLogEvents').every((c) => c.eventCount! <= 10_000 && c.bytes! <= 1_048_576),
    'batches within limits',
  );
});

t.test('events written while their stream has a call in flight wait for it, even with free slots', async (t) => {
  const h = await harness(t, { maxConcurrentStreams: 4, flushIntervalMs: 1_000 });
  precreate(h, ['rtr-a']);
  h.fake.fault('PutLogEvents', ...Array.from({ length: 20 }, () => ({ kind: 'hang' as const, ms: 30 })));
  const expected: string[] = [];
  for (let round = 0; round < 5; round++) {
    expected.push(...writeEvents(h, ['rtr-a'], 20, `r${round}`).get('rtr-a')!);
    h.clock.advance(1_000); // the interval ticks: the stream is due again while its call is out
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await flushed(h);
  t.same(received(h, 'rtr-a'), expected);
  t.equal(h.inFlight.maxPerStream, 1);
});

t.test('the flush interval sends a partial batch; nothing is sent before it', async (t) => {
  const h = await harness(t, { flushIntervalMs: 1_000 });
  precreate(h, ['rtr-a']);
  writeEvents(h, ['rtr-a'], 3);
  // The flush timer is armed once the write has settled (after the spool's I/O): wait for it, then
  // show on the fake clock that it is one interval away and does not fire a millisecond early.
  const flushAt = await eventually(() => (h.clock.timers.size > 0 ? Math.min(...h.clock.timers.keys()) : false), {
    timeoutMs: 10_000,
    what: 'the flush timer',
  });
  t.equal(flushAt - h.clock.now(), 1_000, 'the flush is due one interval after the write');
  h.clock.advance(999);
  t.ok(h.clock.timers.has(flushAt), 'it still waits at 999 ms');
  t.equal(h.fake.calls('PutLogEvents').length, 0, 'not before the interval');
  h.clock.advance(1);
  t.notOk(h.clock.timers.has(flushAt), 'and fires at 1,000 ms');
  await h.until(() => h.sink.queuedEvents() === 0, 'delivery');
  t.equal(received(h, 'rtr-a').length, 3);
});

t.test('a message over the event limit arrives as parts that reassemble, never truncated', async (t) => {
  const { reassembleParts } = await import('@netsidecar/contracts');
  const h = await harness(t, { maxEventBytes: 4096 });
  precreate(h, ['rtr-a']);
  const big = JSON.stringify({ schema: 'syslog/1', raw: 'é😀"'.repeat(3000) });
  h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: 'before' });
  h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: big });
  h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: 'after' });
  await flushed(h);
  const got = received(h, 'rtr-a');
  t.ok(got.length > 5, `${got.length} events`);
  t.ok(got.every((m) => Buffer.byteLength(m) + 26 <= 4096));
  t.same(reassembleParts(got), { messages: ['before', big, 'after'], incomplete: [] });
});
