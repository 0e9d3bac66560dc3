/**
 * Inline SVG charts for summary.html: no script, no external font or stylesheet, so the page is
 * one self-contained file that opens the same offline in ten years. Every chart has class `chart`
 * and a `<title>` per mark for hover details.
 */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Colours of series and devices: no red, which the page keeps for what is wrong (thresholds, unsynchronised, drift). */
const palette = ['#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79'];
export const colour = (i: number): string => palette[i % palette.length]!;

/** The `<svg>` element every chart is: a role and label for screen readers and the tests. */
export const svgChart = (label: string, width: number, height: number, body: string): string =>
  `<svg class="chart" role="img" aria-label="${esc(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;

export function empty(label: string, note: string): string {
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
      parts.push(
        `<rect x="${labelW + j * cell}" y="${y}" width="${cell - 1}" height="${rowH - 2}" fill="${shade}"${stroke}><title>${esc(`${r} ${c}: ${v} events`)}</title></rect>`,
      );
    });
  });
  const step = Math.max(1, Math.ceil(72 / cell)); // a date label is ~65 px wide at 10 px
  cols.forEach((c, j) => {
    if (j % step === 0) parts.push(`<text x="${labelW + j * cell}" y="${top - 8}" font-size="10">${esc(c)}</text>`);
  });
  parts.push(`<text x="${labelW}" y="14" font-size="11" fill="#444">darker = more events (max ${max} a day); red outline = none that day</text>`);
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** One stacked horizontal bar of shares, with a legend: drift at the end of the range. */
export function stackedBar(label: string, parts: { name: string; value: number; colour: string }[]): string {
  const total = parts.reduce((a, p) => a + p.value, 0);
  if (total === 0) return empty(label, 'no devices');
  const W = 900,
    H = 70;
  let x = 10;
  const out: string[] = [];
  parts.forEach((p, i) => {
    const w = (p.value / total) * (W - 20);
    if (w > 0)
      out.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="10" width="${w.toFixed(1)}" height="26" fill="${p.colour}"><title>${esc(`${p.name}: ${p.value}`)}</title></rect>`,
      );
    x += w;
    out.push(
      `<rect x="${10 + i * 190}" y="48" width="10" height="10" fill="${p.colour}"/><text x="${24 + i * 190}" y="57" font-size="11">${esc(`${p.name}: ${p.value}`)}</text>`,
    );
  });
  return `<svg class="chart" role="img" aria-label="${esc(label)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${out.join('')}</svg>`;
}
