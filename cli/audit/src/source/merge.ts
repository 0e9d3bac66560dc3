import { compareEvents, type AuditEvent } from '../event.js';

/**
 * K-way merge of per-stream event sequences (each already in time order) into FilterLogEvents
 * order: time, then stream name.
 */
export function mergeByTime(sources: AsyncIterable<AuditEvent>[]): AsyncGenerator<AuditEvent> {
  return mergeSorted(sources, compareEvents);
}

/**
 * K-way merge of sorted sequences by `compare`; items that compare equal come in the order of their
 * sources (stable), so a merge of runs keeps their arrival order. A binary heap of the heads: one
 * pending item per source in memory.
 */
export async function* mergeSorted<T>(sources: AsyncIterable<T>[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  interface Head {
    item: T;
    source: number;
    it: AsyncIterator<T>;
  }
  const heap: Head[] = [];
  const less = (a: Head, b: Head) => {
    const c = compare(a.item, b.item);
    return c < 0 || (c === 0 && a.source < b.source);
  };
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const [source, iterable] of sources.entries()) {
    const it = iterable[Symbol.asyncIterator]();
    const first = await it.next();
    if (!first.done) {
      heap.push({ item: first.value, source, it });
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.item;
    const next = await top.it.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else {
      top.item = next.value;
      down(0);
    }
  }
}
