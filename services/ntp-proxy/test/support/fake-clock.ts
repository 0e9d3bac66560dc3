import type { Clock } from '../../src/clock/clock.js';

/** A clock that moves only when told to. Starts at 2026-11-22T12:00:00Z unless told otherwise. */
export class FakeClock implements Clock {
  ns: bigint;

  constructor(startMs = Date.UTC(2026, 10, 22, 12, 0, 0)) {
    this.ns = BigInt(startMs) * 1_000_000n;
  }

  nowNs(): bigint {
    return this.ns;
  }

  advanceMs(ms: number): void {
    this.ns += BigInt(Math.round(ms * 1e6));
  }

  advanceNs(ns: bigint): void {
    this.ns += ns;
  }
}
