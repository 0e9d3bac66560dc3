import type { SpooledEvent } from '../../spool/record-format.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from '../limits.js';
import { sortByTimestamp, takeBatch, type BatchLimits } from './batcher.js';
import { Deque } from './deque.js';

/**
 * The events held in memory, queued per stream. A passive queue: it calls nothing, starts nothing
 * and owns no timer; the sink's pump (cloudwatch-sink.ts) asks it for work.
 *
 * - `enqueue` puts an event on its stream's queue. The stream becomes *due* (to be sent without
 *   waiting for the flush tick) when the caller says so, when it holds a full batch, or when
 *   memory is half full.
 * - `markAllDue` makes every stream with events due (the tick fired, a flush or close waits).
 * - `takeReady` hands out the next due stream's batch and marks the stream in flight. A stream has
 *   one batch out at a time, so its events arrive in the order they were written.
 * - `release` is called once that batch's call has ended: the stream is free again and the
 *   batch's events leave memory (settled, or left in the spool by a stop).
 *
 * Fairness: due streams wait in one first-in first-out line; a stream whose call ended and that
 * still has due events joins the back of it, so busy streams take turns with the others.
 */

/** One batch of one stream, handed out by `takeReady()` and given back to `release()`. */
export interface Batch {
  readonly logGroup: string;
  readonly logStream: string;
  /** In timestamp order (stable), as PutLogEvents wants them. */
  readonly events: readonly SpooledEvent[];
  /** Message bytes + 26 per event. */
  readonly bytes: number;
  /** Lowest sequence number in the batch (the events were taken in sequence order). */
  readonly minSeq: number;
}

interface StreamQueue {
  readonly key: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly events: Deque<SpooledEvent>;
  queuedBytes: number;
  /** Send without waiting for the next tick; stays set until the queue is empty. */
  due: boolean;
  /** In the ready line. */
  ready: boolean;
  /** The batch out on a call, if any. */
  inFlight: Batch | undefined;
}

const BATCH_LIMITS: BatchLimits = { maxBytes: MAX_BATCH_BYTES, maxEvents: MAX_BATCH_EVENTS, maxSpanMs: MAX_BATCH_SPAN_MS };

const keyOf = (logGroup: string, logStream: string) => `${logGroup}\u0000${logStream}`;

export class StreamScheduler {
  readonly #memoryLimitBytes: number;
  readonly #streams = new Map<string, StreamQueue>();
  readonly #ready = new Deque<StreamQueue>();
  #inFlight = 0;
  #memoryBytes = 0;
  #queuedBytes = 0;

  /** Memory half full makes every stream due. */
  constructor(memoryLimitBytes: number) {
    this.#memoryLimitBytes = memoryLimitBytes;
  }

  /** Bytes (message + 26 each) of the events held in memory, in flight included. */
  get memoryBytes(): number {
    return this.#memoryBytes;
  }

  /** Bytes of the events held in memory and not in flight. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Streams with a batch in flight. */
  get activeStreams(): number {
    return this.#inFlight;
  }

  enqueue(event: SpooledEvent, due: boolean): void {
    const key = keyOf(event.logGroup, event.logStream);
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = { key, logGroup: event.logGroup, logStream: event.logStream, events: new Deque(), queuedBytes: 0, due: false, ready: false, inFlight: undefined };
      this.#streams.set(key, stream);
    }
    stream.events.push(event);
    stream.queuedBytes += event.bytes;
    this.#queuedBytes += event.bytes;
    this.#memoryBytes += event.bytes;
    const full = stream.queuedBytes >= MAX_BATCH_BYTES || stream.events.length >= MAX_BATCH_EVENTS;
    if (due || full || this.#memoryBytes * 2 >= this.#memoryLimitBytes) this.#markDue(stream);
  }

  markAllDue(): void {
    for (const stream of this.#streams.values()) if (stream.events.length > 0) this.#markDue(stream);
  }

  /** The next due stream's batch, now in flight; undefined when no stream is ready. */
  takeReady(): Batch | undefined {
    for (;;) {
      const stream = this.#ready.shift();
      if (stream === undefined) return undefined;
      stream.ready = false;
      if (stream.inFlight !== undefined || stream.events.length === 0) continue;
      const taken = takeBatch(stream.events, BATCH_LIMITS);
      let bytes = 0;
      for (const event of taken) bytes += event.bytes;
      stream.queuedBytes -= bytes;
      this.#queuedBytes -= bytes;
      const batch: Batch = { logGroup: stream.logGroup, logStream: stream.logStream, events: sortByTimestamp(taken), bytes, minSeq: taken[0]!.seq };
      stream.inFlight = batch;
      this.#inFlight++;
      return batch;
    }
  }

  /** The call of `batch` ended: its stream is free again and its events leave memory. */
  release(batch: Batch): void {
    const stream = this.#streams.get(keyOf(batch.logGroup, batch.logStream));
    if (stream?.inFlight !== batch) return;
    stream.inFlight = undefined;
    this.#inFlight--;
    this.#memoryBytes -= batch.bytes;
    if (stream.events.length === 0) this.#streams.delete(stream.key);
    else if (stream.due) this.#markDue(stream);
  }

  /** Lowest sequence number held in memory, queued or in flight (Infinity when none). */
  minSeq(): number {
    let min = Infinity;
    for (const stream of this.#streams.values()) {
      min = Math.min(min, stream.inFlight?.minSeq ?? Infinity, stream.events.peek()?.seq ?? Infinity);
    }
    return min;
  }

  #markDue(stream: StreamQueue): void {
    stream.due = true;
    if (stream.inFlight === undefined && !stream.ready && stream.events.length > 0) {
      stream.ready = true;
      this.#ready.push(stream);
    }
  }
}
