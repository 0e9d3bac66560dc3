// Issue 13, point 3 (the sink's half): one source's new streams must not delay another's events.
// Each new stream costs CloudWatch calls (PutLogEvents finds no stream, CreateLogStream, PutLogEvents
// again) and CreateLogStream is limited per account (50 TPS, "CloudWatch Logs quotas"). Counted
// in calls against the wire-level fake on a fake clock, never in wall time.
import t from 'tap';
import { GROUP, flushed, harness, precreate, received, writeEvents, type Harness } from './support/cloudwatch-harness.js';

const junk = (n: number) => Array.from({ length: n }, (_, i) => `junk-${String(i).padStart(4, '0')}`);

/**
 * Calls the fake received from `from` (an index in its call log) up to the first put that stored
 * `stream`, inclusive, and the (fake) time that put came.
 */
function untilStored(h: Harness, stream: string, from: number): { calls: number; at: number } {
  const calls = h.fake.calls().slice(from);
  const i = calls.findIndex((c) => c.operation === 'PutLogEvents' && c.logStream === stream && c.status === 200);
  return i < 0 ? { calls: Infinity, at: Infinity } : { calls: i + 1, at: calls[i]!.at };
}

/** One source invents `n` streams (one line each); a flush makes them all due; waits until they are being created. */
async function junkBeingCreated(h: Harness, n: number): Promise<void> {
  writeEvents(h, junk(n), 1, 'junk');
  void h.sink.flush();
  await h.until(() => h.fake.calls('CreateLogStream').length >= 2, 'the junk streams being created');
}

t.test("an established stream's lines go past 200 new streams queued before them", async (t) => {
  const h = await harness(t, { maxConcurrentStreams: 4 });
  precreate(h, ['rtr-control']);
  writeEvents(h, ['rtr-control'], 1, 'warm-up');
  await flushed(h);

  await junkBeingCreated(h, 200);
  const mark = h.fake.calls().length;
  const writtenAt = h.clock.now();
  const control = writeEvents(h, ['rtr-control'], 500, 'control').get('rtr-control')!;
  await h.until(() => received(h, 'rtr-control').length === 501, "the control stream's 500 lines");
  const { calls, at } = untilStored(h, 'rtr-control', mark);
  // Before the two lanes (one first-in first-out line) this was 589 calls and 18.7 s: nearly every
  // junk stream's put, create and put again first, paced at 10 creations a second.
  t.comment(
    `point 3: the control stream's 500 lines stored ${at - writtenAt} ms (fake clock) and ${calls} calls after they were written, 200 new streams queued before them`,
  );
  t.ok(calls <= 2 * 3 + 1, `at most the calls of the two new streams in flight, then its own put (${calls})`);
  t.ok(at - writtenAt <= 2_000, `within the flush interval (1 s) and a second (${at - writtenAt} ms)`);
  t.same(received(h, 'rtr-control').slice(1), control, 'every control line, once, in order');
  t.ok(h.fake.streams(GROUP).length < 200, 'while most junk streams were still waiting to be created');
  await flushed(h);
  const undelivered = junk(200).filter((s) => received(h, s).length !== 1);
  t.same(undelivered, [], 'and every junk line delivered once in the end');
});

t.test('new streams never take more than half the slots: established ones keep the rest', async (t) => {
  const h = await harness(t, { maxConcurrentStreams: 8 });
  const established = ['rtr-a', 'rtr-b', 'rtr-c', 'rtr-d'];
  precreate(h, established);
  writeEvents(h, established, 1, 'warm-up');
  await flushed(h);
  // The creations hang: every new-stream slot is held as long as the test wants.
  h.fake.latency('CreateLogStream', 60_000);
  await junkBeingCreated(h, 50);
  t.equal(h.fake.calls('CreateLogStream').length, 4, 'four new streams in flight (half of eight), no more');
  const expected = writeEvents(h, established, 200, 'during');
  await h.until(() => established.every((s) => received(h, s).length === 201), 'the established streams');
  for (const s of established) t.same(received(h, s).slice(1), expected.get(s), `${s}: delivered while the creations hang`);
  t.equal(h.fake.calls('CreateLogStream').length, 4, 'still four');
  h.fake.latency('CreateLogStream', null);
  await h.fake.close(); // ends the hung calls; the sink's teardown closes it without waiting for them
});

t.test('stream creation keeps to streamCreationsPerSecond (CloudWatch allows 50 CreateLogStream a second per account)', async (t) => {
  const h = await harness(t, { maxConcurrentStreams: 64, streamCreationsPerSecond: 10 });
  h.fake.createLogGroup(GROUP);
  writeEvents(h, junk(60), 1, 'junk');
  await flushed(h);
  const creates = h.fake.calls('CreateLogStream');
  t.equal(creates.length, 60, 'one create per new stream');
  const first = creates[0]!.at;
  const early = creates.findIndex((c, i) => c.at - first < (i - 9) * 100);
  t.equal(early, -1, 'a burst of 10, then no faster than one every 100 ms');
  t.comment(`60 streams created in ${creates[59]!.at - first} ms of (fake) time at 10 a second`);
  t.equal(creates.filter((c) => c.error === 'ThrottlingException').length, 0);
  const undelivered = junk(60).filter((s) => received(h, s).length !== 1);
  t.same(undelivered, [], 'every line delivered once');
});
