// Flow control: backpressure above the high-water mark, refusal when memory and spool are full,
// and flush() / close() semantics for producers.
import t from 'tap';
import { GROUP, START, flushed, harness, precreate, received } from './support/cloudwatch-harness.js';

const event = (i: number) => ({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START + i, message: JSON.stringify({ i, pad: 'x'.repeat(60) }) });
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

t.test('above the high-water mark write() says backpressure; whenWritable() resolves once below', async (t) => {
  const h = await harness(t, { spoolLimitBytes: 256 * 1024, spoolSegmentBytes: 4096, highWaterMarkBytes: 16 * 1024 });
  precreate(h, ['rtr-a']);
  h.fake.outage('PutLogEvents', 'service-unavailable');
  let i = 0;
  while (h.sink.write(event(i)) === 'ok') i++;
  t.ok(i > 100 && h.sink.stats().spoolBytes >= 16 * 1024, `backpressure after ${i} events`);
  t.equal(h.sink.write(event(++i)), 'backpressure', 'still accepted');
  let writable = false;
  void h.sink.whenWritable().then(() => (writable = true));
  h.clock.advance(5_000);
  await tick();
  t.notOk(writable, 'not while the spool is above the mark');
  h.fake.outage('PutLogEvents', null);
  await h.until(() => writable, 'whenWritable');
  t.ok(h.sink.stats().spoolBytes < 16 * 1024);
  t.equal(h.sink.write(event(++i)), 'ok');
  await flushed(h);
  t.equal(received(h, 'rtr-a').length, i + 1, 'backpressured events were accepted and delivered');
});

t.test('memory and spool both full: refused and counted, the accepted ones all delivered', async (t) => {
  const h = await harness(t, { memoryLimitBytes: 2048, spoolLimitBytes: 8192, spoolSegmentBytes: 2048 });
  precreate(h, ['rtr-a']);
  h.fake.outage('PutLogEvents', 'service-unavailable');
  const outcomes: string[] = [];
  for (let i = 0; i < 200; i++) outcomes.push(h.sink.write(event(i)));
  const accepted = outcomes.filter((o) => o !== 'full').length;
  t.ok(accepted > 20 && accepted < 200, `${accepted} accepted`);
  t.same(
    outcomes.slice(accepted).every((o) => o === 'full'),
    true,
    'refused (full) from the moment it is full',
  );
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'refused' }), 200 - accepted);
  t.equal(h.sink.queuedEvents(), accepted);
  t.match(h.sink.refusalReason(), /^memory and spool full/, 'a reason for /healthz while full');
  h.fake.outage('PutLogEvents', null);
  await flushed(h);
  t.same(
    received(h, 'rtr-a'),
    Array.from({ length: accepted }, (_, i) => event(i).message),
  );
  t.equal(h.sink.write(event(999)), 'ok', 'room again once delivered');
  t.equal(h.sink.refusalReason(), null, 'ready again');
});

t.test('flush() resolves once what was written before it is delivered', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a', 'rtr-b']);
  h.fake.fault('PutLogEvents', { kind: 'throttle' }, { kind: 'throttle' });
  for (let i = 0; i < 10; i++) h.sink.write({ ...event(i), logStream: i % 2 ? 'rtr-a' : 'rtr-b' });
  let done = false;
  void h.sink.flush().then(() => (done = true));
  await h.until(() => done, 'flush');
  t.equal(received(h, 'rtr-a').length + received(h, 'rtr-b').length, 10);
  t.equal(h.sink.queuedEvents(), 0);
  await h.sink.flush(); // nothing pending: resolves at once
});

t.test('after close(), writes are refused and whenWritable() does not hang', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  h.sink.write(event(1));
  let report: unknown;
  void h.sink.close(h.clock.now() + 1_000).then((r) => (report = r));
  t.equal(h.sink.write(event(2)), 'closed');
  await h.sink.whenWritable();
  await h.until(() => report !== undefined, 'close');
  t.same(report, { delivered: 1, pending: 0, pendingSpooled: true });
  t.equal(await h.sink.close(h.clock.now()), report, 'close twice: the same report');
});

t.test('metrics: the names and labels of the contract', async (t) => {
  const h = await harness(t);
  const text = await h.registry.metrics();
  for (const line of [
    'netsidecar_sink_events_total{outcome="accepted"} 0',
    'netsidecar_sink_events_total{outcome="delivered"} 0',
    'netsidecar_sink_events_total{outcome="refused"} 0',
    'netsidecar_sink_rejected_events_total{reason="too_old"} 0',
    'netsidecar_sink_queue_events 0',
    'netsidecar_sink_spool_bytes 0',
  ]) {
    t.ok(text.includes(line), line);
  }
  h.sink.write(event(1));
  t.match(await h.registry.metrics(), /netsidecar_sink_queue_events 1\n/);
  t.match(await h.registry.metrics(), /netsidecar_sink_spool_bytes [1-9]\d*\n/);
  await flushed(h);
  t.match(await h.registry.metrics(), /netsidecar_cloudwatch_calls_total\{operation="PutLogEvents",outcome="ok"\} 1\n/);
  // The put found no group, nor did the stream create: two ResourceNotFoundException answers.
  t.match(await h.registry.metrics(), /netsidecar_cloudwatch_errors_total\{code="ResourceNotFoundException"\} 2\n/);
});
