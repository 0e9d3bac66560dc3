import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { chromium, type Page } from 'playwright-core';
import { configEvent, dataset, ntpClient, ntpClockWarning, writeFileSink, type Seed } from './support/fixtures.js';
import { runAudit } from './support/run.js';

// summary.html as an auditor sees it: Debian's chromium, headless, a fresh profile, no network.
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  t.fail(`${CHROMIUM} is missing: install the Debian package chromium`);
  process.exit(1);
}

const H = 3_600_000;
const start = Date.parse('2026-03-01T00:00:00.000Z');
const end = Date.parse('2026-03-06T00:00:00.000Z');

/**
 * The shared data set, plus the routers and devices a chart tends to lose: a router heard once, one
 * heard again once after a long silence, one far beyond the ±1 s threshold (clock warnings), and a
 * device whose config does not say who changed it.
 */
function input(): Seed[] {
  const seeds = dataset();
  seeds.push(ntpClient('10.0.0.3', start + 57 * H + 7, 12.5)); // a single sample
  for (let i = 0; i < 24; i++) seeds.push(ntpClient('10.0.0.4', start + i * 1_800_000 + 7, 3 + i / 10));
  seeds.push(ntpClient('10.0.0.4', start + 84 * H + 7, 8)); // alone, 72 h after the others
  for (let i = 0; i < 48; i++) {
    const t0 = start + 48 * H + i * 1_800_000 + 7;
    seeds.push(ntpClient('2001:db8::7', t0, -1400 - i));
    seeds.push(ntpClockWarning('2001:db8::7', t0 + 1, -1400 - i));
  }
  const anonymous = configEvent('rtr-new-9', start + 100 * H, 1, 'in_sync')[0]!;
  seeds.push({ ...anonymous, message: JSON.stringify({ ...JSON.parse(anonymous.message), who: null }) });
  return seeds.sort((a, b) => a.timestamp - b.timestamp);
}

const seeds = input();
const inRange = seeds.filter((s) => s.timestamp >= start && s.timestamp < end);
/** Every router of the input (the ntp streams but `upstream`) and every config device with a change in the range. */
const routers = [...new Set(inRange.filter((s) => s.group === '/netsidecar/ntp' && s.stream !== 'upstream').map((s) => s.stream))].sort();
const changedDevices = [
  ...new Set(inRange.filter((s) => s.group === '/netsidecar/config' && s.message.includes('"schema":"config/1"')).map((s) => s.stream)),
].sort();
const configDevices = [...new Set(seeds.filter((s) => s.group === '/netsidecar/config').map((s) => s.stream))].sort();

const dir = await mkdtemp(join(tmpdir(), 'audit-html-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await writeFileSink(join(dir, 'data'), seeds);
const out = join(dir, 'bundle');
const run = await runAudit(['evidence', '--from', '2026-03-01', '--to', '2026-03-06', '--out', out, '--data-dir', join(dir, 'data')]);

const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
t.teardown(() => context.close());

/** A mark is visible when it is displayed, has a size on screen, and lies inside its chart and the window. */
interface Mark {
  kind: string;
  name: string | null;
  width: number;
  height: number;
  inside: boolean;
  shown: boolean;
  length: number;
}
async function marks(page: Page, chart: string, selector: string): Promise<Mark[]> {
  return page.$$eval(
    `svg.chart[aria-label="${chart}"]`,
    (svgs, sel) => {
      const svg = svgs[0]!;
      const box = svg.getBoundingClientRect();
      // The page's window (the test's tsconfig has no DOM globals: they are reached from the element).
      const view = svg.ownerDocument.defaultView!;
      return [...svg.querySelectorAll(sel)].map((el) => {
        const r = el.getBoundingClientRect();
        const style = view.getComputedStyle(el);
        const paint = el.tagName === 'path' ? style.stroke : style.fill;
        return {
          kind: el.tagName,
          name: el.getAttribute('data-name'),
          width: r.width,
          height: r.height,
          inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && box.right <= view.innerWidth,
          shown: style.display !== 'none' && style.visibility === 'visible' && Number(style.opacity) > 0 && paint !== 'none' && paint !== 'rgb(255, 255, 255)',
          length: el.tagName === 'path' ? (el as unknown as { getTotalLength(): number }).getTotalLength() : 0,
        };
      });
    },
    selector,
  );
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  const size = `${viewport.width}x${viewport.height}`;
  t.test(`summary.html at ${size}: every router and every changed device has a visible mark`, async (t) => {
    t.equal(run.code, 0, run.stderr);
    const page = await context.newPage();
    t.teardown(() => page.close());
    await page.setViewportSize(viewport);
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
    t.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'no horizontal scrolling');

    const charts = await page.$$eval('svg.chart', (list) =>
      list.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { label: svg.getAttribute('aria-label'), width: box.width, height: box.height };
      }),
    );
    t.same(
      charts.map((c) => c.label),
      ['syslog events per device per day', 'clock offset per router over time', 'config changes per day', 'drift at the end of the range'],
    );
    for (const c of charts) t.ok(c.width > 300 && c.height > 50, `${c.label} has a size (${c.width}×${c.height})`);

    // The heatmap: 3 devices × 5 days of cells, coloured; rtr-osa-2 empty on 03-04 and 03-05.
    const cells = await page.$$eval('svg.chart[aria-label^="syslog"] rect title', (l) => l.map((e) => e.textContent));
    t.equal(cells.length, 15);
    t.ok(cells.includes('rtr-osa-2 2026-03-04: 0 events'));
    t.ok(cells.includes('rtr-tyo-1 2026-03-02: 25 events'));

    // Clock chart: every router of the input, as a drawn line or a marker, inside the chart.
    t.same(routers, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '2001_db8__7'], 'the routers of the input');
    const clock = await marks(page, 'clock offset per router over time', 'path.series, circle.point');
    for (const router of routers) {
      const own = clock.filter((m) => m.name === router && m.shown && m.inside && (m.kind === 'circle' ? m.width >= 4 && m.height >= 4 : m.length > 0));
      t.ok(
        own.length > 0,
        `${size}: ${router} has a visible mark (${own.map((m) => (m.kind === 'path' ? `line ${Math.round(m.length)} px` : `marker ${m.width.toFixed(1)} px`)).join(', ')})`,
      );
    }
    t.ok(
      clock.some((m) => m.name === '10.0.0.3' && m.kind === 'circle'),
      'a router heard once is a marker',
    );
    t.ok(
      clock.some((m) => m.name === '10.0.0.4' && m.kind === 'circle'),
      'a sample alone after a gap is a marker',
    );
    const lines = clock.filter((m) => m.kind === 'path' && m.length > 50).map((m) => m.name);
    t.same(lines.sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.4', '2001_db8__7'], 'routers heard often are lines');
    const bands = await page.$$eval('svg.chart[aria-label^="clock"] rect.band', (l) => l.map((r) => r.getBoundingClientRect().width));
    t.equal(bands.length, 2, 'unsynchronised and no-record bands');
    t.ok(bands.every((w) => w > 0));
    // The ±1 s threshold, two dashed lines across the plot, and the one router beyond it below the lower one.
    const threshold = await marks(page, 'clock offset per router over time', 'line.threshold');
    t.equal(threshold.length, 2, '+1 s and -1 s');
    t.ok(
      threshold.every((m) => m.width > 400 && m.inside),
      'drawn across the chart',
    );
    // Round ticks: the offset axis in whole hundreds of ms, the time axis on whole days.
    const ticks = await page.$$eval('svg.chart[aria-label^="clock"] text[text-anchor="end"]', (l) => l.map((e) => e.textContent ?? ''));
    const values = ticks.filter((s) => /^-?\d/.test(s)).map(Number);
    t.ok(values.length >= 3 && values.every((v) => v % 100 === 0), `round offset ticks: ${values.join(', ')}`);
    t.ok(values.includes(-1000) && values.includes(1000) && values.includes(0), 'the axis holds ±1000 ms and 0');
    const times = await page.$$eval('svg.chart[aria-label^="clock"] text[text-anchor="middle"]', (l) => l.map((e) => e.textContent ?? ''));
    t.same(
      times.filter((s) => /^\d{4}-/.test(s)),
      ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'],
      'time ticks at midnight UTC',
    );
    // Signed worst offsets in the router table.
    const worst = await page.$$eval('table tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent ?? '')).filter((c) => c.length === 6),
    );
    t.same(worst.find((r) => r[0] === '2001_db8__7')?.slice(2, 4), ['48', '-1447.000'], 'clock warnings and a signed worst offset');
    t.same(worst.find((r) => r[0] === '10.0.0.2')?.[3], '+54.300');

    // Config chart: a segment per device per day with changes, integer ticks, an axis title, every device in the legend.
    t.same(changedDevices, ['rtr-new-9', 'rtr-osa-2', 'rtr-tyo-1'], 'devices changed in the range');
    const bars = await marks(page, 'config changes per day', 'rect.bar');
    for (const device of changedDevices) {
      const own = bars.filter((m) => m.name === device && m.shown && m.inside && m.height >= 2 && m.width >= 2);
      t.ok(own.length > 0, `${size}: ${device} has a visible bar (${own.map((m) => `${m.width.toFixed(0)}×${m.height.toFixed(0)} px`).join(', ')})`);
    }
    t.equal(bars.length, 5, 'rtr-tyo-1 and rtr-osa-2 on 03-01, rtr-tyo-1 on 03-02 and 03-03, rtr-new-9 on 03-05');
    const legend = await page.$$eval('svg.chart[aria-label="config changes per day"] rect.legend', (l) => l.map((e) => e.getAttribute('data-name')));
    t.same(legend.sort(), configDevices, 'every config device in the legend, rtr-kix-3 (no change in the range) too');
    const configText = await page.$$eval('svg.chart[aria-label="config changes per day"] text', (l) => l.map((e) => e.textContent ?? ''));
    t.ok(configText.includes('changes per day'), 'an axis title');
    const counts = configText.filter((s) => /^\d+(\.\d+)?$/.test(s));
    t.same(counts, ['0', '1', '2'], 'integer ticks');
    t.ok(configText.includes('rtr-kix-3: no change'));

    // What an assessor looks for: the requirement each section answers, who made each change.
    const headings = await page.$$eval('h2', (l) => l.map((e) => e.textContent ?? ''));
    t.match(
      headings.find((h) => h.startsWith('Clock offset')),
      /PCI DSS 10\.6\.1, 10\.6\.2, 10\.6\.3/,
    );
    t.match(
      headings.find((h) => h.startsWith('Configuration')),
      /PCI DSS 1\.2\.2/,
    );
    const body = await page.innerText('body');
    t.match(body, /The NTP service followed 169\.254\.169\.123:123 \(stratum 1, refid GPS; served as stratum 2\)/);
    t.match(body, /rtr-new-9\s+1\s+not in the config/);

    // The screenshot people look at; a real PNG of the whole page.
    const png = new URL(`./output/summary-${size}.png`, import.meta.url).pathname;
    await mkdir(new URL('./output/', import.meta.url).pathname, { recursive: true });
    await page.screenshot({ path: png, fullPage: true });
    // The two charts alone, at the size they are on screen, for a closer look.
    for (const [name, label] of [
      ['clock', 'clock offset per router over time'],
      ['config', 'config changes per day'],
    ]) {
      await page.locator(`svg.chart[aria-label="${label}"]`).screenshot({ path: new URL(`./output/${name}-chart-${size}.png`, import.meta.url).pathname });
    }
    const data = await readFile(png);
    t.equal(data.subarray(1, 4).toString('latin1'), 'PNG');
    t.ok(data.readUInt32BE(16) === viewport.width && data.readUInt32BE(20) > 1500, `full page ${data.readUInt32BE(16)}×${data.readUInt32BE(20)}`);
  });
}
