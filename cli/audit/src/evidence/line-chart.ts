import { niceTicks, timeTicks } from './axis.js';
import type { Period } from './sections.js';
import { colour, empty, esc, svgChart } from './svg.js';

export interface Series {
  name: string;
  /** One value per bucket of equal width over the range (Downsampled), `undefined` where none. */
  points: (number | undefined)[];
  /** Drawn thin and grey, named in its title only: the many routers beyond the legend. */
  minor?: boolean;
}

export interface LineChartInput {
  label: string;
  from: number;
  to: number;
  series: Series[];
  /** Shaded spans: unsynchronised (red), local clock (red), no record (grey). */
  bands: Period[];
  yTitle: string;
  /** A ± limit drawn as two dashed lines, always inside the axis (the clock warning threshold). */
  threshold?: { value: number; label: string };
  /** Points closer than this are joined; a point joined to neither neighbour is a marker. */
  maxGapMs?: number;
  /** A line under the legend (routers that could not be drawn). */
  note?: string;
}

const W = 900,
  H = 320,
  L = 64,
  R = 190,
  T = 15,
  B = 36;
const bandColour = (kind: string) => (kind === 'no record' ? 'rgba(127,127,127,0.18)' : 'rgba(214,39,40,0.18)');

/**
 * Lines over time, one per series, with shaded bands and a ± threshold. Buckets are finer than the
 * data (a summary every 5 min, 400 buckets over a day), so points up to `maxGapMs` apart are joined
 * and a real silence (a router that stopped asking) shows as a break. A single sample, or a sample
 * alone after a gap, is a marker: a path of one point draws nothing, and a router must never
 * vanish from the chart for having been heard once.
 */
export function lineChart(c: LineChartInput): string {
  const values = c.series.flatMap((s) => s.points.filter((p): p is number => p !== undefined));
  if (values.length === 0) return empty(c.label, c.note ?? 'no data in the range');
  const limit = c.threshold?.value ?? 0;
  const ticks = niceTicks(Math.min(0, -limit, ...values), Math.max(0, limit, ...values));
  const x = (t: number) => L + ((t - c.from) / (c.to - c.from)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - ticks.lo) / (ticks.hi - ticks.lo)) * (H - T - B);
  const parts: string[] = [];
  for (const b of c.bands) {
    const x0 = x(Math.max(c.from, b.start));
    const x1 = Math.max(x0 + 1, x(Math.min(c.to, b.end)));
    parts.push(
      `<rect class="band" x="${x0.toFixed(1)}" y="${T}" width="${(x1 - x0).toFixed(1)}" height="${H - T - B}" fill="${bandColour(b.kind)}"><title>${esc(`${b.kind} ${new Date(b.start).toISOString()} – ${new Date(b.end).toISOString()}`)}</title></rect>`,
    );
  }
  for (const v of ticks.values) {
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#999' : '#e5e5e5'}"/><text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${ticks.label(v)}</text>`,
    );
  }
  if (c.threshold) {
    for (const v of [c.threshold.value, -c.threshold.value]) {
      parts.push(
        `<line class="threshold" x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 4" stroke-width="1.2"><title>${esc(`${v > 0 ? '+' : '−'}${c.threshold.label}`)}</title></line>`,
      );
    }
    parts.push(
      `<text x="${W - R - 4}" y="${(y(c.threshold.value) - 4).toFixed(1)}" font-size="10" fill="#d62728" text-anchor="end">${esc(`±${c.threshold.label}`)}</text>`,
    );
  }
  const time = timeTicks(c.from, c.to);
  for (const t of time.values) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${H - B}" y2="${H - B + 4}" stroke="#999"/><text x="${x(t).toFixed(1)}" y="${H - B + 16}" font-size="10" text-anchor="middle">${esc(time.label(t))}</text>`,
    );
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 4}" font-size="10" fill="#555" text-anchor="middle">UTC</text>`);
  parts.push(
    `<text x="14" y="${T + (H - T - B) / 2}" font-size="11" transform="rotate(-90 14 ${T + (H - T - B) / 2})" text-anchor="middle">${esc(c.yTitle)}</text>`,
  );

  // Minor series first, so the named ones are drawn over them.
  const ordered = [...c.series.filter((s) => s.minor), ...c.series.filter((s) => !s.minor)];
  let legendRow = 0;
  let named = 0;
  for (const s of ordered) {
    const stroke = s.minor ? '#b0b0b0' : colour(named++);
    parts.push(seriesMarks(s, stroke, c, x, y));
    if (!s.minor) {
      const ly = T + legendRow++ * 16;
      parts.push(
        `<rect x="${W - R + 10}" y="${ly}" width="10" height="10" fill="${stroke}"/><text x="${W - R + 24}" y="${ly + 9}" font-size="11">${esc(s.name.length > 24 ? s.name.slice(0, 23) + '…' : s.name)}</text>`,
      );
    }
  }
  const minor = c.series.length - named;
  if (minor > 0) {
    const ly = T + legendRow++ * 16;
    parts.push(
      `<rect x="${W - R + 10}" y="${ly + 4}" width="10" height="2" fill="#b0b0b0"/><text x="${W - R + 24}" y="${ly + 9}" font-size="11">${minor} other(s), grey</text>`,
    );
  }
  if (c.note) parts.push(`<text x="${W - R + 10}" y="${T + legendRow * 16 + 9}" font-size="10" fill="#555">${esc(c.note)}</text>`);
  return svgChart(c.label, W, H, parts.join(''));
}

/** One series: its path (joined runs) and a marker for each point joined to neither neighbour. */
function seriesMarks(s: Series, stroke: string, c: LineChartInput, x: (t: number) => number, y: (v: number) => number): string {
  const n = s.points.length;
  const bucketMs = (c.to - c.from) / n;
  const joinable = Math.max(c.maxGapMs ?? 3_600_000, 1.5 * bucketMs);
  const at: number[] = [];
  s.points.forEach((v, k) => {
    if (v !== undefined) at.push(k);
  });
  const name = esc(s.name);
  let d = '';
  const markers: string[] = [];
  at.forEach((k, i) => {
    const v = s.points[k]!;
    const px = x(c.from + (k + 0.5) * bucketMs).toFixed(1);
    const py = y(v).toFixed(1);
    const joinedBefore = i > 0 && (k - at[i - 1]!) * bucketMs <= joinable;
    const joinedAfter = i < at.length - 1 && (at[i + 1]! - k) * bucketMs <= joinable;
    d += `${joinedBefore ? 'L' : 'M'}${px} ${py} `;
    if (!joinedBefore && !joinedAfter) {
      const when = new Date(c.from + (k + 0.5) * bucketMs).toISOString().slice(0, 16).replace('T', ' ');
      markers.push(
        `<circle class="point" data-name="${name}" cx="${px}" cy="${py}" r="${s.minor ? 2.5 : 3.5}" fill="${stroke}"><title>${name}: ${v.toFixed(3)} (${when} UTC, alone)</title></circle>`,
      );
    }
  });
  const path = `<path class="series" data-name="${name}" d="${d.trim()}" fill="none" stroke="${stroke}" stroke-width="${s.minor ? 1 : 1.5}"><title>${name}</title></path>`;
  return path + markers.join('');
}
