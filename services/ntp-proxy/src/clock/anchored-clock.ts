import { systemTimeSource, type Clock, type TimeSource } from './clock.js';
import { readWallClockTick } from './wall-clock-tick.js';

/**
 * `process.hrtime.bigint()` (CLOCK_MONOTONIC: ns resolution, never steps) anchored once to the wall
 * clock. `Date.now()` only has millisecond steps, so the anchor is taken the moment it ticks over
 * (wall-clock-tick.ts): that pins the wall clock to within a microsecond instead of anywhere inside
 * a millisecond.
 *
 * The anchor need not be right: the upstream offset, measured against this clock, corrects it. What
 * matters is that this clock is smooth, and CLOCK_MONOTONIC is (the host's NTP only slews its rate).
 */
export class AnchoredClock implements Clock {
  private readonly anchorNs: bigint;

  constructor(private readonly source: TimeSource = systemTimeSource) {
    this.anchorNs = anchorToWallClock(source);
  }

  nowNs(): bigint {
    return this.source.monotonicNs() + this.anchorNs;
  }
}

/** wall-clock ns − monotonic ns, taken as `wallClockMs()` ticks over (see wall-clock-tick.ts). */
export function anchorToWallClock(source: TimeSource): bigint {
  const tick = readWallClockTick(
    () => source.wallClockMs(),
    () => source.monotonicNs(),
  );
  return BigInt(tick.wallMs) * 1_000_000n - tick.counterNs;
}
