import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { chromium } from 'playwright-core';
import { dataset, writeFileSink } from './support/fixtures.js';
import { runAudit } from './support/run.js';

// summary.html as an auditor sees it: Debian's chromium, headless, a fresh profile, no network.
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  t.fail(`${CHROMIUM} is missing: install the Debian package chromium`);
  process.exit(1);
}

const dir = await mkdtemp(join(tmpdir(), 'audit-html-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await writeFileSink(join(dir, 'data'), dataset());
const out = join(dir, 'bundle');

t.test('summary.html renders its four charts, self-contained and without errors', async (t) => {
  const run = await runAudit(['evidence', '--from', '2026-03-01', '--to', '2026-03-06', '--out', out, '--data-dir', join(dir, 'data')]);
  t.equal(run.code, 0, run.stderr);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1100, height: 900 },
  });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(join(out, 'summary.html')).href;
  await page.goto(url, { waitUntil: 'load' });

  t.same(problems, [], 'no console error or warning');
  t.same(requests, [url], 'nothing loaded but the page itself');

  const charts = await page.$$eval('svg.chart', (list) =>
    list.map((svg) => {
      const box = svg.getBoundingClientRect();
      return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height, rects: svg.querySelectorAll('rect').length };
    }),
  );
  t.same(charts.map((c) => c.label), ['syslog events per device per day', 'clock offset per router over time', 'config changes per day', 'drift at the end of the range']);
  for (const c of charts) t.ok(c.width > 300 && c.height > 50, `${c.label} has a size (${c.width}×${c.height})`);

  // The heatmap: 3 devices × 5 days of cells, coloured; rtr-osa-2 empty on 03-04 and 03-05.
  const cells = await page.$$eval('svg.chart[aria-label^="syslog"] rect title', (l) => l.map((e) => e.textContent));
  t.equal(cells.length, 15);
  t.ok(cells.includes('rtr-osa-2 2026-03-04: 0 events'));
  t.ok(cells.includes('rtr-tyo-1 2026-03-02: 25 events'));
  // The offset chart: one line per router, drawn (a length on screen), and the unsynchronised band.
  const lines = await page.$$eval('svg.chart[aria-label^="clock"] path.series', (l) =>
    l.map((p) => ({ name: p.querySelector('title')?.textContent, length: (p as unknown as { getTotalLength(): number }).getTotalLength() })),
  );
  t.same(lines.map((l) => l.name).sort(), ['10.0.0.1', '10.0.0.2']);
  for (const l of lines) t.ok(l.length > 100, `${l.name} line is drawn (${Math.round(l.length)} px)`);
  const bands = await page.$$eval('svg.chart[aria-label^="clock"] rect.band', (l) => l.map((r) => r.getBoundingClientRect().width));
  t.equal(bands.length, 2, 'unsynchronised and no-record bands');
  t.ok(bands.every((w) => w > 0));
  const bars = await page.$$eval('svg.chart[aria-label^="config"] rect.bar', (l) => l.filter((r) => r.getBoundingClientRect().height > 0).length);
  t.equal(bars, 3, 'config changes on three days');

  // The screenshot people look at; a real PNG of the whole page.
  const png = new URL('./output/summary.png', import.meta.url).pathname;
  await mkdir(new URL('./output/', import.meta.url).pathname, { recursive: true });
  await page.screenshot({ path: png, fullPage: true });
  const data = await readFile(png);
  t.equal(data.subarray(1, 4).toString('latin1'), 'PNG');
  t.ok(data.readUInt32BE(16) >= 1000 && data.readUInt32BE(20) > 1500, `full page ${data.readUInt32BE(16)}×${data.readUInt32BE(20)}`);
  await page.close();
});
