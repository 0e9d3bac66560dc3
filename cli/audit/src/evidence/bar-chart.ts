import { niceTicks } from './axis.js';
import { colour, empty, esc, svgChart } from './svg.js';

export interface StackedBarsInput {
  label: string;
  /** Column labels (days). */
  cols: string[];
  /** Stack members (devices), each a colour and a legend entry. */
  rows: string[];
  value: (row: string, col: string) => number;
  /** What one unit is: `change`. */
  unit: string;
  yTitle: string;
  /** Said instead of the chart when every value is 0 (never an axis of zeros). */
  emptyNote: string;
}

const W = 900,
  L = 56,
  R = 10,
  T = 15,
  B = 30;

/**
 * A count per column, stacked by row: config changes per day, a segment per device. The axis has
 * integer ticks (a change is a whole thing) and a title; every row with a count has its own mark,
 * and the legend names every row, those without any count too.
 */
export function stackedBars(c: StackedBarsInput): string {
  const totals = c.cols.map((col) => c.rows.reduce((n, row) => n + c.value(row, col), 0));
  if (c.cols.length === 0 || totals.every((v) => v === 0)) return empty(c.label, c.emptyNote);
  const legendCols = 4;
  const legendRows = Math.ceil(c.rows.length / legendCols);
  const plotH = 190;
  const H = T + plotH + B + 8 + legendRows * 16;
  const ticks = niceTicks(0, Math.max(...totals), Math.min(5, Math.max(...totals)), true);
  const y = (v: number) => T + (1 - v / ticks.hi) * plotH;
  const w = (W - L - R) / c.cols.length;
  const parts: string[] = [];
  for (const v of ticks.values) {
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#999' : '#e5e5e5'}"/><text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${ticks.label(v)}</text>`,
    );
  }
  parts.push(`<text x="14" y="${T + plotH / 2}" font-size="11" transform="rotate(-90 14 ${T + plotH / 2})" text-anchor="middle">${esc(c.yTitle)}</text>`);
  c.cols.forEach((col, i) => {
    let base = 0;
    c.rows.forEach((row, r) => {
      const v = c.value(row, col);
      if (v === 0) return;
      const top = y(base + v);
      parts.push(
        `<rect class="bar" data-name="${esc(row)}" x="${(L + i * w + w * 0.1).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, w * 0.8).toFixed(1)}" height="${(y(base) - top).toFixed(1)}" fill="${colour(r)}" stroke="#fff" stroke-width="0.5"><title>${esc(`${row} ${col}: ${v} ${c.unit}${v === 1 ? '' : 's'}`)}</title></rect>`,
      );
      base += v;
    });
  });
  const step = Math.max(1, Math.ceil(c.cols.length / 8));
  c.cols.forEach((col, i) => {
    if (i % step === 0) parts.push(`<text x="${(L + i * w + w / 2).toFixed(1)}" y="${T + plotH + 16}" font-size="10" text-anchor="middle">${esc(col)}</text>`);
  });
  const legendW = (W - L - R) / legendCols;
  c.rows.forEach((row, r) => {
    const lx = L + (r % legendCols) * legendW;
    const ly = T + plotH + B + 8 + Math.floor(r / legendCols) * 16;
    const total = c.cols.reduce((n, col) => n + c.value(row, col), 0);
    const text = `${row.length > 28 ? row.slice(0, 27) + '…' : row}: ${total === 0 ? `no ${c.unit}` : `${total} ${c.unit}${total === 1 ? '' : 's'}`}`;
    parts.push(
      `<rect class="legend" data-name="${esc(row)}" x="${lx.toFixed(1)}" y="${ly}" width="10" height="10" fill="${total === 0 ? '#fff' : colour(r)}" stroke="${colour(r)}"/><text x="${(lx + 14).toFixed(1)}" y="${ly + 9}" font-size="11">${esc(text)}</text>`,
    );
  });
  return svgChart(c.label, W, H, parts.join(''));
}
