import { setMaxListeners } from 'node:events';
import type { SpooledEvent } from '../../spool/record-format.js';
import { sortByTimestamp, takeBatch, type BatchLimits } from './batcher.js';
import { deliverBatch, type DeliveryContext, type Settle } from '../request/deliver.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS } from '../limits.js';
import { Deque } from './deque.js';
import { SinkStoppedError, type Timers } from '../timers.js';

/**
 * The delivery scheduler: the events held in memory, queued per stream, and the PutLogEvents calls
 * that send them, one per stream at a time and up to maxConcurrentStreams streams at once (see
 * "Sending" in cloudwatch-sink.ts for when a stream is sent, request/deliver.ts for what one call does).
 */

interface StreamState {
  key: string;
  logGroup: string;
  logStream: string;
  queue: Deque<SpooledEvent>;
  queuedBytes: number;
  /** A PutLogEvents of this stream is in flight. */
  busy: boolean;
  /** Send without waiting for the next tick. */
  due: boolean;
  /** In the ready queue. */
  ready: boolean;
  /** Lowest sequence number in flight (Infinity when idle), for flush(). */
  inFlightMinSeq: number;
}

const BATCH_LIMITS: BatchLimits = { maxBytes: MAX_BATCH_BYTES, maxEvents: MAX_BATCH_EVENTS, maxSpanMs: MAX_BATCH_SPAN_MS };

export interface SchedulerOptions {
  maxConcurrentStreams: number;
  /** Memory half full makes every stream urgent. */
  memoryLimitBytes: number;
  flushIntervalMs: number;
  timers: Timers;
}

/** What the scheduler needs from the sink around it. */
export interface SchedulerHooks {
  /** First thing in every pump, also once stopped. */
  beforePump(): void;
  /** In every pump while not stopped, before streams are started: backlog into memory. */
  refill(): void;
  /** Pressure from outside (closing, a flush waiting, a backlog): send at once. */
  urgent(): boolean;
  /** Every event of a batch once: `delivered` or a reason code. Must `release()` their bytes. */
  settle: Settle<SpooledEvent>;
  /** A call ended and its stream is free again. */
  callEnded(): void;
}

export class StreamScheduler {
  readonly #o: SchedulerOptions;
  readonly #hooks: SchedulerHooks;
  readonly #stop = new AbortController();
  readonly #ctx: DeliveryContext;
  readonly #streams = new Map<string, StreamState>();
  readonly #ready = new Deque<StreamState>();
  readonly #workers = new Set<Promise<void>>();
  #active = 0;
  #memoryBytes = 0;
  #pumpScheduled = false;
  #tick: unknown;
  #stopped = false;

  constructor(options: SchedulerOptions, delivery: Omit<DeliveryContext, 'stop'>, hooks: SchedulerHooks) {
    this.#o = options;
    this.#hooks = hooks;
    // Every call and backoff wait listens to the stop signal: up to two per concurrent stream.
    setMaxListeners(2 * options.maxConcurrentStreams + 16, this.#stop.signal);
    this.#ctx = { ...delivery, stop: this.#stop.signal };
  }

  /** Bytes (message + 26 each) of the events held in memory, in flight included. */
  get memoryBytes(): number {
    return this.#memoryBytes;
  }

  /** Streams with a PutLogEvents in flight. */
  get activeStreams(): number {
    return this.#active;
  }

  /** Queues an event held in memory on its stream; `due` sends the stream without waiting for the tick. */
  enqueue(entry: SpooledEvent, due: boolean): void {
    const key = `${entry.logGroup}\u0000${entry.logStream}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = {
        key,
        logGroup: entry.logGroup,
        logStream: entry.logStream,
        queue: new Deque(),
        queuedBytes: 0,
        busy: false,
        due: false,
        ready: false,
        inFlightMinSeq: Infinity,
      };
      this.#streams.set(key, stream);
    }
    stream.queue.push(entry);
    stream.queuedBytes += entry.bytes;
    this.#memoryBytes += entry.bytes;
    if (due || this.#urgent || stream.queuedBytes >= MAX_BATCH_BYTES || stream.queue.length >= MAX_BATCH_EVENTS) this.#markDue(stream);
  }

  /** Settled events leave memory. */
  release(bytes: number): void {
    this.#memoryBytes -= bytes;
  }

  markAllDue(): void {
    for (const stream of this.#streams.values()) if (stream.queue.length > 0) this.#markDue(stream);
  }

  armTick(): void {
    if (this.#tick !== undefined || this.#stopped) return;
    this.#tick = this.#o.timers.setTimeout(() => {
      this.#tick = undefined;
      this.markAllDue();
      this.#pump();
    }, this.#o.flushIntervalMs);
  }

  schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /** Lowest sequence number held in memory, queued or in flight (Infinity when none). */
  minSeq(): number {
    let min = Infinity;
    for (const stream of this.#streams.values()) {
      min = Math.min(min, stream.inFlightMinSeq, stream.queue.peek()?.seq ?? Infinity);
    }
    return min;
  }

  /**
   * Starts nothing more, aborts what is in flight and waits for it to end. Aborted events stay
   * unsettled (in the spool).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stop.abort();
    await Promise.allSettled([...this.#workers]);
    if (this.#tick !== undefined) this.#o.timers.clearTimeout(this.#tick);
    this.#tick = undefined;
  }

  get #urgent(): boolean {
    return this.#hooks.urgent() || this.#memoryBytes * 2 >= this.#o.memoryLimitBytes;
  }

  #markDue(stream: StreamState): void {
    stream.due = true;
    if (!stream.busy && !stream.ready && stream.queue.length > 0) {
      stream.ready = true;
      this.#ready.push(stream);
    }
  }

  #pump(): void {
    this.#hooks.beforePump();
    if (this.#stopped) return;
    this.#hooks.refill();
    while (this.#active < this.#o.maxConcurrentStreams) {
      const stream = this.#ready.shift();
      if (stream === undefined) break;
      stream.ready = false;
      if (!stream.busy && stream.queue.length > 0) this.#startWorker(stream);
    }
  }

  #startWorker(stream: StreamState): void {
    stream.busy = true;
    this.#active++;
    const batch = takeBatch(stream.queue, BATCH_LIMITS);
    for (const event of batch) stream.queuedBytes -= event.bytes;
    stream.inFlightMinSeq = batch[0]!.seq;
    const worker = deliverBatch(this.#ctx, stream.logGroup, stream.logStream, sortByTimestamp(batch), this.#hooks.settle)
      .catch((err: unknown) => {
        if (!(err instanceof SinkStoppedError)) this.#ctx.logger.error('cloudwatch delivery failed unexpectedly', { err });
      })
      .finally(() => {
        this.#workers.delete(worker);
        stream.busy = false;
        stream.inFlightMinSeq = Infinity;
        this.#active--;
        if (stream.queue.length === 0) {
          stream.due = false;
          this.#streams.delete(stream.key);
        } else if (stream.due) {
          this.#markDue(stream);
        }
        this.schedulePump();
        this.#hooks.callEnded();
      });
    this.#workers.add(worker);
  }
}
