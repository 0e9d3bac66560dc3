import { iso } from '../time-range.js';
import { stackedBars } from './bar-chart.js';
import { driftLabel, type ConfigSection } from './config-section.js';
import { lineChart } from './line-chart.js';
import { noDataSentence } from './log-group.js';
import type { NtpSection } from './ntp-section.js';
import { requirementIds, requirementsLine, type PageSection } from './pci-dss.js';
import { SEVERITIES } from './scan-section.js';
import {
  changeHeader,
  changeRows,
  changesSentence,
  daysOf,
  logGroupHeader,
  logGroupRows,
  routerHeader,
  routerRows,
  scanSentence,
  syncSentence,
  timeSourceHeader,
  timeSourceRow,
  timeSourceSentences,
  type SummaryInput,
} from './summary.js';
import { esc, heatmap, stackedBar } from './svg.js';

/** Routers named (coloured) on the offset chart: the worst ones; every other router is drawn grey. */
const NAMED_ROUTERS = 10;

function offsetChart(s: SummaryInput): string {
  const ntp = s.ntp;
  const drawn = ntp.clients.filter((c) => ntp.offsets.has(c.client));
  const worst = new Set(
    [...drawn]
      .sort((a, b) => Math.abs(b.worstOffsetMs ?? 0) - Math.abs(a.worstOffsetMs ?? 0))
      .slice(0, NAMED_ROUTERS)
      .map((c) => c.client),
  );
  const unmeasured = ntp.clients.filter((c) => !ntp.offsets.has(c.client)).map((c) => c.client);
  return lineChart({
    label: 'clock offset per router over time',
    from: s.range.from,
    to: s.range.to,
    series: drawn.map((c) => ({ name: c.client, points: ntp.offsets.get(c.client)!.points, minor: !worst.has(c.client) })),
    bands: ntp.periods,
    yTitle: 'router clock − served clock (ms)',
    threshold: { value: ntp.thresholdMs, label: `${ntp.thresholdMs / 1000} s warning threshold` },
    ...(unmeasured.length > 0
      ? { note: `no offset measured: ${unmeasured.slice(0, 3).join(', ')}${unmeasured.length > 3 ? ` and ${unmeasured.length - 3} more` : ''}` }
      : {}),
  });
}

function configChart(config: ConfigSection, days: string[]): string {
  return stackedBars({
    label: 'config changes per day',
    cols: days,
    rows: config.devices.map((d) => d.device),
    value: (device, day) => config.changesPerDevicePerDay.get(device)?.get(day) ?? 0,
    unit: 'change',
    yTitle: 'changes per day',
    emptyNote: 'no configuration change in the range',
  });
}

const driftParts = (config: ConfigSection) => {
  const by = (s: string | undefined) => config.devices.filter((d) => d.driftAtEnd === s).length;
  return [
    { name: 'in sync', value: by('in_sync'), colour: '#2ca02c' },
    { name: 'drifted', value: by('drifted'), colour: '#d62728' },
    { name: 'no intended config', value: by('no_intended'), colour: '#7f7f7f' },
    { name: 'no upload found', value: by(undefined), colour: '#c7c7c7' },
  ];
};

const table = (header: string[], rows: (string | number)[][]): string =>
  `<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</table>`;
const p = (text: string, cls = 'meta') => `<p class="${cls}">${esc(text)}</p>`;
const heading = (title: string, section: PageSection) =>
  `<h2>${esc(title)} <span class="pci">PCI DSS ${esc(requirementIds(section))}</span></h2>${p(requirementsLine(section), 'pci')}`;
/** The section's "no evidence" sentence, in red: an absent log group is never a chart of zeros. */
const noData = (sentence: string | undefined) => (sentence === undefined ? '' : p(sentence, 'nodata'));

function ntpHtml(s: SummaryInput): string {
  const ntp: NtpSection = s.ntp;
  if (!ntp.present) return noData(noDataSentence(ntp.group));
  const parts = [noData(noDataSentence(ntp.group))];
  for (const t of timeSourceSentences(ntp)) parts.push(p(t.text, t.bad ? 'nodata' : 'meta'));
  parts.push(
    p(`${syncSentence(ntp)} Shaded: red unsynchronised or own clock, grey no record. Dashed red: the ±${ntp.thresholdMs / 1000} s clock warning threshold.`),
  );
  if (ntp.sources.length > 0) parts.push(table(timeSourceHeader, ntp.sources.map(timeSourceRow)));
  parts.push(offsetChart(s));
  if (ntp.clients.length > 0) parts.push(table(routerHeader, routerRows(ntp)));
  return parts.join('\n');
}

function configHtml(s: SummaryInput, days: string[]): string {
  const config = s.config;
  if (!config.present) return noData(noDataSentence(config.group));
  return [
    noData(noDataSentence(config.group)),
    `<h3>Config changes per day, by device</h3>`,
    configChart(config, days),
    `<h3>Drift at the end of the range</h3>`,
    stackedBar('drift at the end of the range', driftParts(config)),
    table(
      ['device', 'versions', 'changes', 'drift at end'],
      config.devices.map((d) => [d.device, d.versions, d.changes, driftLabel(d)]),
    ),
    `<h3>Who changed what</h3>`,
    p(changesSentence(config)),
    config.changes.length > 0 ? table(changeHeader, changeRows(config)) : '',
  ].join('\n');
}

function scanHtml(s: SummaryInput): string {
  const scan = s.scan;
  if (!scan.present) return noData(noDataSentence(scan.group));
  if (scan.events === 0) return p(scanSentence(scan), 'nodata');
  return (
    p(scanSentence(scan)) +
    table(
      ['severity', 'open at the end (opened before the range)', 'resolved in range', 'ignored in range'],
      SEVERITIES.map((sev) => [sev, `${scan.open[sev] ?? 0} (${scan.openBefore[sev] ?? 0})`, scan.resolved[sev] ?? 0, scan.ignored[sev] ?? 0]),
    )
  );
}

export function summaryHtml(s: SummaryInput): string {
  const days = daysOf(s.range);
  const syslog = s.syslog;
  const volume =
    syslog.devices.length > 0
      ? heatmap(
          'syslog events per device per day',
          syslog.devices.map((d) => d.device),
          days,
          (device, day) => syslog.perDay.get(device)?.get(day) ?? 0,
        )
      : '';
  const warnings = s.warnings.length === 0 ? '<p>None.</p>' : `<ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  const syslogTable =
    syslog.devices.length > 0
      ? table(
          ['device', 'events', 'first', 'last'],
          syslog.devices.map((d) => [d.device, d.events, d.first ? iso(d.first) : '-', d.last ? iso(d.last) : '-']),
        )
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit evidence ${esc(iso(s.range.from))} – ${esc(iso(s.range.to))}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:20px 0 4px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
.meta{color:#555;font-size:13px}.pci{color:#1f4e8c;font-size:13px;font-weight:normal}p.pci{margin:4px 0 10px}
.nodata{color:#a00;font-weight:600;font-size:14px}.warn li{color:#a00}
svg.chart{display:block;margin:12px 0;background:#fff;max-width:100%;height:auto}
</style></head><body>
<h1>Audit evidence, ${esc(iso(s.range.from))} to ${esc(iso(s.range.to))}</h1>
<p class="meta">Source: ${esc(s.source)}. Created ${esc(iso(s.createdAt))} by netsidecar-audit. Files and hashes: MANIFEST.json, SHA256SUMS.</p>
<h2>Findings to look at</h2><div class="warn">${warnings}</div>
${heading('Log groups', 'logGroups')}
${table(logGroupHeader, logGroupRows(s))}
${heading('Syslog volume per device per day', 'syslog')}
${noData(noDataSentence(syslog.group))}${volume}
${syslogTable}
${heading('Clock offset per router over time', 'ntp')}
${ntpHtml(s)}
${heading('Configuration changes and drift', 'config')}
${configHtml(s, days)}
${heading('Vulnerability findings', 'scan')}
${scanHtml(s)}
${(s.parts ?? []).map((part) => `${heading(part.title, part.section)}${part.html}`).join('\n')}
</body></html>
`;
}
