import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import type { DrainReport, Sink, SinkEvent, WriteOutcome } from '../sink.js';
import type { SpoolEventInput, SpooledEvent } from '../spool/record-format.js';
import { Spool } from '../spool/spool.js';
import { sortByTimestamp, takeBatch, type BatchLimits } from './batcher.js';
import { deliverBatch, type DeliveryContext } from './deliver.js';
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS, MAX_NAME_LENGTH } from './limits.js';
import { createSinkMetrics, type SinkMetrics } from './metrics.js';
import { resolveOptions, type CloudWatchSinkOptions, type ResolvedOptions } from './options.js';
import { splitMessage } from './parts.js';
import { Deque } from './stream-queue.js';
import { SinkStoppedError } from './timers.js';

/**
 * The CloudWatch Logs sink.
 *
 * Durability. Every accepted event goes through the spool's write-ahead log before `write()`
 * returns (one synchronous write(2) per event): an event `write()` accepted survives SIGKILL or an
 * OOM kill and is replayed at the next start, unless it was acknowledged by CloudWatch before.
 * What a SIGKILL can cost is duplicates (batches CloudWatch stored whose ack record was not
 * written yet), never loss. Not covered: a kernel crash or power loss (no fsync), and the spool
 * volume itself (Fargate task storage dies with the task).
 * Cost, measured roughly on the shared 2-core development VM (Node 20, ext4, 430-byte syslog
 * events, a no-op client): write() takes about 5.5 µs per event, of which about 4 µs is the
 * write(2); that is a little over half a core at 100k events/s (delivery adds about 3.5 µs per
 * event in the SDK). Grouping the appends per event-loop turn measured about 0.6 µs per event,
 * but a SIGKILL would then lose the turn's events, among them possibly an upload that was
 * already answered 2xx. At the rates a sidecar task sees in practice (thousands per second)
 * the per-event write is a few percent of a core, so durability wins; if 100k/s per task
 * becomes real, scale out (more tasks) before weakening this.
 *
 * Memory. Events are also kept in memory, per stream, up to memoryLimitBytes (message bytes + 26
 * each, in flight included). Beyond it they stay on disk only (the spool's backlog) and are read
 * back in order as memory frees; while a backlog exists every new event joins it, so each stream
 * keeps its order. When the spool is full, `write()` refuses. `backpressure` is about the spool,
 * not memory: pausing TCP senders while the spool still has room would move the loss onto the
 * routers during an outage, which is what the spool is for.
 *
 * Sending. Per stream, one PutLogEvents in flight at a time (so a stream's events arrive in
 * order); up to maxConcurrentStreams streams at once. A stream is sent when it has a full batch,
 * when the flush interval ticks, or at once under pressure (flush, close, memory half full,
 * backlog). See deliver.ts for retries, creation of missing groups and streams, and rejections.
 */
export async function createCloudWatchSink(options: CloudWatchSinkOptions): Promise<CloudWatchSink> {
  const resolved = resolveOptions(options);
  const spool = Spool.open({
    dir: path.join(resolved.dataDir, 'spool', resolved.name),
    limitBytes: resolved.spoolLimitBytes,
    segmentBytes: resolved.spoolSegmentBytes,
    logger: resolved.logger,
  });
  return new CloudWatchLogsSink(resolved, spool);
}

/** A Sink with a look inside, for health checks and tests. */
export interface CloudWatchSink extends Sink {
  stats(): CloudWatchSinkStats;
}

export interface CloudWatchSinkStats {
  /** Bytes (message + 26 each) of the events held in memory, in flight included. */
  memoryBytes: number;
  /** Events on disk only, waiting for memory. */
  backlogEvents: number;
  spoolBytes: number;
  /** Streams with a PutLogEvents in flight. */
  activeStreams: number;
}

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
/** Reading the backlog back into memory goes in steps of at most this. */
const REFILL_STEP_BYTES = 4 * 1024 * 1024; // 4 MiB
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

class CloudWatchLogsSink implements CloudWatchSink {
  readonly kind = 'cloudwatch' as const;
  readonly #o: ResolvedOptions;
  readonly #spool: Spool;
  readonly #metrics: SinkMetrics;
  readonly #ownClient: CloudWatchLogsClient | undefined;
  readonly #ctx: DeliveryContext;
  readonly #stop = new AbortController();
  /**
   * write() counts here and the counters catch up once per tick (and before each scrape): the
   * label lookup of prom-client costs about as much as the rest of write().
   */
  readonly #counts = { accepted: 0, refused: 0 };
  readonly #accepted;
  readonly #refused;
  readonly #delivered;

  readonly #streams = new Map<string, StreamState>();
  readonly #ready = new Deque<StreamState>();
  readonly #workers = new Set<Promise<void>>();
  #active = 0;
  #memoryBytes = 0;
  /** Lower bound of the backlog's sequence numbers (Infinity without a backlog). */
  #backlogFloor = Infinity;
  #lastAcceptedSeq = -1;
  #deliveredCount = 0;
  #pumpScheduled = false;
  #tick: unknown;
  #closing = false;
  #stopped = false;
  #closed: Promise<DrainReport> | undefined;
  #drained: (() => void) | undefined;
  #writableWaiters: (() => void)[] = [];
  #flushWaiters: { target: number; resolve: () => void }[] = [];
  #logCounts = new Map<string, number>();
  /** Run-time torn spool records already added to the metric. */
  #tornCounted = 0;

  constructor(options: ResolvedOptions, spool: Spool) {
    this.#o = options;
    this.#spool = spool;
    this.#metrics = createSinkMetrics(options.registry, {
      queuedEvents: () => this.queuedEvents(),
      spoolBytes: () => this.#spool.bytes,
      beforeCollect: () => this.#publishCounts(),
    });
    this.#accepted = this.#metrics.events.labels({ outcome: 'accepted' });
    this.#delivered = this.#metrics.events.labels({ outcome: 'delivered' });
    this.#refused = this.#metrics.events.labels({ outcome: 'refused' });
    // Every call and backoff wait listens to the stop signal: up to two per concurrent stream.
    setMaxListeners(2 * options.maxConcurrentStreams + 16, this.#stop.signal);
    this.#ownClient = options.client === undefined ? new CloudWatchLogsClient({ maxAttempts: 1 }) : undefined;
    this.#ctx = {
      client: options.client ?? this.#ownClient!,
      logger: options.logger,
      timers: options.timers,
      random: options.random,
      requestTimeoutMs: options.requestTimeoutMs,
      retryBaseMs: options.retryBaseMs,
      retryCapMs: options.retryCapMs,
      metrics: this.#metrics,
      stop: this.#stop.signal,
    };

    const replay = spool.replayReport;
    this.#metrics.spoolTorn.inc(replay.tornRecords);
    if (replay.pendingEvents > 0 || replay.tornRecords > 0 || replay.unreadableFiles > 0 || replay.unreadableRecords > 0) {
      options.logger.info('spool replayed', { dir: spool.dir, ...replay });
    }
    if (spool.backlogEvents > 0) this.#backlogFloor = 0;
    // Replayed events count as accepted before any flush() of this run.
    this.#lastAcceptedSeq = spool.nextSeq - 1;
    this.#schedulePump();
  }

  write(event: SinkEvent): WriteOutcome {
    if (this.#closing) {
      this.#counts.refused++;
      this.#schedulePump();
      return 'refused';
    }
    const problem = invalidField(event);
    if (problem !== undefined) {
      // Accepted and given up on at once, counted like an event CloudWatch refuses: the caller's
      // `refused` means "full or closing", which this is not.
      this.#counts.accepted++;
      this.#metrics.rejected.inc({ reason: 'invalid_event' });
      this.#rateLimited('warn', 'sink event invalid; rejected', { field: problem });
      return this.#pressure();
    }
    const { logGroup, logStream, message } = event;
    const timestamp = Math.floor(event.timestamp);
    const bytes = Buffer.byteLength(message) + EVENT_OVERHEAD_BYTES;
    if (bytes <= this.#o.maxEventBytes) {
      return this.#accept([{ logGroup, logStream, timestamp, message }], bytes, [bytes]);
    }
    const parts = splitMessage(message, this.#o.maxEventBytes - EVENT_OVERHEAD_BYTES);
    let cost = 0;
    const sizes = parts.map((part) => {
      const size = Buffer.byteLength(part) + EVENT_OVERHEAD_BYTES;
      cost += size;
      return size;
    });
    return this.#accept(parts.map((part) => ({ logGroup, logStream, timestamp, message: part })), cost, sizes);
  }

  /** Writes ahead, then keeps in memory or leaves in the backlog; all the records or none. */
  #accept(records: SpoolEventInput[], cost: number, sizes: number[]): WriteOutcome {
    const hadBacklog = this.#spool.backlogEvents > 0;
    const toBacklog = hadBacklog || (this.#memoryBytes > 0 && this.#memoryBytes + cost > this.#o.memoryLimitBytes);
    let first: number | undefined;
    try {
      first = this.#spool.append(records, toBacklog);
    } catch (err) {
      this.#counts.refused += records.length;
      this.#schedulePump();
      this.#rateLimited('error', 'spool write failed; event refused', { dir: this.#spool.dir, err });
      return 'refused';
    }
    if (first === undefined) {
      this.#counts.refused += records.length;
      this.#schedulePump();
      this.#rateLimited('warn', 'sink full (memory and spool); event refused', { spoolBytes: this.#spool.bytes });
      return 'refused';
    }
    this.#counts.accepted += records.length;
    this.#lastAcceptedSeq = first + records.length - 1;
    if (toBacklog) {
      if (!hadBacklog) {
        // Behind: send everything now. (While the backlog lasts, refilled events are due at once.)
        this.#backlogFloor = first;
        this.#markAllDue();
      }
    } else {
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        this.#enqueue(
          { seq: first + i, logGroup: r.logGroup, logStream: r.logStream, timestamp: r.timestamp, message: r.message, bytes: sizes[i]! },
          false,
        );
      }
    }
    this.#armTick();
    this.#schedulePump();
    return this.#pressure();
  }

  whenWritable(): Promise<void> {
    if (this.#closing || this.#spool.bytes < this.#o.highWaterMarkBytes) return Promise.resolve();
    return new Promise((resolve) => this.#writableWaiters.push(resolve));
  }

  flush(): Promise<void> {
    if (this.#closing) return this.#closed!.then(() => undefined);
    const target = this.#lastAcceptedSeq;
    if (this.#minLiveSeq() > target) return Promise.resolve();
    this.#markAllDue();
    this.#schedulePump();
    return new Promise((resolve) => this.#flushWaiters.push({ target, resolve }));
  }

  close(deadline: number): Promise<DrainReport> {
    if (this.#closed === undefined) {
      this.#closing = true;
      this.#closed = this.#drain(deadline);
      this.#checkWaiters();
    }
    return this.#closed;
  }

  queuedEvents(): number {
    return this.#spool.liveEvents;
  }

  stats(): CloudWatchSinkStats {
    return {
      memoryBytes: this.#memoryBytes,
      backlogEvents: this.#spool.backlogEvents,
      spoolBytes: this.#spool.bytes,
      activeStreams: this.#active,
    };
  }

  async #drain(deadline: number): Promise<DrainReport> {
    const deliveredBefore = this.#deliveredCount;
    this.#markAllDue();
    this.#schedulePump();
    let deadlineTimer: unknown;
    if (this.#spool.liveEvents > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        const ms = deadline - this.#o.now();
        if (ms <= 0) resolve();
        else deadlineTimer = this.#o.timers.setTimeout(resolve, ms);
      });
    }
    this.#drained = undefined;
    if (deadlineTimer !== undefined) this.#o.timers.clearTimeout(deadlineTimer);
    // Deadline passed (or all delivered): abort what is in flight; its events stay in the spool.
    // CloudWatch may have stored an aborted call already: those events come again at the next
    // start (at least once, never lost).
    this.#stopped = true;
    this.#stop.abort();
    await Promise.allSettled([...this.#workers]);
    if (this.#tick !== undefined) this.#o.timers.clearTimeout(this.#tick);
    this.#tick = undefined;
    const pending = this.#spool.liveEvents;
    this.#spool.close();
    this.#ownClient?.destroy();
    for (const waiter of this.#flushWaiters.splice(0)) waiter.resolve();
    const delivered = this.#deliveredCount - deliveredBefore;
    this.#o.logger.info('sink closed', { delivered, pending, spool: this.#spool.dir });
    return { delivered, pending, pendingSpooled: true };
  }

  #pressure(): WriteOutcome {
    return this.#spool.bytes >= this.#o.highWaterMarkBytes ? 'backpressure' : 'ok';
  }

  get #urgent(): boolean {
    return (
      this.#closing ||
      this.#flushWaiters.length > 0 ||
      this.#spool.backlogEvents > 0 ||
      this.#memoryBytes * 2 >= this.#o.memoryLimitBytes
    );
  }

  #enqueue(entry: SpooledEvent, due: boolean): void {
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

  #markDue(stream: StreamState): void {
    stream.due = true;
    if (!stream.busy && !stream.ready && stream.queue.length > 0) {
      stream.ready = true;
      this.#ready.push(stream);
    }
  }

  #markAllDue(): void {
    for (const stream of this.#streams.values()) if (stream.queue.length > 0) this.#markDue(stream);
  }

  #armTick(): void {
    if (this.#tick !== undefined || this.#stopped) return;
    this.#tick = this.#o.timers.setTimeout(() => {
      this.#tick = undefined;
      this.#markAllDue();
      this.#pump();
    }, this.#o.flushIntervalMs);
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #publishCounts(): void {
    if (this.#counts.accepted > 0) this.#accepted.inc(this.#counts.accepted);
    if (this.#counts.refused > 0) this.#refused.inc(this.#counts.refused);
    this.#counts.accepted = 0;
    this.#counts.refused = 0;
  }

  #pump(): void {
    this.#publishCounts();
    if (this.#stopped) return;
    this.#refill();
    while (this.#active < this.#o.maxConcurrentStreams) {
      const stream = this.#ready.shift();
      if (stream === undefined) break;
      stream.ready = false;
      if (!stream.busy && stream.queue.length > 0) this.#startWorker(stream);
    }
  }

  /** Moves backlog events from disk into memory, in order, while memory has room. */
  #refill(): void {
    while (this.#spool.backlogEvents > 0 && this.#memoryBytes < this.#o.memoryLimitBytes) {
      let events: SpooledEvent[];
      try {
        const room = Math.min(this.#o.memoryLimitBytes - this.#memoryBytes, REFILL_STEP_BYTES);
        events = this.#spool.readBacklog(room, this.#memoryBytes === 0);
      } catch (err) {
        this.#rateLimited('error', 'spool read failed; will try again', { dir: this.#spool.dir, err });
        break;
      }
      if (events.length === 0) break;
      for (const event of events) this.#enqueue(event, true);
      this.#backlogFloor = events[events.length - 1]!.seq + 1;
    }
    const torn = this.#spool.tornAtRunTime;
    if (torn > this.#tornCounted) {
      this.#metrics.spoolTorn.inc(torn - this.#tornCounted);
      this.#tornCounted = torn;
    }
    if (this.#spool.backlogEvents === 0) this.#backlogFloor = Infinity;
  }

  #startWorker(stream: StreamState): void {
    stream.busy = true;
    this.#active++;
    const batch = takeBatch(stream.queue, BATCH_LIMITS);
    for (const event of batch) stream.queuedBytes -= event.bytes;
    stream.inFlightMinSeq = batch[0]!.seq;
    const settle = (events: readonly SpooledEvent[], outcome: string) => this.#settle(events, outcome);
    const worker = deliverBatch(this.#ctx, stream.logGroup, stream.logStream, sortByTimestamp(batch), settle)
      .catch((err: unknown) => {
        if (!(err instanceof SinkStoppedError)) this.#o.logger.error('cloudwatch delivery failed unexpectedly', { err });
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
        this.#schedulePump();
        this.#checkWaiters();
      });
    this.#workers.add(worker);
  }

  #settle(events: readonly SpooledEvent[], outcome: string): void {
    if (events.length === 0) return;
    const seqs: number[] = [];
    let bytes = 0;
    for (const event of events) {
      seqs.push(event.seq);
      bytes += event.bytes;
    }
    this.#spool.ack(seqs);
    this.#memoryBytes -= bytes;
    if (outcome === 'delivered') {
      this.#delivered.inc(events.length);
      this.#deliveredCount += events.length;
    } else {
      this.#metrics.rejected.inc({ reason: outcome }, events.length);
    }
    this.#checkWaiters();
    this.#schedulePump();
  }

  #checkWaiters(): void {
    if (this.#writableWaiters.length > 0 && (this.#closing || this.#spool.bytes < this.#o.highWaterMarkBytes)) {
      for (const resolve of this.#writableWaiters.splice(0)) resolve();
    }
    if (this.#flushWaiters.length > 0) {
      const min = this.#minLiveSeq();
      this.#flushWaiters = this.#flushWaiters.filter((waiter) => {
        if (min <= waiter.target) return true;
        waiter.resolve();
        return false;
      });
    }
    if (this.#drained !== undefined && this.#spool.liveEvents === 0) this.#drained();
  }

  /** Lowest sequence number not settled yet (Infinity when all are). */
  #minLiveSeq(): number {
    if (this.#spool.liveEvents === 0) return Infinity;
    let min = this.#spool.backlogEvents > 0 ? this.#backlogFloor : Infinity;
    for (const stream of this.#streams.values()) {
      min = Math.min(min, stream.inFlightMinSeq, stream.queue.peek()?.seq ?? Infinity);
    }
    return min;
  }

  /** Logs the 1st, 10th, 100th... occurrence of a message, so a flood cannot flood the log. */
  #rateLimited(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    const n = (this.#logCounts.get(msg) ?? 0) + 1;
    this.#logCounts.set(msg, n);
    if (Number.isInteger(Math.log10(n))) this.#o.logger[level](msg, { ...fields, occurrences: n });
  }
}

/** The first field of an event that CloudWatch could never take, or undefined. */
function invalidField(event: SinkEvent): string | undefined {
  if (typeof event !== 'object' || event === null) return 'event';
  const { logGroup, logStream, timestamp, message } = event;
  if (typeof logGroup !== 'string' || logGroup.length === 0 || logGroup.length > MAX_NAME_LENGTH || !LOG_GROUP_NAME.test(logGroup)) return 'logGroup';
  if (typeof logStream !== 'string' || logStream.length === 0 || logStream.length > MAX_NAME_LENGTH || /[:*]/.test(logStream)) return 'logStream';
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) return 'timestamp';
  if (typeof message !== 'string' || message.length === 0) return 'message';
  return undefined;
}
