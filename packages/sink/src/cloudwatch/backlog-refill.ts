import type { SpooledEvent } from '../spool/record-format.js';
import type { Spool } from '../spool/spool.js';
import type { SinkMetrics } from './metrics.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import type { StreamScheduler } from './scheduler/scheduler.js';

/** Reading the backlog back into memory goes in steps of at most this. */
const REFILL_STEP_BYTES = 4 * 1024 * 1024; // 4 MiB

/**
 * The spool's backlog as the sink sees it: events on disk only, beyond memoryLimitBytes or
 * replayed after a restart. They are read back into the scheduler in order as memory frees; while
 * a backlog exists every new event joins it (see write/write-path.ts), so each stream keeps its order.
 */
export class BacklogRefill {
  readonly #spool: Spool;
  readonly #scheduler: StreamScheduler;
  readonly #memoryLimitBytes: number;
  readonly #metrics: SinkMetrics;
  readonly #log: RateLimitedLog;
  /** Lower bound of the backlog's sequence numbers (Infinity without a backlog). */
  #floor = Infinity;
  /** Run-time torn spool records already added to the metric. */
  #tornCounted = 0;

  constructor(spool: Spool, scheduler: StreamScheduler, memoryLimitBytes: number, metrics: SinkMetrics, log: RateLimitedLog) {
    this.#spool = spool;
    this.#scheduler = scheduler;
    this.#memoryLimitBytes = memoryLimitBytes;
    this.#metrics = metrics;
    this.#log = log;
    if (spool.backlogEvents > 0) this.#floor = 0;
  }

  /** A write started a backlog: its first event has sequence number `seq`. */
  startedAt(seq: number): void {
    this.#floor = seq;
  }

  /** Lowest sequence number of the backlog (Infinity without one). */
  minSeq(): number {
    return this.#spool.backlogEvents > 0 ? this.#floor : Infinity;
  }

  /** Moves backlog events from disk into memory, in order, while memory has room. */
  refill(): void {
    while (this.#spool.backlogEvents > 0 && this.#scheduler.memoryBytes < this.#memoryLimitBytes) {
      let events: SpooledEvent[];
      try {
        const room = Math.min(this.#memoryLimitBytes - this.#scheduler.memoryBytes, REFILL_STEP_BYTES);
        events = this.#spool.readBacklog(room, this.#scheduler.memoryBytes === 0);
      } catch (err) {
        this.#log.log('error', 'spool read failed; will try again', { dir: this.#spool.dir, err });
        break;
      }
      if (events.length === 0) break;
      for (const event of events) this.#scheduler.enqueue(event, true);
      this.#floor = events[events.length - 1]!.seq + 1;
    }
    const torn = this.#spool.tornAtRunTime;
    if (torn > this.#tornCounted) {
      this.#metrics.spoolTorn.inc(torn - this.#tornCounted);
      this.#tornCounted = torn;
    }
    if (this.#spool.backlogEvents === 0) this.#floor = Infinity;
  }
}
