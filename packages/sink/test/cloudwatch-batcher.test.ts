import t from 'tap';
import { sortByTimestamp, takeBatch } from '../src/cloudwatch/scheduler/batcher.js';
import { Deque } from '../src/cloudwatch/scheduler/deque.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from '../src/cloudwatch/limits.js';

const LIMITS = { maxBytes: MAX_BATCH_BYTES, maxEvents: MAX_BATCH_EVENTS, maxSpanMs: MAX_BATCH_SPAN_MS };
interface E {
  id: number;
  timestamp: number;
  bytes: number;
}
const queueOf = (events: E[]) => {
  const q = new Deque<E>();
  for (const e of events) q.push(e);
  return q;
};
const drain = (q: Deque<E>) => {
  const batches: E[][] = [];
  while (q.length > 0) batches.push(takeBatch(q, LIMITS));
  return batches;
};

t.test('the CloudWatch limits are the documented ones', async (t) => {
  t.equal(MAX_BATCH_BYTES, 1_048_576);
  t.equal(MAX_BATCH_EVENTS, 10_000);
  t.equal(MAX_BATCH_SPAN_MS, 86_400_000);
});

t.test('count: at most 10,000 events', async (t) => {
  const batches = drain(queueOf(Array.from({ length: 25_000 }, (_, id) => ({ id, timestamp: 0, bytes: 27 }))));
  t.same(
    batches.map((b) => b.length),
    [10_000, 10_000, 5_000],
  );
});

t.test('size: message bytes + 26 per event, at most 1,048,576, exactly full allowed', async (t) => {
  const bytes = MAX_BATCH_BYTES / 4; // four fit exactly
  const batches = drain(queueOf(Array.from({ length: 9 }, (_, id) => ({ id, timestamp: 0, bytes }))));
  t.same(
    batches.map((b) => b.length),
    [4, 4, 1],
  );
  const odd = drain(
    queueOf([
      { id: 0, timestamp: 0, bytes: MAX_BATCH_BYTES - 10 },
      { id: 1, timestamp: 0, bytes: 11 },
    ]),
  );
  t.same(
    odd.map((b) => b.length),
    [1, 1],
  );
});

t.test('span: first to last at most 24 h, whatever order they come in', async (t) => {
  const h = 3_600_000;
  const events = [0, 23 * h, 24 * h, 24 * h + 1, 2 * h].map((timestamp, id) => ({ id, timestamp, bytes: 30 }));
  const batches = drain(queueOf(events));
  t.same(
    batches.map((b) => b.map((e) => e.id)),
    [
      [0, 1, 2],
      [3, 4],
    ],
  );
  for (const b of batches) {
    const ts = b.map((e) => e.timestamp);
    t.ok(Math.max(...ts) - Math.min(...ts) <= MAX_BATCH_SPAN_MS);
  }
});

t.test('batches are prefixes (write order kept across batches) and sorted stably inside', async (t) => {
  const events = [5, 3, 3, 9, 1, 3].map((timestamp, id) => ({ id, timestamp, bytes: 30 }));
  const batch = takeBatch(queueOf(events), LIMITS);
  t.same(
    batch.map((e) => e.id),
    [0, 1, 2, 3, 4, 5],
  );
  t.same(
    sortByTimestamp(batch).map((e) => e.id),
    [4, 1, 2, 5, 0, 3],
  );
});
