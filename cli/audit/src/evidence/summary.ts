import { dayOf, iso, type TimeRange } from '../time-range.js';
import type { ConfigSection } from './config-section.js';
import type { LogGroupFacts } from './log-group.js';
import { signedMs, type NtpSection } from './ntp-section.js';
import type { ScanSection } from './scan-section.js';
import type { SummaryPart } from './sections.js';
import type { SyslogSection } from './syslog-section.js';
import { describeSource, type TimeSource } from './time-sources.js';

export { summaryMarkdown } from './summary-md.js';
export { summaryHtml } from './summary-html.js';

/**
 * What summary.md and summary.html both say, in the same words: the two pages differ in form
 * (tables and charts), never in what they state.
 */
export interface SummaryInput {
  range: TimeRange;
  source: string;
  createdAt: number;
  syslog: SyslogSection;
  ntp: NtpSection;
  config: ConfigSection;
  scan: ScanSection;
  warnings: string[];
  /** Sections after the four services' (compliance, stale backups: sections.ts `SummaryPart`). */
  parts?: SummaryPart[];
}

/** Every UTC day that the range touches. */
export function daysOf(range: TimeRange): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${dayOf(range.from)}T00:00:00.000Z`); t < range.to; t += 86_400_000) days.push(dayOf(t));
  return days;
}

export const pct = (x: number): string => `${(x * 100).toFixed(3)} %`;
const when = (t: number | undefined): string => (t === undefined ? '-' : iso(t));

/** The log groups table: one row per section, saying whether there is anything to read at all. */
export const logGroupHeader = ['log group', 'state', 'streams', 'events in range', 'retention', 'encryption'];
export function logGroupRows(s: SummaryInput): string[][] {
  const state = (f: LogGroupFacts) =>
    f.state === 'missing' ? 'does not exist' : f.state === 'empty' ? (f.streams === 0 ? 'exists, no stream' : 'no event in the range') : 'events';
  return [s.syslog.group, s.ntp.group, s.config.group, s.scan.group].map((f) => [
    f.name,
    state(f),
    f.state === 'missing' ? '-' : String(f.streams),
    f.state === 'missing' ? '-' : String(f.events),
    f.state === 'missing' ? '-' : f.retention,
    f.state === 'missing' ? '-' : f.encryption,
  ]);
}

/** The share of the range the routers' time came from a trusted, recorded source. */
export const syncSentence = (ntp: NtpSection): string =>
  `Synchronised to a trusted time source, with records, for ${pct(ntp.syncedShare)} of the range (unsynchronised, own-clock and unrecorded periods excluded).`;

/** Which source(s) the NTP service followed, named with stratum and refid (PCI DSS 10.6.2). */
export function timeSourceSentences(ntp: NtpSection): { text: string; bad: boolean }[] {
  const followed = ntp.sources.filter((s) => s.firstFollowed !== undefined);
  if (followed.length === 0) return [{ text: 'The NTP service followed no time source in the range (no synchronised upstream sample or status).', bad: true }];
  return followed.map((s) => ({
    text: `${s.local ? 'NOT A TRUSTED SOURCE: t' : 'T'}he NTP service followed ${describeSource(s)} from ${when(s.firstFollowed)} to ${when(s.lastFollowed)}${
      s.local ? ": its own clock, not UTC from a trusted source; routers got this machine's time" : ''
    }.`,
    bad: s.local,
  }));
}

export const timeSourceHeader = ['upstream', 'followed (first – last)', 'stratum', 'refid', 'served stratum', 'samples (valid)'];
export const timeSourceRow = (s: TimeSource): string[] => [
  s.local ? "local (this machine's clock)" : s.server,
  s.firstFollowed === undefined ? 'never' : `${when(s.firstFollowed)} – ${when(s.lastFollowed)}`,
  s.strata.join('/') || '-',
  s.refIds.join('/') || '-',
  s.servedStrata.join('/') || '-',
  `${s.samples} (${s.okSamples})`,
];

export const routerHeader = ['router', 'summaries', 'clock warnings', 'worst offset (ms)', 'last offset (ms)', 'last seen'];
export const routerRows = (ntp: NtpSection): string[][] =>
  ntp.clients.map((c) => [c.client, String(c.summaries), String(c.warnings), signedMs(c.worstOffsetMs), signedMs(c.lastOffsetMs), when(c.lastSeen)]);

export const changeHeader = ['received', 'device', 'version', 'who (in the config)', 'when (device)', 'uploaded by', 'from'];
export const changeRows = (config: ConfigSection): string[][] =>
  [...config.changes]
    .sort((a, b) => a.receivedAt - b.receivedAt)
    .map((c) => [iso(c.receivedAt), c.device, String(c.version), c.who ?? 'not in the config', c.when ?? '-', c.principal ?? '-', c.sourceIp ?? '-']);
export const changesSentence = (config: ConfigSection): string =>
  config.changesTotal === 0
    ? 'No configuration change in the range.'
    : `${config.changesTotal} change(s) in the range` +
      (config.changesTotal > config.changes.length
        ? `; ${config.changes.length} are listed (devices in name order), every one is in config/versions.csv`
        : '; every version is also in config/versions.csv') +
      '. "who" is the user the device wrote into its config; "uploaded by" the credential that sent it.';

/** The scan table only when scans left events: no scan is not "0 (0)". */
export function scanSentence(scan: ScanSection): string {
  if (scan.events > 0) return `${scan.scans} scan(s) finished, ${scan.errors} error event(s).`;
  const before = Object.values(scan.open).reduce((a, b) => a + b, 0);
  return (
    'No scan event in the range: there is no evidence that a scan ran, so no count of findings is given (an empty table would read as "no vulnerability").' +
    (before > 0 ? ` ${before} finding(s) opened before the range were still open at its start (scan/open-at-end.csv).` : '')
  );
}
