import type { Deque } from './deque.js';

export interface BatchLimits {
  /** Sum of message UTF-8 bytes + 26 per event. */
  maxBytes: number;
  maxEvents: number;
  /** Largest allowed distance between the earliest and latest timestamp. */
  maxSpanMs: number;
}

export interface Batchable {
  timestamp: number;
  /** Message UTF-8 bytes + 26. */
  bytes: number;
}

/**
 * Takes the longest prefix of `queue` that fits the limits (at least one event: no single event is
 * larger than a batch, the splitter sees to that). Taking a prefix, not picking events by
 * timestamp, keeps a stream's events in the order they were written across batches.
 */
export function takeBatch<T extends Batchable>(queue: Deque<T>, limits: BatchLimits): T[] {
  const batch: T[] = [];
  let bytes = 0;
  let min = Infinity;
  let max = -Infinity;
  while (batch.length < limits.maxEvents) {
    const next = queue.peek();
    if (next === undefined) break;
    const lo = Math.min(min, next.timestamp);
    const hi = Math.max(max, next.timestamp);
    if (batch.length > 0 && (bytes + next.bytes > limits.maxBytes || hi - lo > limits.maxSpanMs)) break;
    batch.push(queue.shift()!);
    bytes += next.bytes;
    min = lo;
    max = hi;
  }
  return batch;
}

/**
 * CloudWatch wants a batch in chronological order. The sort is stable, so events with the same
 * timestamp (the parts of a split event, a burst within a millisecond) keep their write order.
 */
export function sortByTimestamp<T extends Batchable>(batch: readonly T[]): T[] {
  return [...batch].sort((a, b) => a.timestamp - b.timestamp);
}
