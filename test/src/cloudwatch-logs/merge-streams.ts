import { compareNames, type LogStreamState, type StoredEvent } from './store.js';

/**
 * K-way merge of several streams' events in FilterLogEvents order: timestamp, then stream name,
 * then arrival. A binary heap keeps a page O(page · log k) however many streams a group has.
 */
export interface Cursor {
  readonly stream: LogStreamState;
  readonly events: readonly StoredEvent[];
  index: number;
  readonly end: number;
}

export interface MergedEvent {
  readonly stream: LogStreamState;
  readonly event: StoredEvent;
}

const before = (a: Cursor, b: Cursor): boolean => {
  const x = a.events[a.index]!;
  const y = b.events[b.index]!;
  if (x.timestamp !== y.timestamp) return x.timestamp < y.timestamp;
  const byName = compareNames(a.stream.name, b.stream.name);
  return byName !== 0 ? byName < 0 : x.seq < y.seq;
};

export function* mergeByTime(cursors: readonly Cursor[]): Generator<MergedEvent> {
  const heap = cursors.filter((c) => c.index < c.end);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(i);
  while (heap.length > 0) {
    const top = heap[0]!;
    yield { stream: top.stream, event: top.events[top.index]! };
    top.index++;
    if (top.index >= top.end) {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    siftDown(0);
  }
}
