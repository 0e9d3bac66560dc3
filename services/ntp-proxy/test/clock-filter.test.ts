import t from 'tap';
import { ClockFilter, filterSize } from '../src/upstream/clock-filter.js';
import type { UpstreamSample } from '../src/upstream/sample.js';

const second = 1_000_000_000n;
const sample = (atS: number, delayMs: number, offsetMs: number): UpstreamSample => ({
  atNs: BigInt(atS) * second,
  offsetNs: BigInt(Math.round(offsetMs * 1e6)),
  delayNs: BigInt(Math.round(delayMs * 1e6)),
  dispersionS: 1e-6,
  leap: 0,
  stratum: 1,
  precision: -25,
  rootDelayS: 0,
  rootDispersionS: 0,
  refId: 0,
  referenceTimestamp: 0n,
});

t.test('the minimum-delay sample of the last 8', async (t) => {
  const filter = new ClockFilter();
  t.equal(filter.best(0n), null);
  for (const [i, delay] of [0.9, 0.5, 2.0, 0.3, 1.1].entries()) filter.add(sample(100 + i, delay, delay * 10));
  const choice = filter.best(105n * second);
  t.equal(choice?.sample.delayNs, 300_000n, '0.3 ms wins');
  t.equal(choice?.sample.offsetNs, 3_000_000n, 'and its offset is the estimate');
});

t.test('only 8 samples are kept', async (t) => {
  const filter = new ClockFilter();
  filter.add(sample(0, 0.01, 99)); // the best ever, but it will fall out
  for (let i = 1; i <= filterSize; i++) filter.add(sample(i, 1, i));
  t.equal(filter.size, 8);
  t.not(filter.best(9n * second)?.sample.offsetNs, 99_000_000n);
  t.equal(filter.newestNs(), 8n * second);
});

t.test('age costs PHI (15 µs/s): an old low-delay sample gives way to a fresh one', async (t) => {
  const filter = new ClockFilter();
  filter.add(sample(0, 0.2, 1)); // distance 0.1 ms + age
  filter.add(sample(100, 1.0, 2)); // distance 0.5 ms, fresh
  t.equal(filter.best(100n * second)?.sample.offsetNs, 2_000_000n, 'after 100 s (1.5 ms of dispersion) the fresh one wins');
  t.equal(filter.best(10n * second)?.sample.offsetNs, 1_000_000n, 'at 10 s (0.15 ms) the old one still wins');
  const choice = filter.best(100n * second)!;
  t.equal(choice.dispersionS, 1e-6, 'the chosen sample is fresh: no growth');
});

t.test('jitter: RMS of the other offsets around the chosen one', async (t) => {
  const filter = new ClockFilter();
  filter.add(sample(1, 0.1, 0));
  filter.add(sample(2, 0.5, 3));
  filter.add(sample(3, 0.5, -4));
  const choice = filter.best(3n * second)!;
  t.equal(choice.sample.offsetNs, 0n);
  t.equal(choice.jitterS, Math.sqrt((0.003 ** 2 + 0.004 ** 2) / 2));
  const single = new ClockFilter();
  single.add(sample(1, 1, 1));
  t.equal(single.best(1n * second)?.jitterS, 0);
});
