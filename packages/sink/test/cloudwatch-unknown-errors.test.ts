// Failures the retry policy does not list (retry/error-lists.ts), end to end against the
// wire-level fake: the events are neither dropped nor retried at once; they stay in the spool,
// the call is tried again after a long wait, and the failure is counted and logged as an error.
import t from 'tap';
import { flushed, harness, precreate, received, writeEvents } from './support/cloudwatch-harness.js';

const CAP = 30_000; // retryCapMs: an unknown failure waits at least half of it
/** One turn of the event loop: a retry whose wait has ended on the fake clock has called client.send by then. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

t.test('PutLogEvents answers an exception outside the model: kept, retried after a long wait, loud', async (t) => {
  const h = await harness(t, { retryCapMs: CAP });
  precreate(h, ['rtr-a', 'rtr-b']);
  h.fake.fault('PutLogEvents', { kind: 'error', type: 'BrandNewException', status: 400 });
  const a = writeEvents(h, ['rtr-a'], 100).get('rtr-a')!;
  let done = false;
  void h.sink.flush().then(() => (done = true));
  await h.until(() => h.fake.calls('PutLogEvents').length === 1 && h.inFlight.total === 0, 'the failed call');

  const failedAt = h.fake.calls('PutLogEvents')[0]!.at;
  const b = writeEvents(h, ['rtr-b'], 10).get('rtr-b')!;
  await h.until(() => h.sink.queuedEvents() === 100, "rtr-b's events settled");
  t.same(received(h, 'rtr-b'), b, 'another stream is not held up');
  h.clock.advance(failedAt + CAP / 2 - 1 - h.clock.now());
  await turn();
  t.equal(h.inFlight.total, 0, 'not tried again before cap / 2');
  t.equal(h.fake.calls('PutLogEvents').length, 2, "rtr-a's failed call and rtr-b's");
  t.same(received(h, 'rtr-a'), []);
  t.equal(h.sink.queuedEvents(), 100, 'nothing dropped: the events wait in the spool');
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'brand_new' }), 0, 'nothing rejected');
  t.equal(await h.metric('netsidecar_cloudwatch_unknown_errors_total', { operation: 'PutLogEvents' }), 1, 'counted');
  const loud = h.logs.filter((l) => l.level === 'error' && /does not list/.test(String(l.msg)));
  t.equal(loud.length, 1, 'logged as an error');
  t.match(loud[0], { operation: 'PutLogEvents', logStream: 'rtr-a', code: 'BrandNewException', status: 400 });
  t.notMatch(JSON.stringify(loud), /scripted/, 'without the error message (it can quote events)');

  h.clock.advance(CAP / 2 + 1_000); // past any wait in [cap / 2, cap)
  await turn();
  t.equal(h.inFlight.total, 1, 'tried again once the wait is over');
  await h.until(() => done, 'flush');
  t.same(received(h, 'rtr-a'), a, 'delivered once, in order, after the wait');
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 110);
});

t.test('a listed failure is retried at once; the same status with an unlisted name waits', async (t) => {
  const h = await harness(t, { retryCapMs: CAP });
  precreate(h, ['rtr-a']);
  h.fake.fault('PutLogEvents', { kind: 'throttle' }, { kind: 'error', type: 'ThrottledByAProxyException', status: 400 });
  writeEvents(h, ['rtr-a'], 5);
  await flushed(h);
  const calls = h.fake.calls('PutLogEvents');
  t.same(
    calls.map((c) => c.error ?? c.status),
    ['ThrottlingException', 'ThrottledByAProxyException', 200],
  );
  t.ok(calls[1]!.at - calls[0]!.at < 1_000, `listed: retried after ${calls[1]!.at - calls[0]!.at} ms`);
  t.ok(calls[2]!.at - calls[1]!.at >= CAP / 2, `unlisted: retried after ${calls[2]!.at - calls[1]!.at} ms`);
  t.equal(received(h, 'rtr-a').length, 5);
});

t.test('CreateLogStream answers an unknown error: the batch is not rejected, the stream comes later', async (t) => {
  const h = await harness(t, { retryCapMs: CAP });
  h.fake.createLogGroup('/netsidecar/syslog');
  h.fake.fault('CreateLogStream', { kind: 'error', type: 'NotImplemented', status: 501 });
  const expected = writeEvents(h, ['rtr-new'], 20).get('rtr-new')!;
  await flushed(h);
  t.same(received(h, 'rtr-new'), expected);
  t.same(
    h.fake.calls('CreateLogStream').map((c) => c.error ?? c.status),
    ['NotImplemented', 200],
  );
  t.equal(await h.metric('netsidecar_cloudwatch_unknown_errors_total', { operation: 'CreateLogStream' }), 1);
  t.notOk(h.logs.some((l) => l.msg === 'cloudwatch destination cannot be created; events rejected'));
});
