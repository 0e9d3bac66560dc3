import { dayOf, iso, type TimeRange } from '../time-range.js';
import { driftLabel, type ConfigSection } from './config-section.js';
import type { NtpSection } from './ntp-section.js';
import { SEVERITIES, type ScanSection } from './scan-section.js';
import { barChart, esc, heatmap, lineChart, stackedBar } from './svg.js';
import type { SummaryPart } from './sections.js';
import type { SyslogSection } from './syslog-section.js';

export interface SummaryInput {
  range: TimeRange;
  source: string;
  createdAt: number;
  syslog: SyslogSection;
  ntp: NtpSection;
  config: ConfigSection;
  scan: ScanSection;
  warnings: string[];
  /** Sections after the four services' (sections.ts `SummaryPart`). */
  parts?: SummaryPart[];
}

/** Every UTC day that the range touches. */
export function daysOf(range: TimeRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${dayOf(range.from)}T00:00:00.000Z`); t < range.to; t += 86_400_000) days.push(dayOf(t));
  return days;
}

const MAX_SERIES = 10; // routers on the offset chart; the worst ones, the rest are in the CSV

function worstRouters(ntp: NtpSection): string[] {
  return [...ntp.clients]
    .filter((c) => ntp.offsets.has(c.client))
    .sort((a, b) => (b.maxAbsOffsetMs ?? 0) - (a.maxAbsOffsetMs ?? 0))
    .slice(0, MAX_SERIES)
    .map((c) => c.client);
}

const openCell = (scan: ScanSection, sev: string): string => `${scan.open[sev] ?? 0} (${scan.openBefore[sev] ?? 0})`;

const driftParts = (config: ConfigSection) => {
  const by = (s: string | undefined) => config.devices.filter((d) => d.driftAtEnd === s).length;
  return [
    { name: 'in sync', value: by('in_sync'), colour: '#2ca02c' },
    { name: 'drifted', value: by('drifted'), colour: '#d62728' },
    { name: 'no intended config', value: by('no_intended'), colour: '#7f7f7f' },
    { name: 'no upload found', value: by(undefined), colour: '#c7c7c7' },
  ];
};

const pct = (x: number) => `${(x * 100).toFixed(3)} %`;

export function summaryMarkdown(s: SummaryInput): string {
  const lines: string[] = [];
  lines.push(`# Audit evidence, ${iso(s.range.from)} to ${iso(s.range.to)}`, '');
  lines.push(`Source: ${s.source}. Created ${iso(s.createdAt)} by netsidecar-audit. Every file and the query that produced it: MANIFEST.json; hashes: SHA256SUMS (\`sha256sum -c SHA256SUMS\`). Charts: summary.html.`, '');
  lines.push('## Findings to look at', '');
  if (s.warnings.length === 0) lines.push('None.');
  for (const w of s.warnings) lines.push(`- ${w}`);
  lines.push('', '## Syslog (PCI DSS 10.2, 10.3, 10.5)', '');
  if (!s.syslog.present) lines.push('No syslog log group.');
  else {
    lines.push(`${s.syslog.total} events from ${s.syslog.devices.length} device(s).`, '', '| device | events | first | last | file |', '|---|---:|---|---|---|');
    for (const d of s.syslog.devices) {
      lines.push(`| ${d.device} | ${d.events} | ${d.first ? iso(d.first) : '-'} | ${d.last ? iso(d.last) : '-'} | ${d.file} |`);
    }
  }
  lines.push('', '## Time synchronisation (PCI DSS 10.6)', '');
  if (!s.ntp.present) lines.push('No ntp log group.');
  else {
    lines.push(`Synchronised with records for ${pct(s.ntp.syncedShare)} of the range; ${s.ntp.samples} upstream samples, ${s.ntp.okSamples} valid.`, '');
    lines.push('| from | to | what | note |', '|---|---|---|---|');
    for (const p of s.ntp.periods) lines.push(`| ${iso(p.start)} | ${iso(p.end)} | ${p.kind} | ${p.note ?? ''} |`);
    if (s.ntp.periods.length === 0) lines.push('| - | - | synchronised throughout | |');
    lines.push('', '| router | summaries | clock warnings | worst offset (ms) | last offset (ms) | last seen |', '|---|---:|---:|---:|---:|---|');
    for (const c of s.ntp.clients) {
      lines.push(`| ${c.client} | ${c.summaries} | ${c.warnings} | ${c.maxAbsOffsetMs?.toFixed(3) ?? '-'} | ${c.lastOffsetMs?.toFixed(3) ?? '-'} | ${c.lastSeen ? iso(c.lastSeen) : '-'} |`);
    }
  }
  lines.push('', '## Configuration (PCI DSS 1.2.2, 1.2.8, 11.5)', '');
  if (!s.config.present) lines.push('No config log group.');
  else {
    lines.push(`${s.config.uploads} upload(s) in the range. Every version with who/when: config/versions.csv; diffs beside them.`, '');
    lines.push('| device | versions | changes | last version | drift at end |', '|---|---:|---:|---:|---|');
    for (const d of s.config.devices) lines.push(`| ${d.device} | ${d.versions} | ${d.changes} | ${d.lastVersion ?? '-'} | ${driftLabel(d)} |`);
  }
  lines.push('', '## Vulnerability scans (PCI DSS 6.3, 11.3)', '');
  if (!s.scan.present) lines.push('No scan log group.');
  else {
    lines.push(`${s.scan.scans} scan(s) finished, ${s.scan.errors} error event(s).`, '', '| severity | open at the end (opened before the range) | resolved in range | ignored in range |', '|---|---:|---:|---:|');
    for (const sev of SEVERITIES) lines.push(`| ${sev} | ${openCell(s.scan, sev)} | ${s.scan.resolved[sev] ?? 0} | ${s.scan.ignored[sev] ?? 0} |`);
  }
  for (const part of s.parts ?? []) lines.push('', `## ${part.title}`, '', ...part.markdown);
  return lines.join('\n') + '\n';
}

export function summaryHtml(s: SummaryInput): string {
  const days = daysOf(s.range);
  const devices = s.syslog.devices.map((d) => d.device);
  const volume = heatmap('syslog events per device per day', devices, days, (device, day) => s.syslog.perDay.get(device)?.get(day) ?? 0);
  const routers = worstRouters(s.ntp);
  const offsets = lineChart(
    'clock offset per router over time',
    s.range.from,
    s.range.to,
    routers.map((r) => ({ name: r, points: s.ntp.offsets.get(r)!.points })),
    s.ntp.periods,
    'client clock − served clock (ms)',
  );
  const changes = barChart('config changes per day', days, days.map((d) => s.config.changesPerDay.get(d) ?? 0), 'changes');
  const drift = stackedBar('drift at the end of the range', driftParts(s.config));
  const warnings = s.warnings.length === 0 ? '<p>None.</p>' : `<ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  const row = (cells: (string | number)[]) => `<tr>${cells.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`;
  const ntpTable = s.ntp.clients.map((c) => row([c.client, c.summaries, c.warnings, c.maxAbsOffsetMs?.toFixed(3) ?? '-', c.lastSeen ? iso(c.lastSeen) : '-'])).join('');
  const syslogTable = s.syslog.devices.map((d) => row([d.device, d.events, d.first ? iso(d.first) : '-', d.last ? iso(d.last) : '-'])).join('');
  const configTable = s.config.devices.map((d) => row([d.device, d.versions, d.changes, driftLabel(d)])).join('');
  const scanTable = SEVERITIES.map((sev) => row([sev, openCell(s.scan, sev), s.scan.resolved[sev] ?? 0, s.scan.ignored[sev] ?? 0])).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Audit evidence ${esc(iso(s.range.from))} – ${esc(iso(s.range.to))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
.meta{color:#555;font-size:13px}.warn li{color:#a00}svg.chart{display:block;margin:12px 0;background:#fff}
</style></head><body>
<h1>Audit evidence, ${esc(iso(s.range.from))} to ${esc(iso(s.range.to))}</h1>
<p class="meta">Source: ${esc(s.source)}. Created ${esc(iso(s.createdAt))} by netsidecar-audit. Files and hashes: MANIFEST.json, SHA256SUMS.</p>
<h2>Findings to look at</h2><div class="warn">${warnings}</div>
<h2>Syslog volume per device per day</h2>${volume}
<table><tr><th>device</th><th>events</th><th>first</th><th>last</th></tr>${syslogTable}</table>
<h2>Clock offset per router over time</h2>
<p class="meta">Synchronised with records for ${pct(s.ntp.syncedShare)} of the range. Shaded: red unsynchronised, grey no record. ${routers.length < s.ntp.offsets.size ? `The ${routers.length} worst of ${s.ntp.offsets.size} routers; all are in ntp/client-offsets.csv.` : ''}</p>
${offsets}
<table><tr><th>router</th><th>summaries</th><th>clock warnings</th><th>worst offset (ms)</th><th>last seen</th></tr>${ntpTable}</table>
<h2>Config changes over time</h2>${changes}
<h2>Drift at the end of the range</h2>${drift}
<table><tr><th>device</th><th>versions</th><th>changes</th><th>drift at end</th></tr>${configTable}</table>
<h2>Vulnerability findings</h2>
<table><tr><th>severity</th><th>open at the end (opened before the range)</th><th>resolved in range</th><th>ignored in range</th></tr>${scanTable}</table>
${(s.parts ?? []).map((part) => `<h2>${esc(part.title)}</h2>${part.html}`).join('\n')}
</body></html>
`;
}
