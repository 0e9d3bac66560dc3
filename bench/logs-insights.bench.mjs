// Logs Insights stand-in benchmark: how long runInsightsQuery takes over many syslog/1 events, the
// first time (JSON field discovery of every message) and again (discovery cached per event).
// It is a test tool, so the figure that matters is that a test file stays within seconds.
//
//   npx tsc -b test && node bench/logs-insights.bench.mjs [--events 100000]
//
// Results: bench/RESULTS-logs-insights.md (rewritten by each run).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runInsightsQuery } = await import(join(root, 'test', 'dist', 'logs-insights', 'index.js'));
const argv = process.argv.slice(2);
const total = Number(argv[argv.indexOf('--events') + 1] ?? 0) || 100_000;
const T0 = Date.UTC(2026, 2, 1);

const events = [];
for (let i = 0; i < total; i++) {
  const at = T0 + i * 100;
  const host = `rtr-${i % 20}`;
  const severity = i % 8;
  const message = JSON.stringify({
    schema: 'syslog/1',
    receivedAt: new Date(at).toISOString(),
    sourceIp: `203.0.113.${i % 20}`,
    sourcePort: 51514,
    transport: 'udp',
    facility: 23,
    severity,
    facilityName: 'local7',
    severityName: 'x',
    timestamp: null,
    timestampRaw: null,
    host,
    app: null,
    procId: null,
    msgId: 'LINK-3-UPDOWN',
    message: `Interface Gi0/${i % 48}, changed state to down`,
    structuredData: null,
    vendor: { name: 'cisco', seq: i, mnemonic: 'LINK-3-UPDOWN' },
    raw: `<189>${i}: message`,
  });
  events.push({ timestamp: at, ingestionTime: at + 100, message, logStream: host, logGroup: '/netsidecar/syslog' });
}

const queries = [
  'fields @timestamp, @message | sort @timestamp desc | limit 20',
  'filter severity <= 3 | stats count(*) as n by @logStream, bin(5m) | sort n desc',
  'filter message like /Gi0\\/1\\b/ | fields @timestamp, host, vendor.seq',
  'parse message "Interface *, changed state to *" as ifname, state | stats count(*) by ifname, state',
];
const rows = [];
for (const query of queries) {
  const times = [];
  let count = 0;
  for (let run = 0; run < 2; run++) {
    const t0 = performance.now();
    count = runInsightsQuery(query, events).results.length;
    times.push(performance.now() - t0);
  }
  rows.push({ query, count, first: times[0], again: times[1] });
  console.log(`${query}\n  rows ${count}, first ${times[0].toFixed(0)} ms, again ${times[1].toFixed(0)} ms`);
}
const load = readFileSync('/proc/loadavg', 'utf8').trim();
const md = [
  '# Logs Insights stand-in (runInsightsQuery)',
  '',
  `Command: \`npx tsc -b test && node bench/logs-insights.bench.mjs --events ${total}\``,
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, /proc/loadavg at the end: \`${load}\`.`,
  "The machine is shared with other engineers' builds and tests: figures are upper bounds, not steady state.",
  '',
  `${total.toLocaleString('en')} syslog/1 events. "first": every message parsed for its fields; "again": the same event objects, fields cached.`,
  '',
  '| query | rows | first (ms) | again (ms) |',
  '|---|---|---|---|',
  ...rows.map((r) => `| \`${r.query.replaceAll('|', '\\|')}\` | ${r.count} | ${r.first.toFixed(0)} | ${r.again.toFixed(0)} |`),
  '',
];
writeFileSync(join(root, 'bench', 'RESULTS-logs-insights.md'), md.join('\n'));
