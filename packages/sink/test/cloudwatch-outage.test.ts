// A 30-minute CloudWatch outage, on a fake clock, with memory so small that nearly every event
// goes through the spool's on-disk backlog: nothing lost, nothing doubled, order kept per stream.
//
// Scale: the case is 1,000 events/s for 30 minutes (1.8 M events, about 720 MB of
// 400-byte events: it fits the 2 GiB default spool). A unit test cannot push 1.8 M events through
// HTTP in a few seconds, so this keeps the duration (30 fake minutes: backoff climbs to its 30 s
// cap and stays there for most of it) and scales the rate down to 20 events/s (36,000 events),
// with memoryLimitBytes at 64 KiB instead of 64 MiB: the same 1,000:1 ratio of outage volume to
// memory as the real case, so the same code path (spill to disk, read back in order) carries it.
import t from 'tap';
import { eventually } from '@netsidecar/test-support/eventually';
import { GROUP, harness, precreate, received } from './support/cloudwatch-harness.js';

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
    await eventually(() => h.inFlight.total === 0, { timeoutMs: 10_000, intervalMs: 1, what: 'no call in flight' });
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
    t.ok(
      got.every((m, i) => m === expected.get(s)![i]),
      `${s}: exactly once, in order`,
    );
  }
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'accepted' }), total);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), total);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'refused' }), 0);
  t.ok((await h.metric('netsidecar_cloudwatch_errors_total', { code: 'ServiceUnavailableException' })) >= failed - 1);
  t.equal(h.sink.stats().spoolBytes, 0, 'spool emptied once all was delivered');
});
