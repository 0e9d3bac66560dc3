import { compareEvents, type AuditEvent } from '../event.js';

/**
 * K-way merge of per-stream event sequences (each already in time order) into FilterLogEvents
 * order: time, then stream name. A binary heap of the heads: one pending event per stream in memory.
 */
export async function* mergeByTime(sources: AsyncIterable<AuditEvent>[]): AsyncGenerator<AuditEvent> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  interface Head {
    event: AuditEvent;
    it: AsyncIterator<AuditEvent>;
  }
  const heap: Head[] = [];
  const less = (a: Head, b: Head) => compareEvents(a.event, b.event) < 0;
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
  for (const source of sources) {
    const it = source[Symbol.asyncIterator]();
    const first = await it.next();
    if (!first.done) {
      heap.push({ event: first.value, it });
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.event;
    const next = await top.it.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else {
      top.event = next.value;
      down(0);
    }
  }
}
