// Issue 13, point 5 (the drain's half): a task that is going away uses its deadline well. close()
// sends many streams at once, wakes every retry that sleeps, and retries what fails during the
// drain after short waits only. Against the wire-level fake, on a fake clock.
import t, { type Test } from 'tap';
import { closed, flushed, harness, precreate, received, writeEvents, type Harness } from './support/cloudwatch-harness.js';

/** Every call takes `ms` of the fake clock before it reaches the fake: CloudWatch answering slowly. */
function slowCalls(h: Harness, ms: number): void {
  const send = h.client.send.bind(h.client) as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;
  (h.client as { send: unknown }).send = async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    await new Promise((resolve) => h.clock.setTimeout(resolve, ms));
    if (options?.abortSignal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    return send(command, options);
  };
}

const devices = (n: number) => Array.from({ length: n }, (_, i) => `rtr-${String(i).padStart(3, '0')}`);

/** 100 devices with 50 lines each, CloudWatch at 2 s a call, a 25 s drain: what is delivered by the deadline. */
async function drainAtTwoSecondsACall(t: Test, drainConcurrentStreams: number) {
  const h = await harness(t, { maxConcurrentStreams: 4, drainConcurrentStreams, flushIntervalMs: 60_000 });
  const streams = devices(100);
  precreate(h, streams);
  writeEvents(h, streams, 1, 'warm-up'); // known to exist: one call per batch
  await flushed(h);
  slowCalls(h, 2_000);
  writeEvents(h, streams, 50, 'drain');
  const report = await closed(h, h.clock.now() + 25_000);
  const delivered = streams.reduce((n, s) => n + received(h, s).length - 1, 0);
  return { h, report, delivered, sent: 100 * 50 };
}

t.test('CloudWatch at 2 s a call: a 25 s drain delivers 100 devices by sending 32 streams at once', async (t) => {
  const one = await drainAtTwoSecondsACall(t, 4);
  const many = await drainAtTwoSecondsACall(t, 32);
  t.comment(
    `point 5: 2 s a call, 25 s drain: one call per stream, 4 streams at once: ${one.delivered}/${one.sent} delivered, ${one.report.pending} left spooled`,
  );
  t.comment(`point 5: 2 s a call, 25 s drain: 32 streams at once (the default): ${many.delivered}/${many.sent} delivered, ${many.report.pending} left spooled`);
  t.same(many.report, { delivered: 5_000, pending: 0, pendingSpooled: true }, 'everything delivered before the deadline');
  t.equal(many.h.inFlight.maxTotal, 32, '32 calls in flight at most');
  t.equal(many.h.inFlight.maxPerStream, 1, 'still one per stream: each stream in order');
  t.ok(one.report.pending > 0, 'four at a time could not (the drain before issue 13)');
});

t.test('close() wakes a retry that sleeps 15–30 s after an unknown error; the call goes again at once', async (t) => {
  const h = await harness(t, { retryCapMs: 30_000 });
  precreate(h, ['rtr-a']);
  h.fake.fault('PutLogEvents', { kind: 'error', type: 'BrandNewException', status: 400 });
  const expected = writeEvents(h, ['rtr-a'], 100).get('rtr-a')!;
  void h.sink.flush();
  await h.until(() => h.fake.calls('PutLogEvents').length === 1 && h.inFlight.total === 0, 'the failed call');
  h.clock.advance(1_000); // the retry is asleep for 14 s or more
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(h.fake.calls('PutLogEvents').length, 1, 'asleep');
  const closeAt = h.clock.now();
  const report = await closed(h, closeAt + 5_000);
  t.same(report, { delivered: 100, pending: 0, pendingSpooled: true });
  const retry = h.fake.calls('PutLogEvents')[1]!;
  t.ok(retry.at - closeAt < 100, `retried ${retry.at - closeAt} ms after close(), not after the 15 s wait`);
  t.same(received(h, 'rtr-a'), expected);
});

t.test('a call failing during the drain is retried after short waits (at most 1 s) until it goes through', async (t) => {
  const h = await harness(t, { retryCapMs: 30_000 });
  precreate(h, ['rtr-a', 'rtr-b']);
  const expected = writeEvents(h, ['rtr-a', 'rtr-b'], 50);
  h.fake.outage('PutLogEvents', 'service-unavailable');
  const closeAt = h.clock.now();
  let report: Awaited<ReturnType<Harness['sink']['close']>> | undefined;
  void h.sink.close(closeAt + 20_000).then((r) => (report = r));
  await h.until(() => h.clock.now() >= closeAt + 8_000, '8 s of drain against an outage');
  h.fake.outage('PutLogEvents', null);
  await h.until(() => report !== undefined, 'close');
  t.same(report, { delivered: 100, pending: 0, pendingSpooled: true }, 'all delivered once the outage ended, before the deadline');
  for (const stream of ['rtr-a', 'rtr-b']) {
    const at = h.fake
      .calls('PutLogEvents')
      .filter((c) => c.logStream === stream)
      .map((c) => c.at);
    const longest = Math.max(...at.slice(1).map((x, i) => x - at[i]!));
    t.ok(at.length >= 8 && longest <= 1_000, `${stream}: ${at.length} tries, the longest wait ${longest} ms`);
    t.same(received(h, stream), expected.get(stream));
  }
});

t.test('an unknown error during the drain: counted and logged, retried after a short wait', async (t) => {
  const h = await harness(t, { retryCapMs: 30_000 });
  precreate(h, ['rtr-a']);
  const unknown = { kind: 'error' as const, type: 'BrandNewException', status: 400 };
  h.fake.fault('PutLogEvents', unknown, unknown, unknown);
  writeEvents(h, ['rtr-a'], 10);
  const closeAt = h.clock.now();
  const report = await closed(h, closeAt + 20_000);
  t.same(report, { delivered: 10, pending: 0, pendingSpooled: true });
  t.ok(h.clock.now() - closeAt <= 3_000, `delivered ${h.clock.now() - closeAt} ms into the drain`);
  t.equal(await h.metric('netsidecar_cloudwatch_unknown_errors_total', { operation: 'PutLogEvents' }), 3);
  t.equal(h.logs.filter((l) => /does not list.*draining/.test(String(l.msg))).length, 3);
});
