import type { Clock } from './clock.js';

/**
 * The time the service serves: the raw clock plus the offset the upstream estimate says it is off by.
 * The offset is applied as a step when a better estimate arrives (microseconds with Amazon Time Sync,
 * whose path is link-local); clients filter such steps like any network jitter.
 */
export class ServedClock implements Clock {
  private offset = 0n;

  constructor(readonly raw: Clock) {}

  nowNs(): bigint {
    return this.raw.nowNs() + this.offset;
  }

  /** Served − raw, in ns. */
  get offsetNs(): bigint {
    return this.offset;
  }

  setOffset(offsetNs: bigint): void {
    this.offset = offsetNs;
  }
}
