import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { setMaxListeners } from 'node:events';
import * as path from 'node:path';
import type { DrainReport, Sink, SinkEvent, WriteOutcome } from '../sink.js';
import type { SpooledEvent } from '../spool/record-format.js';
import { Spool } from '../spool/spool.js';
import { BacklogRefill } from './backlog-refill.js';
import { resolveOptions, type CloudWatchSinkOptions, type ResolvedOptions } from './config.js';
import { createSinkMetrics, type SinkMetrics } from './metrics.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { SpoolAdoption } from './spool-adoption.js';
import { CreationRate } from './request/creation-rate.js';
import { deliver, type DeliveryContext } from './request/deliver.js';
import { StreamScheduler, type Batch } from './scheduler/scheduler.js';
import { SinkStoppedError } from './timers.js';
import { SinkWaiters } from './waiters.js';
import { WritePath } from './write/write-path.js';

/**
 * The CloudWatch Logs sink.
 *
 * Durability. Every accepted event goes through the spool's write-ahead log before `write()`
 * returns (one synchronous write(2) per event): an event `write()` accepted survives SIGKILL or an
 * OOM kill and is replayed at the next start, unless it was acknowledged by CloudWatch before.
 * What a SIGKILL can cost is duplicates (batches CloudWatch stored whose ack record was not
 * written yet), never loss. Not covered: a kernel crash or power loss (no fsync), and the spool
 * volume itself (Fargate task storage dies with the task) unless the spool is on a volume every
 * task shares (`spoolOwner`): then a running task adopts the spool of a task that is gone and
 * accepts its events again through write() (spool-adoption.ts; the README says what that covers).
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
 * order); up to maxConcurrentStreams streams at once, drainConcurrentStreams during close(). A
 * stream is sent when it has a full batch, when the flush interval ticks, or at once under
 * pressure (flush, close, memory half full, backlog). Streams known to exist and new ones take
 * turns, new ones on at most half the slots, so stream creation never holds up an established
 * stream (scheduler/scheduler.ts, "Fairness"); create calls keep to streamCreationsPerSecond
 * (request/creation-rate.ts). See request/deliver.ts for creating missing groups and streams and
 * for rejections, retry/ for which failures are retried and how long each wait is (short during
 * close(), which also ends the waits under way).
 *
 * One event, top to bottom: write() → write/write-path.ts (check, split, append to the spool,
 * queue in memory or leave in the backlog) → the pump, below (publish counts, refill from the
 * spool, take ready batches from scheduler/scheduler.ts) → #send → request/deliver.ts (calls,
 * creates, retries) → #settle (ack in the spool, count, wake waiters.ts) → release in the
 * scheduler. Nothing below calls back up: the scheduler, the write path and the request layer
 * are handed what they need and return what happened.
 */
export async function createCloudWatchSink(options: CloudWatchSinkOptions): Promise<CloudWatchSink> {
  const resolved = resolveOptions(options);
  const spool = Spool.open({
    dir: spoolDirOf(resolved),
    limitBytes: resolved.spoolLimitBytes,
    segmentBytes: resolved.spoolSegmentBytes,
    logger: resolved.logger,
  });
  return new CloudWatchLogsSink(resolved, spool);
}

/** This sink's spool: its own directory, or its task's on a shared volume (`spoolOwner`). */
function spoolDirOf(o: ResolvedOptions): string {
  const base = path.join(o.dataDir, 'spool', o.name);
  return o.spoolOwner === undefined ? base : path.join(sharedSpoolRoot(o), o.spoolOwner);
}

const sharedSpoolRoot = (o: ResolvedOptions) => path.join(o.dataDir, 'spool', o.name, 'tasks');

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

class CloudWatchLogsSink implements CloudWatchSink {
  readonly kind = 'cloudwatch' as const;
  /** Written ahead to the spool inside write() (see "Durability" above). */
  readonly durableOnWrite = true;
  readonly #o: ResolvedOptions;
  readonly #spool: Spool;
  readonly #metrics: SinkMetrics;
  readonly #delivered;
  readonly #ownClient: CloudWatchLogsClient | undefined;
  /** Aborted when delivery stops (close deadline): calls in flight and retry waits end at once. */
  readonly #stop = new AbortController();
  /** Aborted when the drain starts (close()): retry waits end, and later ones are short. */
  readonly #draining = new AbortController();
  readonly #delivery: DeliveryContext;
  readonly #scheduler: StreamScheduler;
  readonly #backlog: BacklogRefill;
  readonly #writePath: WritePath;
  readonly #waiters: SinkWaiters;
  /** With `spoolOwner`: the lease on this task's spool, and the adoption of gone tasks' spools. */
  readonly #adoption: SpoolAdoption | undefined;
  /** The deliveries in flight, one per active stream. */
  readonly #sending = new Set<Promise<void>>();
  #pumpScheduled = false;
  #tick: unknown;
  #stopped = false;
  #deliveredCount = 0;
  #closing = false;
  #closed: Promise<DrainReport> | undefined;

  constructor(options: ResolvedOptions, spool: Spool) {
    this.#o = options;
    this.#spool = spool;
    const log = new RateLimitedLog(options.logger);
    this.#metrics = createSinkMetrics(options.registry, spool);
    this.#delivered = this.#metrics.events.labels({ outcome: 'delivered' });
    this.#ownClient = options.client === undefined ? new CloudWatchLogsClient({ maxAttempts: 1 }) : undefined;
    // Every call, retry wait and creation wait listens to the stop signal: up to two per stream in flight.
    setMaxListeners(2 * options.drainConcurrentStreams + 16, this.#stop.signal, this.#draining.signal);
    this.#delivery = {
      client: options.client ?? this.#ownClient!,
      logger: options.logger,
      timers: options.timers,
      random: options.random,
      requestTimeoutMs: options.requestTimeoutMs,
      retryBaseMs: options.retryBaseMs,
      retryCapMs: options.retryCapMs,
      metrics: this.#metrics,
      stop: this.#stop.signal,
      drain: this.#draining.signal,
      creations: new CreationRate(options.streamCreationsPerSecond, options.now),
    };
    this.#scheduler = new StreamScheduler(options.memoryLimitBytes);
    this.#backlog = new BacklogRefill(spool, this.#scheduler, options.memoryLimitBytes, this.#metrics, log);
    this.#writePath = new WritePath({ options, spool, scheduler: this.#scheduler, backlog: this.#backlog, metrics: this.#metrics, log });
    this.#waiters = new SinkWaiters(spool, options.highWaterMarkBytes, this.#scheduler, this.#backlog);

    const replay = spool.replayReport;
    this.#metrics.spoolTorn.inc(replay.tornRecords);
    if (replay.pendingEvents > 0 || replay.tornRecords > 0 || replay.unreadableFiles > 0 || replay.unreadableRecords > 0) {
      options.logger.info('spool replayed', { dir: spool.dir, ...replay });
    }
    this.#adoption =
      options.spoolOwner === undefined
        ? undefined
        : new SpoolAdoption({
            root: sharedSpoolRoot(options),
            owner: options.spoolOwner,
            leaseMs: options.spoolLeaseMs,
            segmentBytes: options.spoolSegmentBytes,
            timers: options.timers,
            now: options.now,
            logger: options.logger,
            adopted: this.#metrics.adopted,
            write: (event) => this.write(event),
          });
    this.#schedulePump();
  }

  write(event: SinkEvent): WriteOutcome {
    const outcome = this.#closing ? this.#writePath.refuseClosed() : this.#writePath.write(event, this.#sendAtOnce());
    this.#schedulePump();
    return outcome;
  }

  writeGroup(events: readonly SinkEvent[]): WriteOutcome {
    const outcome = this.#closing ? this.#writePath.refuseClosed(events.length) : this.#writePath.writeGroup(events, this.#sendAtOnce());
    this.#schedulePump();
    return outcome;
  }

  whenWritable(): Promise<void> {
    return this.#waiters.whenWritable();
  }

  flush(): Promise<void> {
    if (this.#closing) return this.#closed!.then(() => undefined);
    const target = this.#writePath.lastAcceptedSeq;
    if (this.#waiters.minLiveSeq() > target) return Promise.resolve();
    this.#scheduler.markAllDue();
    this.#schedulePump();
    return this.#waiters.settled(target);
  }

  close(deadline: number): Promise<DrainReport> {
    if (this.#closed === undefined) {
      this.#closing = true;
      this.#closed = this.#drain(deadline);
      this.#waiters.close();
    }
    return this.#closed;
  }

  queuedEvents(): number {
    return this.#spool.liveEvents;
  }

  refusalReason(): string | null {
    return this.#closing ? null : this.#writePath.refusing;
  }

  stats(): CloudWatchSinkStats {
    return {
      memoryBytes: this.#scheduler.memoryBytes,
      backlogEvents: this.#spool.backlogEvents,
      spoolBytes: this.#spool.bytes,
      activeStreams: this.#scheduler.activeStreams,
    };
  }

  /**
   * The pump: everything that moves events toward CloudWatch, in this order. It runs once per
   * event-loop turn after a write, and whenever a call ends or the flush interval ticks.
   */
  #pump(): void {
    // 1. What write() counted reaches the events counter.
    this.#metrics.writes.publish();
    if (this.#stopped) return;
    // 2. Events waiting on disk (the spool's backlog) come back into memory, oldest first.
    this.#backlog.refill();
    // 3. Ready streams are sent, one batch each, up to maxConcurrentStreams calls at once (more
    //    while draining), at most half of them streams not known to exist yet (scheduler.ts);
    //    4. each call settles its events as their outcomes come in (#send).
    const concurrency = this.#closing ? this.#o.drainConcurrentStreams : this.#o.maxConcurrentStreams;
    const maxNew = Math.max(1, Math.floor(concurrency / 2));
    while (this.#scheduler.activeStreams < concurrency) {
      const batch = this.#scheduler.takeReady(maxNew);
      if (batch === undefined) break;
      const sending = this.#send(batch);
      this.#sending.add(sending);
      void sending.then(() => this.#sending.delete(sending));
    }
    // 5. What is not due yet goes at the latest when the flush interval ticks.
    if (this.#scheduler.queuedBytes > 0) this.#armTick();
  }

  /** Delivers one batch, settles each outcome as it comes, then frees the stream. Never rejects. */
  async #send(batch: Batch): Promise<void> {
    try {
      for await (const { events, outcome } of deliver(this.#delivery, batch)) {
        if (outcome === 'delivered') this.#scheduler.markEstablished(batch);
        this.#settle(events, outcome);
      }
    } catch (err) {
      // SinkStoppedError: the close deadline passed; the events not settled stay in the spool.
      if (!(err instanceof SinkStoppedError)) this.#o.logger.error('cloudwatch delivery failed unexpectedly', { err });
    } finally {
      this.#scheduler.release(batch);
      this.#waiters.check();
      this.#schedulePump();
    }
  }

  /** Each event ends here once, delivered or rejected: acknowledged in the spool, counted. */
  #settle(events: readonly SpooledEvent[], outcome: string): void {
    if (events.length === 0) return;
    this.#spool.ack(events.map((event) => event.seq));
    if (outcome === 'delivered') {
      this.#delivered.inc(events.length);
      this.#deliveredCount += events.length;
    } else {
      this.#metrics.rejected.inc({ reason: outcome }, events.length);
    }
    this.#waiters.check();
  }

  /** Pressure from outside (closing, a flush waiting, a backlog): new events are sent at once. */
  #sendAtOnce(): boolean {
    return this.#closing || this.#waiters.flushing || this.#spool.backlogEvents > 0;
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #armTick(): void {
    if (this.#tick !== undefined || this.#stopped) return;
    this.#tick = this.#o.timers.setTimeout(() => {
      this.#tick = undefined;
      this.#scheduler.markAllDue();
      this.#pump();
    }, this.#o.flushIntervalMs);
  }

  /**
   * The body of close(deadline): sends everything at once, waits until all is settled or the
   * deadline passes, then stops delivery and releases the spool and the client.
   */
  async #drain(deadline: number): Promise<DrainReport> {
    const deliveredBefore = this.#deliveredCount;
    // Everything due, more streams at once, and no retry sleeps on: the time left is for sending.
    this.#draining.abort();
    this.#adoption?.stopAdopting();
    this.#scheduler.markAllDue();
    this.#schedulePump();
    await this.#waiters.drained(deadline, this.#o);
    // Deadline passed (or all delivered): abort what is in flight; its events stay in the spool.
    // CloudWatch may have stored an aborted call already: those events come again at the next
    // start (at least once, never lost).
    this.#stopped = true;
    this.#stop.abort();
    await Promise.allSettled([...this.#sending]);
    if (this.#tick !== undefined) this.#o.timers.clearTimeout(this.#tick);
    this.#tick = undefined;
    const pending = this.#spool.liveEvents;
    this.#spool.close();
    // Events left on a shared volume: released, so a task still running adopts them at once.
    this.#adoption?.stop(pending);
    this.#ownClient?.destroy();
    this.#waiters.releaseFlushes();
    const delivered = this.#deliveredCount - deliveredBefore;
    this.#o.logger.info('sink closed', { delivered, pending, spool: this.#spool.dir });
    return { delivered, pending, pendingSpooled: true };
  }
}
