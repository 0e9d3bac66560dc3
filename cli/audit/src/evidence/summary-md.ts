import { iso } from '../time-range.js';
import { driftLabel } from './config-section.js';
import { noDataSentence } from './log-group.js';
import { requirementIds, requirementsLine, type PageSection } from './pci-dss.js';
import { SEVERITIES } from './scan-section.js';
import {
  changeHeader,
  changeRows,
  changesSentence,
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

/** A table cell: router-controlled text (a config's user name) must neither break the table nor open an HTML tag. */
const cell = (v: string | number): string =>
  String(v)
    .replace(/[\\|<]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');

function table(lines: string[], header: string[], rows: (string | number)[][], right: number[] = []): void {
  lines.push(`| ${header.map(cell).join(' | ')} |`, `|${header.map((_, i) => (right.includes(i) ? '---:' : '---')).join('|')}|`);
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
}

function heading(lines: string[], title: string, section: PageSection): void {
  lines.push('', `## ${title} (PCI DSS ${requirementIds(section)})`, '', requirementsLine(section), '');
}

export function summaryMarkdown(s: SummaryInput): string {
  const lines: string[] = [];
  lines.push(`# Audit evidence, ${iso(s.range.from)} to ${iso(s.range.to)}`, '');
  lines.push(
    `Source: ${s.source}. Created ${iso(s.createdAt)} by netsidecar-audit. Every file and the query that produced it: MANIFEST.json; hashes: SHA256SUMS (\`sha256sum -c SHA256SUMS\`). Charts: summary.html.`,
    '',
  );
  lines.push('## Findings to look at', '');
  if (s.warnings.length === 0) lines.push('None.');
  for (const w of s.warnings) lines.push(`- ${w}`);

  heading(lines, 'Log groups', 'logGroups');
  table(lines, logGroupHeader, logGroupRows(s), [2, 3]);

  heading(lines, 'Syslog', 'syslog');
  const noSyslog = noDataSentence(s.syslog.group);
  if (noSyslog !== undefined) lines.push(noSyslog);
  if (s.syslog.devices.length > 0) {
    if (noSyslog === undefined) lines.push(`${s.syslog.total} events from ${s.syslog.devices.length} device(s).`, '');
    else lines.push('');
    table(
      lines,
      ['device', 'events', 'first', 'last', 'file'],
      s.syslog.devices.map((d) => [d.device, d.events, d.first ? iso(d.first) : '-', d.last ? iso(d.last) : '-', d.file]),
      [1],
    );
  }

  heading(lines, 'Time synchronisation', 'ntp');
  const noNtp = noDataSentence(s.ntp.group);
  if (noNtp !== undefined) lines.push(noNtp);
  if (s.ntp.present) {
    if (noNtp !== undefined) lines.push('');
    for (const t of timeSourceSentences(s.ntp)) lines.push(t.bad ? `**${t.text}**` : t.text, '');
    lines.push(`${syncSentence(s.ntp)} ${s.ntp.samples} upstream samples, ${s.ntp.okSamples} valid.`, '');
    if (s.ntp.sources.length > 0) {
      table(lines, timeSourceHeader, s.ntp.sources.map(timeSourceRow));
      lines.push('');
    }
    table(
      lines,
      ['from', 'to', 'what', 'note'],
      s.ntp.periods.length === 0 ? [['-', '-', 'synchronised throughout', '']] : s.ntp.periods.map((p) => [iso(p.start), iso(p.end), p.kind, p.note ?? '']),
    );
    if (s.ntp.clients.length > 0) {
      lines.push('', `Router clocks: the router's clock minus the served clock (+ ahead, - behind); a warning beyond ±${s.ntp.thresholdMs / 1000} s.`, '');
      table(lines, routerHeader, routerRows(s.ntp), [1, 2, 3, 4]);
    }
  }

  heading(lines, 'Configuration', 'config');
  const noConfig = noDataSentence(s.config.group);
  if (noConfig !== undefined) lines.push(noConfig);
  if (s.config.present) {
    if (noConfig !== undefined) lines.push('');
    lines.push(`${s.config.uploads} upload(s) in the range. Every version with who/when: config/versions.csv; diffs beside them.`, '');
    if (s.config.devices.length > 0) {
      table(
        lines,
        ['device', 'versions', 'changes', 'last version', 'drift at end'],
        s.config.devices.map((d) => [d.device, d.versions, d.changes, d.lastVersion ?? '-', driftLabel(d)]),
        [1, 2, 3],
      );
      lines.push('');
    }
    lines.push(`### Who changed what`, '', changesSentence(s.config));
    if (s.config.changes.length > 0) {
      lines.push('');
      table(lines, changeHeader, changeRows(s.config), [2]);
    }
  }

  heading(lines, 'Vulnerability scans', 'scan');
  const noScan = noDataSentence(s.scan.group);
  if (noScan !== undefined && s.scan.group.state === 'missing') lines.push(noScan);
  else {
    lines.push(scanSentence(s.scan));
    if (s.scan.events > 0) {
      lines.push('');
      table(
        lines,
        ['severity', 'open at the end (opened before the range)', 'resolved in range', 'ignored in range'],
        SEVERITIES.map((sev) => [sev, `${s.scan.open[sev] ?? 0} (${s.scan.openBefore[sev] ?? 0})`, s.scan.resolved[sev] ?? 0, s.scan.ignored[sev] ?? 0]),
        [1, 2, 3],
      );
    }
  }
  for (const part of s.parts ?? []) {
    heading(lines, part.title, part.section);
    lines.push(...part.markdown);
  }
  return lines.join('\n') + '\n';
}
