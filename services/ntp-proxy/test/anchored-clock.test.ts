import t from 'tap';
import { AnchoredClock, anchorToWallClock } from '../src/clock/anchored-clock.js';
import type { TimeSource } from '../src/clock/clock.js';
import { ServedClock } from '../src/clock/served-clock.js';

/** A machine whose monotonic counter advances 100 ns per read and whose wall clock ticks at a set read. */
function scriptedSource(startWallMs: number, tickAtMonotonicNs: bigint): TimeSource & { monotonic: bigint } {
  const source = {
    monotonic: 1_000_000n,
    monotonicNs() {
      source.monotonic += 100n;
      return source.monotonic;
    },
    wallClockMs() {
      return source.monotonic >= tickAtMonotonicNs ? startWallMs + 1 : startWallMs;
    },
  };
  return source;
}

t.test('the anchor is taken as the wall clock ticks over, not anywhere inside its millisecond', async (t) => {
  // The wall clock reads 1000 ms until the counter passes 1,000,700 ns, when it becomes 1001 ms.
  const source = scriptedSource(1000, 1_000_700n);
  const anchor = anchorToWallClock(source);
  // The tick happened as the counter passed 1,000,700: the anchor puts 1001 ms within a read or two of it.
  const anchoredAt = 1001n * 1_000_000n - anchor;
  t.ok(anchoredAt >= 1_000_500n && anchoredAt <= 1_000_900n, `anchored within 200 ns of the tick (${anchoredAt})`);
});

t.test('the clock then runs on the monotonic counter alone', async (t) => {
  const source = scriptedSource(5000, 1_000_300n);
  const clock = new AnchoredClock(source);
  const first = clock.nowNs();
  source.monotonic += 1_000_000_000n; // one second passes
  const second = clock.nowNs();
  t.equal(second - first, 1_000_000_100n, 'exactly the counter’s progress (plus the 100 ns read)');
  t.ok(first >= 5_001_000_000n && first < 5_001_001_000n, `near the wall tick (${first})`);
});

t.test('a wall clock that never ticks does not hang the start', async (t) => {
  const source = scriptedSource(42, 1n << 62n);
  const anchor = anchorToWallClock(source);
  t.ok(source.monotonic - 1_000_000n >= 25_000_000n, 'gave up after 25 ms of counter');
  const anchoredAt = 42n * 1_000_000n - anchor;
  t.ok(source.monotonic - anchoredAt <= 100n, 'taken from the last reads');
});

t.test('the system clock: anchored within a millisecond of Date.now()', async (t) => {
  const clock = new AnchoredClock();
  // Bracketed by two wall-clock reads, so a pause between the reads cannot fail the test.
  const before = Date.now();
  const anchoredMs = Number(clock.nowNs() / 1_000_000n);
  const after = Date.now();
  t.ok(anchoredMs >= before - 1 && anchoredMs <= after + 1, `${before} <= ${anchoredMs} <= ${after} (±1 ms)`);
});

t.test('the served clock adds the offset to the raw clock', async (t) => {
  let raw = 10_000n;
  const served = new ServedClock({ nowNs: () => raw });
  t.equal(served.nowNs(), 10_000n);
  served.setOffset(-2_500n);
  t.equal(served.nowNs(), 7_500n);
  t.equal(served.offsetNs, -2_500n);
  raw += 1n;
  t.equal(served.nowNs(), 7_501n);
});
