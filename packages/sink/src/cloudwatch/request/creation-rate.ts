import { sleep, type Timers } from '../timers.js';

/**
 * The pace of CreateLogStream and CreateLogGroup calls. CloudWatch Logs allows 50 CreateLogStream
 * transactions per second per account and Region and throttles beyond ("CloudWatch Logs quotas";
 * the API reference of CreateLogStream). Every task of every service shares that quota, so one sink
 * keeps to a share of it (`streamCreationsPerSecond`, 10 by default: a fifth) instead of calling as
 * fast as new streams come and living on ThrottlingException retries.
 *
 * A generic cell rate: calls are spaced 1/rate apart, with a burst of one second's worth. A call's
 * slot is reserved when it asks, so the callers go in the order they asked.
 */
export class CreationRate {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  readonly #now: () => number;
  /** When the next call would be due if calls were spaced exactly (the theoretical arrival time). */
  #next = -Infinity;

  constructor(perSecond: number, now: () => number) {
    this.#intervalMs = 1_000 / perSecond;
    this.#toleranceMs = (Math.max(1, Math.floor(perSecond)) - 1) * this.#intervalMs;
    this.#now = now;
  }

  /** Reserves the next slot; milliseconds to wait before using it (0: now). */
  reserve(): number {
    const now = this.#now();
    const slot = Math.max(this.#next, now);
    this.#next = slot + this.#intervalMs;
    return Math.max(0, Math.ceil(slot - this.#toleranceMs - now));
  }

  /** Waits for the next slot on `timers`; ends with SinkStoppedError when `stop` aborts. */
  async take(timers: Timers, stop: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(timers, wait, stop);
  }
}
