import type { SpooledEvent } from '../../spool/record-format.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from '../limits.js';
import { sortByTimestamp, takeBatch, type BatchLimits } from './batcher.js';
import { Deque } from './deque.js';
import { KnownStreams } from './known-streams.js';

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
 * - `markEstablished` says a stream exists in CloudWatch (a batch of it was stored).
 * - `release` is called once that batch's call has ended: the stream is free again and the
 *   batch's events leave memory (settled, or left in the spool by a stop).
 *
 * Fairness: due streams wait in two first-in first-out lanes. Streams known to exist
 * (`markEstablished`) cost one call per batch; a stream not known may cost three (the put finds no
 * stream, CreateLogStream, the put again), and CreateLogStream is rate-limited per account. So new
 * streams have a lane of their own with a cap on how many of them are in flight (`takeReady`'s
 * argument), and while both lanes wait they take turns: however many new streams one source
 * invents, an established stream waits at most for the batches already in flight, and new streams
 * are never starved by busy established ones either. A stream whose call ended and that still has
 * due events joins the back of its lane (round robin).
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
  /** Taken from the new-stream lane: the stream was not known to exist. */
  readonly newStream: boolean;
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

/** Streams remembered as existing (about 100 bytes each): far more devices than a task serves. */
const MAX_KNOWN_STREAMS = 50_000;

export class StreamScheduler {
  readonly #memoryLimitBytes: number;
  readonly #streams = new Map<string, StreamQueue>();
  readonly #known = new KnownStreams(MAX_KNOWN_STREAMS);
  /** Due streams known to exist, and due streams not known to. */
  readonly #readyKnown = new Deque<StreamQueue>();
  readonly #readyNew = new Deque<StreamQueue>();
  /** While both lanes wait, the next batch comes from the new-stream lane. */
  #newTurn = false;
  #inFlight = 0;
  #newInFlight = 0;
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

  /** Streams not known to exist with a batch in flight. */
  get newStreamsInFlight(): number {
    return this.#newInFlight;
  }

  enqueue(event: SpooledEvent, due: boolean): void {
    const key = keyOf(event.logGroup, event.logStream);
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = {
        key,
        logGroup: event.logGroup,
        logStream: event.logStream,
        events: new Deque(),
        queuedBytes: 0,
        due: false,
        ready: false,
        inFlight: undefined,
      };
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

  /**
   * The next due stream's batch, now in flight; undefined when no stream is ready. A stream not
   * known to exist is taken only while fewer than `maxNewInFlight` of those are in flight.
   */
  takeReady(maxNewInFlight: number): Batch | undefined {
    for (;;) {
      const newAllowed = this.#newInFlight < maxNewInFlight && this.#readyNew.length > 0;
      const fromNew = newAllowed && (this.#newTurn || this.#readyKnown.length === 0);
      const stream = (fromNew ? this.#readyNew : this.#readyKnown).shift();
      if (stream === undefined) return undefined;
      stream.ready = false;
      if (stream.inFlight !== undefined || stream.events.length === 0) continue;
      const taken = takeBatch(stream.events, BATCH_LIMITS);
      let bytes = 0;
      for (const event of taken) bytes += event.bytes;
      stream.queuedBytes -= bytes;
      this.#queuedBytes -= bytes;
      const batch: Batch = {
        logGroup: stream.logGroup,
        logStream: stream.logStream,
        events: sortByTimestamp(taken),
        bytes,
        minSeq: taken[0]!.seq,
        newStream: fromNew,
      };
      stream.inFlight = batch;
      this.#inFlight++;
      if (fromNew) this.#newInFlight++;
      this.#newTurn = !fromNew;
      return batch;
    }
  }

  /** This batch's stream exists in CloudWatch (a batch of it was stored): its lane is the known one from now on. */
  markEstablished(batch: Pick<Batch, 'logGroup' | 'logStream'>): void {
    this.#known.add(keyOf(batch.logGroup, batch.logStream));
  }

  /** The call of `batch` ended: its stream is free again and its events leave memory. */
  release(batch: Batch): void {
    const stream = this.#streams.get(keyOf(batch.logGroup, batch.logStream));
    if (stream?.inFlight !== batch) return;
    stream.inFlight = undefined;
    this.#inFlight--;
    if (batch.newStream) this.#newInFlight--;
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
      (this.#known.has(stream.key) ? this.#readyKnown : this.#readyNew).push(stream);
    }
  }
}
