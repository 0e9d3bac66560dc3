import type { Spool } from '../spool/spool.js';
import type { BacklogRefill } from './backlog-refill.js';
import type { StreamScheduler } from './scheduler/scheduler.js';
import type { Timers } from './timers.js';

/**
 * Producers waiting on the sink: whenWritable() for the spool to go below the high-water mark,
 * flush() for every event accepted before it to be settled, and close() for all of them to be.
 * The sink calls `check()` whenever that may have changed (an event settled, a call ended, close()).
 */
export class SinkWaiters {
  readonly #spool: Spool;
  readonly #highWaterMarkBytes: number;
  readonly #scheduler: StreamScheduler;
  readonly #backlog: BacklogRefill;
  #closing = false;
  #writable: (() => void)[] = [];
  #flushes: { target: number; resolve: () => void }[] = [];
  #drained: (() => void) | undefined;

  constructor(spool: Spool, highWaterMarkBytes: number, scheduler: StreamScheduler, backlog: BacklogRefill) {
    this.#spool = spool;
    this.#highWaterMarkBytes = highWaterMarkBytes;
    this.#scheduler = scheduler;
    this.#backlog = backlog;
  }

  /** Lowest sequence number not settled yet (Infinity when all are): in memory or in the backlog. */
  minLiveSeq(): number {
    if (this.#spool.liveEvents === 0) return Infinity;
    return Math.min(this.#backlog.minSeq(), this.#scheduler.minSeq());
  }

  /** Resolves when the spool is below the high-water mark, or the sink closing (at once if so now). */
  whenWritable(): Promise<void> {
    if (this.#closing || this.#spool.bytes < this.#highWaterMarkBytes) return Promise.resolve();
    return new Promise((resolve) => this.#writable.push(resolve));
  }

  /** Resolves once every event up to sequence number `target` is settled. */
  settled(target: number): Promise<void> {
    return new Promise((resolve) => this.#flushes.push({ target, resolve }));
  }

  /** A flush() is waiting: the sink sends without waiting for the tick. */
  get flushing(): boolean {
    return this.#flushes.length > 0;
  }

  /** close() was called: whenWritable() waits no more. */
  close(): void {
    this.#closing = true;
    this.check();
  }

  /** Resolves once the spool holds no live event, or when `deadline` (ms since the epoch) passes. */
  async drained(deadline: number, clock: { now(): number; timers: Timers }): Promise<void> {
    if (this.#spool.liveEvents === 0) return;
    let timer: unknown;
    await new Promise<void>((resolve) => {
      this.#drained = resolve;
      const ms = deadline - clock.now();
      if (ms <= 0) resolve();
      else timer = clock.timers.setTimeout(resolve, ms);
    });
    this.#drained = undefined;
    if (timer !== undefined) clock.timers.clearTimeout(timer);
  }

  /** Releases every flush() still waiting: the sink is closed, nothing more will be settled. */
  releaseFlushes(): void {
    for (const waiter of this.#flushes.splice(0)) waiter.resolve();
  }

  check(): void {
    if (this.#writable.length > 0 && (this.#closing || this.#spool.bytes < this.#highWaterMarkBytes)) {
      for (const resolve of this.#writable.splice(0)) resolve();
    }
    if (this.#flushes.length > 0) {
      const min = this.minLiveSeq();
      this.#flushes = this.#flushes.filter((waiter) => {
        if (min <= waiter.target) return true;
        waiter.resolve();
        return false;
      });
    }
    if (this.#drained !== undefined && this.#spool.liveEvents === 0) this.#drained();
  }
}
