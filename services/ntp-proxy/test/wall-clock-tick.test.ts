import t from 'tap';
import { readWallClockTick } from '../src/clock/wall-clock-tick.js';

/** A counter that moves `stepNs` per read (plus any scripted jumps) and a wall clock in whole ms of it. */
function machine(stepNs: bigint, jumps: Map<number, bigint> = new Map()) {
  let counter = 10_000_000n; // 10 ms
  let reads = 0;
  return {
    counterNs: () => {
      reads++;
      counter += stepNs + (jumps.get(reads) ?? 0n);
      return counter;
    },
    wallClockMs: () => Number(counter / 1_000_000n),
    get reads() {
      return reads;
    },
  };
}

t.test('a clean tick: the counter midpoint around the read that saw it', async (t) => {
  const m = machine(300n);
  const tick = readWallClockTick(m.wallClockMs, m.counterNs);
  t.equal(tick.wallMs, 11);
  t.equal(tick.uncertaintyNs, 450n, 'half of three reads: from before the previous wall read to after this one');
  const errorNs = tick.counterNs - 11_000_000n;
  t.ok(errorNs >= -tick.uncertaintyNs && errorNs <= tick.uncertaintyNs, `the 11 ms tick is within the stated uncertainty (${errorNs} ns)`);
});

t.test('a tick seen across a preemption is discarded; the next tick is used', async (t) => {
  // Every counter read moves 500 ns, except that around 11 ms the process is preempted for 0.6 ms
  // between the two reads that bracket the wall-clock read that sees the tick.
  const readsTo11ms = Number((11_000_000n - 10_000_000n) / 500n); // the read that crosses 11 ms
  const m = machine(500n, new Map([[readsTo11ms, 600_000n]]));
  const tick = readWallClockTick(m.wallClockMs, m.counterNs);
  t.equal(tick.wallMs, 12, 'the 11 ms tick was bracketed by a 0.6 ms gap; the 12 ms one was clean');
  t.equal(tick.uncertaintyNs, 750n);
  const errorNs = tick.counterNs - 12_000_000n; // the wall clock follows the counter through the jump
  t.ok(errorNs >= -750n && errorNs <= 750n, `within the uncertainty (${errorNs} ns)`);
});

t.test('a wall clock that never ticks: after 25 ms, the last reading', async (t) => {
  let counter = 0n;
  const tick = readWallClockTick(
    () => 7,
    () => (counter += 1_000n),
  );
  t.equal(tick.wallMs, 7);
  t.ok(counter >= 25_000_000n);
  t.ok(counter - tick.counterNs <= 1_000n);
});

t.test('only preempted ticks: after 25 ms, the best of them', async (t) => {
  let counter = 0n;
  let reads = 0;
  const tick = readWallClockTick(
    () => Number(counter / 1_000_000n),
    () => {
      reads++;
      // every second read jumps: each bracket is ≥ 30 µs wide; the widths vary
      counter += reads % 2 === 0 ? 30_000n + BigInt(reads % 7) * 1_000n : 100n;
      return counter;
    },
  );
  t.ok(tick.uncertaintyNs > 20_000n / 2n && tick.uncertaintyNs < 40_000n, `the narrowest bracket seen (±${tick.uncertaintyNs} ns)`);
});

t.test('only preempted ticks, each preemption longer than a millisecond: the error stays under a millisecond', async (t) => {
  // Every third read the process loses 30 ms (a loaded machine): the wall clock jumps 30 ms
  // between two reads, and no tick is ever seen cleanly.
  let counter = 5_000_000n;
  let reads = 0;
  const tick = readWallClockTick(
    () => Number(counter / 1_000_000n),
    () => {
      reads++;
      counter += reads % 3 === 0 ? 30_000_000n : 200n;
      return counter;
    },
  );
  // The true counter at the moment the wall clock became tick.wallMs.
  const errorNs = tick.counterNs - BigInt(tick.wallMs) * 1_000_000n;
  t.ok(errorNs >= -1_000_000n && errorNs <= 1_000_000n, `within a millisecond (${errorNs} ns), not half the 30 ms preemption`);
  t.ok(tick.uncertaintyNs <= 500_000n + 200n, `the stated uncertainty is at most half a millisecond and a read (±${tick.uncertaintyNs} ns)`);
  t.ok(errorNs >= -tick.uncertaintyNs && errorNs <= tick.uncertaintyNs, 'and the error is within it');
});
