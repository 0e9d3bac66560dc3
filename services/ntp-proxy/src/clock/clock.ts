/**
 * Clocks, injectable so that no test depends on timing luck.
 *
 * - `TimeSource`: what the machine offers: a monotonic nanosecond counter and the wall clock in ms.
 * - `Clock`: Unix time in ns.
 * - The raw clock (AnchoredClock) is the monotonic counter anchored once to the wall clock; upstream
 *   offsets are measured against it. The served clock (ServedClock) is the raw clock plus the
 *   current offset estimate: the time clients get.
 */
export interface TimeSource {
  monotonicNs(): bigint;
  wallClockMs(): number;
}

export interface Clock {
  /** Unix time in ns. */
  nowNs(): bigint;
}

export const systemTimeSource: TimeSource = {
  monotonicNs: () => process.hrtime.bigint(),
  wallClockMs: () => Date.now(),
};
