import type { Period } from './sections.js';

/**
 * Inline SVG charts for summary.html: no script, no external font or stylesheet, so the page is
 * one self-contained file that opens the same offline in ten years. Every chart has class `chart`
 * and a `<title>` per mark for hover details.
 */
export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
export const colour = (i: number): string => palette[i % palette.length]!;
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

function empty(label: string, note: string): string {
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="600" height="60" viewBox="0 0 600 60"><text x="10" y="35" font-size="14" fill="#666">${esc(note)}</text></svg>`;
}

/** Rows × columns of counts, darker is more: syslog volume per device per day. */
export function heatmap(label: string, rows: string[], cols: string[], value: (row: string, col: string) => number): string {
  if (rows.length === 0 || cols.length === 0) return empty(label, 'no data in the range');
  const labelW = 170;
  const cell = Math.max(3, Math.min(60, Math.floor(720 / cols.length)));
  const rowH = 16;
  const top = 40;
  const width = Math.max(600, labelW + cols.length * cell + 10);
  const height = top + rows.length * rowH + 10;
  let max = 0;
  for (const r of rows) for (const c of cols) max = Math.max(max, value(r, c));
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${labelW - 6}" y="${y + 12}" font-size="11" text-anchor="end">${esc(r.length > 26 ? r.slice(0, 25) + '…' : r)}</text>`);
    cols.forEach((c, j) => {
      const v = value(r, c);
      const shade = v === 0 ? '#f3f3f3' : `rgba(31,119,180,${(0.15 + 0.85 * (v / Math.max(1, max))).toFixed(3)})`;
      const stroke = v === 0 ? ' stroke="#d62728" stroke-width="0.6"' : '';
      parts.push(`<rect x="${labelW + j * cell}" y="${y}" width="${cell - 1}" height="${rowH - 2}" fill="${shade}"${stroke}><title>${esc(`${r} ${c}: ${v} events`)}</title></rect>`);
    });
  });
  const step = Math.max(1, Math.ceil(72 / cell)); // a date label is ~65 px wide at 10 px
  cols.forEach((c, j) => {
    if (j % step === 0) parts.push(`<text x="${labelW + j * cell}" y="${top - 8}" font-size="10">${esc(c)}</text>`);
  });
  parts.push(`<text x="${labelW}" y="14" font-size="11" fill="#444">darker = more events (max ${max} a day); red outline = none that day</text>`);
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

export interface Series {
  name: string;
  points: (number | undefined)[];
}

/**
 * Lines over time (one per series), with shaded bands (unsynchronised periods). Points closer than
 * `maxGapMs` are joined: buckets are finer than the data (a summary every 5 min, 400 buckets over a
 * day), and a real silence (a router that stopped asking) must show as a break.
 */
export function lineChart(label: string, from: number, to: number, series: Series[], bands: Period[], unit: string, maxGapMs = 3_600_000): string {
  const values = series.flatMap((s) => s.points.filter((p): p is number => p !== undefined));
  if (values.length === 0) return empty(label, 'no data in the range');
  const W = 900, H = 300, L = 60, R = 170, T = 15, B = 30;
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi === lo) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (t: number) => L + ((t - from) / (to - from)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const parts: string[] = [];
  for (const b of bands) {
    const x0 = x(Math.max(from, b.start));
    const x1 = Math.max(x0 + 1, x(Math.min(to, b.end)));
    parts.push(`<rect class="band" x="${x0.toFixed(1)}" y="${T}" width="${(x1 - x0).toFixed(1)}" height="${H - T - B}" fill="${b.kind === 'unsynchronised' ? 'rgba(214,39,40,0.18)' : 'rgba(127,127,127,0.18)'}"><title>${esc(`${b.kind} ${new Date(b.start).toISOString()} – ${new Date(b.end).toISOString()}`)}</title></rect>`);
  }
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/><text x="${L - 4}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#999"/>`);
  for (let k = 0; k <= 4; k++) {
    const t = from + ((to - from) * k) / 4;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${H - 10}" font-size="10" text-anchor="middle">${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}</text>`);
  }
  parts.push(`<text x="12" y="${T + (H - T - B) / 2}" font-size="11" transform="rotate(-90 12 ${T + (H - T - B) / 2})" text-anchor="middle">${esc(unit)}</text>`);
  series.forEach((s, i) => {
    const n = s.points.length;
    const bucketMs = (to - from) / n;
    let d = '';
    let lastK = -Infinity;
    s.points.forEach((v, k) => {
      if (v === undefined) return;
      const pen = (k - lastK) * bucketMs <= Math.max(maxGapMs, 1.5 * bucketMs);
      const px = x(from + (k + 0.5) * bucketMs).toFixed(1);
      d += `${pen ? 'L' : 'M'}${px} ${y(v).toFixed(1)} `;
      lastK = k;
    });
    parts.push(`<path class="series" d="${d.trim()}" fill="none" stroke="${colour(i)}" stroke-width="1.5"><title>${esc(s.name)}</title></path>`);
    parts.push(`<rect x="${W - R + 10}" y="${T + i * 16}" width="10" height="10" fill="${colour(i)}"/><text x="${W - R + 24}" y="${T + i * 16 + 9}" font-size="11">${esc(s.name.slice(0, 22))}</text>`);
  });
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

/** One bar per column label: config changes per day. */
export function barChart(label: string, cols: string[], values: number[], unit: string): string {
  if (cols.length === 0) return empty(label, 'no data in the range');
  const W = 900, H = 220, L = 50, T = 15, B = 30;
  const max = Math.max(1, ...values);
  const w = (W - L - 10) / cols.length;
  const parts: string[] = [];
  for (let k = 0; k <= 2; k++) {
    const v = (max * k) / 2;
    const yy = T + (1 - v / max) * (H - T - B);
    parts.push(`<line x1="${L}" x2="${W - 10}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="#e5e5e5"/><text x="${L - 4}" y="${(yy + 4).toFixed(1)}" font-size="10" text-anchor="end">${fmt(v)}</text>`);
  }
  cols.forEach((c, i) => {
    const v = values[i] ?? 0;
    const h = (v / max) * (H - T - B);
    parts.push(`<rect class="bar" x="${(L + i * w + w * 0.1).toFixed(1)}" y="${(H - B - h).toFixed(1)}" width="${Math.max(1, w * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour(3)}"><title>${esc(`${c}: ${v} ${unit}`)}</title></rect>`);
  });
  const step = Math.max(1, Math.ceil(cols.length / 8));
  cols.forEach((c, i) => {
    if (i % step === 0) parts.push(`<text x="${(L + i * w).toFixed(1)}" y="${H - 10}" font-size="10">${esc(c)}</text>`);
  });
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

/** One stacked horizontal bar of shares, with a legend: drift at the end of the range. */
export function stackedBar(label: string, parts: { name: string; value: number; colour: string }[]): string {
  const total = parts.reduce((a, p) => a + p.value, 0);
  if (total === 0) return empty(label, 'no devices');
  const W = 900, H = 70;
  let x = 10;
  const out: string[] = [];
  parts.forEach((p, i) => {
    const w = (p.value / total) * (W - 20);
    if (w > 0) out.push(`<rect class="bar" x="${x.toFixed(1)}" y="10" width="${w.toFixed(1)}" height="26" fill="${p.colour}"><title>${esc(`${p.name}: ${p.value}`)}</title></rect>`);
    x += w;
    out.push(`<rect x="${10 + i * 190}" y="48" width="10" height="10" fill="${p.colour}"/><text x="${24 + i * 190}" y="57" font-size="11">${esc(`${p.name}: ${p.value}`)}</text>`);
  });
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${out.join('')}</svg>`;
}
