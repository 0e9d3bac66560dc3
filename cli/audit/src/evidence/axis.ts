/**
 * Round axis ticks for the charts of summary.html: values on 1, 2, 5 × 10^k (integers only where the
 * quantity is a count), times on whole minutes, hours, days or months in UTC. An assessor reads
 * "40 ms" and "2026-03-02", never "41.52" or "2026-03-02 06:00" at a random point.
 */
export interface Ticks {
  /** The axis runs from `lo` to `hi`, both ticks. */
  lo: number;
  hi: number;
  values: number[];
  label: (v: number) => string;
}

/** Ticks covering `[min, max]`, about `target` of them; `integer`: never a step below 1. */
export function niceTicks(min: number, max: number, target = 5, integer = false): Ticks {
  if (!(max > min)) max = min + (integer ? 1 : Math.max(1, Math.abs(min)));
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const values: number[] = [];
  for (let k = 0; lo + k * step <= hi + step / 2; k++) values.push(round(lo + k * step, step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { lo: values[0]!, hi: values.at(-1)!, values, label: (v) => (v === 0 ? '0' : v.toFixed(decimals)) };
}

const round = (v: number, step: number) => (step >= 1 ? Math.round(v) : Number(v.toFixed(12)));

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];

/** Ticks on round UTC times within `[from, to]`, at most `max` of them. */
export function timeTicks(from: number, to: number, max = 6): { values: number[]; label: (t: number) => string } {
  const span = to - from;
  const step = STEPS.find((s) => span / s <= max);
  if (step !== undefined) {
    // Days and weeks start at midnight UTC of the range's first day; shorter steps at multiples of themselves.
    const origin = step >= DAY ? Math.floor(from / DAY) * DAY : 0;
    const values: number[] = [];
    for (let t = origin + Math.ceil((from - origin) / step) * step; t <= to; t += step) values.push(t);
    const label =
      step >= DAY
        ? (t: number) => iso(t).slice(0, 10)
        : span > DAY
          ? (t: number) => iso(t).slice(5, 16).replace('T', ' ')
          : (t: number) => iso(t).slice(11, 16);
    return { values, label };
  }
  // Months: 1, 2, 3, 6 or 12 of them, on the first of the month.
  const months = [1, 2, 3, 6, 12].find((m) => span / (m * 30.44 * DAY) <= max) ?? Math.ceil(span / (max * 30.44 * DAY) / 12) * 12;
  const start = new Date(from);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  const values: number[] = [];
  for (;;) {
    const t = Date.UTC(y, m, 1);
    if (t > to) break;
    if (t >= from && m % months === 0) values.push(t);
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return { values, label: (t) => iso(t).slice(0, 7) };
}

const iso = (t: number) => new Date(t).toISOString();
