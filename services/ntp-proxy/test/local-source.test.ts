import t from 'tap';
import { localSource } from '../src/upstream/source.js';

t.test('measures the wall clock against the raw clock as the wall clock ticks', async (t) => {
  // The raw clock moves 100 ns per read from 1,000 s; the wall clock is 250.5 ms ahead of it.
  let rawNs = 1_000_000_000_000n;
  const raw = { nowNs: () => (rawNs += 100n) };
  const wallClockMs = () => Number((rawNs + 250_500_000n) / 1_000_000n);
  const source = localSource({ raw, wallClockMs, stratum: 10, precision: -20 });
  const result = await source.query();
  if (!result.ok) throw new Error(result.reason);
  const errorNs = result.sample.offsetNs - 250_500_000n;
  t.ok(errorNs >= -200n && errorNs <= 200n, `offset within 200 ns of 250.5 ms (${errorNs} ns off)`);
  t.match(result.sample, { delayNs: 0n, stratum: 9, leap: 0, rootDelayS: 0, rootDispersionS: 0 });
  t.ok(result.sample.dispersionS < 3e-6, 'twice the precision plus the tick uncertainty');
  t.equal(source.refId, 0x4c4f434c, 'LOCL');
  t.equal(source.label, 'local');
  t.equal(source.local, true);
});
