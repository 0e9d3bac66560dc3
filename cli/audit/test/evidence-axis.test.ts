// The pieces of the evidence page that are arithmetic: round ticks, and how much of a range a set
// of possibly overlapping periods covers (the share of the range synchronised).
import t from 'tap';
import { niceTicks, timeTicks } from '../src/evidence/axis.js';
import { coveredMs } from '../src/evidence/time-sources.js';

const day = (d: string) => Date.parse(`${d}T00:00:00.000Z`);

t.test('value ticks on 1, 2, 5 × 10^k, covering the data', async (t) => {
  const offsets = niceTicks(-1447, 1000);
  t.same(offsets.values, [-1500, -1000, -500, 0, 500, 1000]);
  t.same(offsets.values.map(offsets.label), ['-1500', '-1000', '-500', '0', '500', '1000']);
  const small = niceTicks(-0.013, 0.037);
  t.same(small.values.map(small.label), ['-0.02', '-0.01', '0', '0.01', '0.02', '0.03', '0.04']);
  t.ok(small.lo <= -0.013 && small.hi >= 0.037, 'the data is inside the axis');
  const ms = niceTicks(-2.5, 54.3);
  t.same(ms.values, [-20, 0, 20, 40, 60]);
  t.same(niceTicks(0, 0).values, [0, 0.2, 0.4, 0.6, 0.8, 1], 'a flat series still has an axis');
});

t.test('count ticks are integers', async (t) => {
  t.same(niceTicks(0, 2, 2, true).values, [0, 1, 2]);
  t.same(niceTicks(0, 1, 1, true).values, [0, 1]);
  t.same(niceTicks(0, 3, 3, true).values, [0, 1, 2, 3]);
  t.same(niceTicks(0, 37, 5, true).values, [0, 10, 20, 30, 40]);
  t.same(niceTicks(0, 7, 5, true).values.map(niceTicks(0, 7, 5, true).label), ['0', '2', '4', '6', '8']);
});

t.test('time ticks on whole UTC days, hours or months', async (t) => {
  const days = timeTicks(day('2026-03-01'), day('2026-03-06'));
  t.same(days.values.map(days.label), ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
  const hours = timeTicks(day('2026-03-01') + 1_800_000, day('2026-03-02'));
  t.same(hours.values.map(hours.label), ['06:00', '12:00', '18:00', '00:00'], 'a day: every 6 h, the first one at a whole 6 h');
  const quarter = timeTicks(day('2026-01-01'), day('2026-04-01'));
  t.same(quarter.values.map(quarter.label), ['2026-01', '2026-02', '2026-03', '2026-04'], 'a quarter: the first of each month');
  const year = timeTicks(day('2026-01-01'), day('2027-01-01'));
  t.same(year.values.map(year.label), ['2026-01', '2026-03', '2026-05', '2026-07', '2026-09', '2026-11', '2027-01']);
});

t.test('covered time counts overlapping periods once, within the range', async (t) => {
  const p = (start: number, end: number) => ({ start, end, kind: 'x' });
  t.equal(coveredMs([], 0, 100), 0);
  t.equal(coveredMs([p(10, 20), p(15, 30), p(40, 50)], 0, 100), 30);
  t.equal(coveredMs([p(-50, 10), p(90, 200)], 0, 100), 20, 'clipped to the range');
  t.equal(coveredMs([p(0, 100), p(20, 30)], 0, 100), 100, 'one inside another');
});
