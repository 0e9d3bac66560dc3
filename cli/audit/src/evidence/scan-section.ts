import { parseEvent } from '../event.js';
import { csvLine } from '../output/csv.js';
import { openLogGroup, settleLogGroup, type LogGroupFacts } from './log-group.js';
import { lookBackStart } from './look-back.js';
import { str, type SectionInput } from './sections.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

export interface ScanSection {
  present: boolean;
  group: LogGroupFacts;
  /** scan/1 events in the range: with none, there is no evidence that a scan ran (never a table of zeros). */
  events: number;
  scans: number;
  errors: number;
  /** Findings open at the end of the range (opened in it or before it), by severity. */
  open: Record<string, number>;
  /** Of `open`, those opened before the range (found by the look-back). */
  openBefore: Record<string, number>;
  resolved: Record<string, number>;
  ignored: Record<string, number>;
}

const FINDING_TYPES = new Set(['finding_new', 'finding_resolved', 'finding_ignored']);
/**
 * FilterLogEvents keeps only the events holding one of these terms (a superset of the finding
 * events: the type is checked after parsing), so a year of look-back fetches the findings, not
 * every scan's progress events.
 */
const FINDINGS_PATTERN = [...FINDING_TYPES].map((type) => `?"${type}"`).join(' ');

/** A finding open at some point: what open-at-end.csv says of it. */
interface OpenFinding {
  severity: string;
  openedAt: number;
  event: Record<string, unknown>;
}

/** Applies one finding event to the open set; the type when it is a finding event. */
function applyFinding(open: Map<string, OpenFinding>, e: Record<string, unknown>, timestamp: number): string | undefined {
  const type = str(e['type']);
  if (type === undefined || !FINDING_TYPES.has(type)) return undefined;
  const key = `${str(e['digest']) ?? ''}|${str(e['fingerprint']) ?? ''}`;
  if (type === 'finding_new') {
    // A duplicate (at-least-once delivery) keeps the first opening; a reopening follows a close.
    if (!open.has(key)) open.set(key, { severity: str(e['severity']) ?? 'UNKNOWN', openedAt: timestamp, event: e });
  } else open.delete(key);
  return type;
}

/**
 * Scan evidence: every `scan/1` event, the findings (new, resolved, ignored) as CSV, and every
 * finding still open at the end of the range with when it was opened. A finding opened before the
 * range and untouched in it is found by replaying the finding events of the look-back (`--lookback`
 * before the range, bounded by the log group's retention).
 */
export async function scanSection(input: SectionInput): Promise<ScanSection> {
  const { ctx, bundle, range, warnings } = input;
  const zero = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  const { facts, streams } = await openLogGroup(input, 'scan');
  const section: ScanSection = {
    present: false,
    group: facts,
    events: 0,
    scans: 0,
    errors: 0,
    open: zero(),
    openBefore: zero(),
    resolved: zero(),
    ignored: zero(),
  };
  if (streams === undefined) return section;
  section.present = true;

  // The state at --from: only finding events matter, and only the open set is kept in memory.
  const open = new Map<string, OpenFinding>(); // digest|fingerprint -> the opening
  const lookBackFrom = await lookBackStart(input, 'scan');
  const lookBack = { service: 'scan' as const, from: lookBackFrom, to: range.from, hint: FINDINGS_PATTERN };
  for await (const event of ctx.source.events(lookBack)) {
    if (!event.message.includes('"finding_')) continue; // most scan events are not findings: skip the parse
    const e = parseEvent(event.message);
    if (e !== undefined) applyFinding(open, e, event.timestamp);
  }

  const query = { service: 'scan' as const, from: range.from, to: range.to };
  const raw = await bundle.open('scan/events.jsonl', ctx.source.provenance(query));
  const findings = await bundle.open('scan/findings.csv', { derivedFrom: ['scan/events.jsonl'] });
  await findings.write(
    csvLine([
      'time',
      'type',
      'severity',
      'vulnerabilityId',
      'pkgName',
      'installedVersion',
      'fixedVersion',
      'imageRef',
      'owner',
      'reason',
      'reopened',
      'fingerprint',
    ]),
  );
  for await (const event of ctx.source.events(query)) {
    await raw.row(event.message + '\n');
    section.events++;
    const e = parseEvent(event.message);
    if (e === undefined) continue;
    const type = str(e['type']);
    if (type === 'scan_finished') section.scans++;
    if (type === 'error') section.errors++;
    if (applyFinding(open, e, event.timestamp) === undefined) continue;
    const severity = str(e['severity']) ?? 'UNKNOWN';
    await findings.row(
      csvLine([
        new Date(event.timestamp).toISOString(),
        type,
        severity,
        e['vulnerabilityId'],
        e['pkgName'],
        e['installedVersion'],
        e['fixedVersion'],
        e['imageRef'],
        e['owner'],
        e['reason'],
        e['reopened'],
        e['fingerprint'],
      ]),
    );
    if (type !== 'finding_new') {
      const bucket = type === 'finding_resolved' ? section.resolved : section.ignored;
      bucket[severity] = (bucket[severity] ?? 0) + 1;
    }
  }
  await raw.close();
  await findings.close();
  settleLogGroup(input, facts, section.events);

  const csv = [
    csvLine(['key', 'severity', 'openedAt', 'openedBeforeRange', 'vulnerabilityId', 'pkgName', 'installedVersion', 'fixedVersion', 'imageRef', 'owner']),
  ];
  for (const [key, f] of open) {
    const before = f.openedAt < range.from;
    section.open[f.severity] = (section.open[f.severity] ?? 0) + 1;
    if (before) section.openBefore[f.severity] = (section.openBefore[f.severity] ?? 0) + 1;
    const e = f.event;
    csv.push(
      csvLine([
        key,
        f.severity,
        new Date(f.openedAt).toISOString(),
        before,
        e['vulnerabilityId'],
        e['pkgName'],
        e['installedVersion'],
        e['fixedVersion'],
        e['imageRef'],
        e['owner'],
      ]),
    );
  }
  await bundle.put('scan/open-at-end.csv', csv.join(''), { derivedFrom: ['scan/events.jsonl'], lookBack: ctx.source.provenance(lookBack) }, open.size);
  const severe = (section.open['CRITICAL'] ?? 0) + (section.open['HIGH'] ?? 0);
  if (severe > 0) {
    const before = (section.openBefore['CRITICAL'] ?? 0) + (section.openBefore['HIGH'] ?? 0);
    warnings.push(
      `scan: ${section.open['CRITICAL']} CRITICAL and ${section.open['HIGH']} HIGH finding(s) are still open at the end of the range` +
        (before > 0 ? ` (${before} of them opened before it)` : ''),
    );
  }
  if (section.errors > 0) warnings.push(`scan: ${section.errors} error event(s) in the range`);
  return section;
}
