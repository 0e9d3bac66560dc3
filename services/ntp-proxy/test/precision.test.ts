import t from 'tap';
import { measurePrecision } from '../src/clock/precision.js';

const stepping = (stepNs: bigint) => {
  let now = 0n;
  return () => (now += stepNs);
};

t.test('log2 of the smallest step, rounded up', async (t) => {
  t.equal(measurePrecision(stepping(50n)), -24, '50 ns: 2^-24 s is 59.6 ns');
  t.equal(measurePrecision(stepping(1_000n)), -19, '1 µs: 2^-19 s is 1.9 µs, 2^-20 is 0.95 µs');
  t.equal(measurePrecision(stepping(1_000_000n)), -9, '1 ms');
});

t.test('the smallest step wins, a stopped clock does not divide by zero', async (t) => {
  const steps = [0n, 300n, 0n, 70n, 500n];
  let now = 0n;
  let i = 0;
  t.equal(
    measurePrecision(() => (now += steps[i++ % steps.length]!)),
    -23,
    '70 ns',
  );
  t.equal(
    measurePrecision(() => 5n),
    -20,
    'never moves: about a microsecond',
  );
});

t.test('this machine: somewhere between 1 ns and 1 ms', async (t) => {
  const precision = measurePrecision();
  t.ok(precision >= -30 && precision <= -10, `${precision}`);
});
