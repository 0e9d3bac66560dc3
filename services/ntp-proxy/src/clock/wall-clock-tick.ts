/**
 * Reading a millisecond wall clock to microseconds: wait for `Date.now()` to tick over and note the
 * nanosecond counter at that moment. The tick happened after the previous wall-clock read and before
 * the one that sees it; the counter is read around each wall-clock read, so the tick lies between the
 * counter read before the previous wall read and the one after this wall read, and the midpoint of
 * those is within half their gap of it (a loop iteration: well under a microsecond). A gap wider than
 * `maxGapNs` (the process was preempted in between) is thrown away and the next tick used instead,
 * so one unlucky context switch cannot put a millisecond of error into a reading.
 *
 * When every tick for 25 ms was seen across a preemption (a busy machine), the best of them is
 * taken. A preemption longer than a millisecond makes the wall clock jump several milliseconds
 * between two reads; the tick to the value read then came at most 1 ms before the read that saw
 * it, so the bracket starts no earlier than that: the error stays under a millisecond instead of
 * half the preemption (a 30 ms preemption once put the anchored clock 15 ms ahead).
 */
export interface TickReading {
  /** The wall clock just after the tick, ms. */
  wallMs: number;
  /** The counter at the tick (midpoint of the bracketing reads), ns. */
  counterNs: bigint;
  /** Half the bracketing gap: the reading's uncertainty, ns. */
  uncertaintyNs: bigint;
}

const maxGapNs = 20_000n; // 20 µs: a clean loop iteration takes well under 1 µs
const oneMsNs = 1_000_000n;
const giveUpNs = 25_000_000n; // 25 ms of trying: then take the best reading seen

export function readWallClockTick(wallClockMs: () => number, counterNs: () => bigint): TickReading {
  const startNs = counterNs();
  let previousMs = wallClockMs();
  let previousBefore = counterNs();
  let best: TickReading | null = null;
  for (;;) {
    const before = counterNs();
    const wallMs = wallClockMs();
    const after = counterNs();
    if (wallMs !== previousMs) {
      // The tick came after the previous wall read, and at most 1 ms before this one.
      const from = previousBefore > before - oneMsNs ? previousBefore : before - oneMsNs;
      const reading = { wallMs, counterNs: (from + after) / 2n, uncertaintyNs: (after - from) / 2n };
      if (after - from <= maxGapNs) return reading;
      if (!best || reading.uncertaintyNs < best.uncertaintyNs) best = reading;
      previousMs = wallMs;
    }
    previousBefore = before;
    if (after - startNs > giveUpNs) return best ?? { wallMs, counterNs: after, uncertaintyNs: after - before };
  }
}
