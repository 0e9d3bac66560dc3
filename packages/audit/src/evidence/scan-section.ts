import { AuditError } from '../errors.js';
import { parseEvent } from '../event.js';
import { csvLine } from '../output/csv.js';
import { str, type SectionInput } from './sections.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

export interface ScanSection {
  present: boolean;
  scans: number;
  errors: number;
  /** Findings opened in the range and not resolved or ignored by its end, by severity. */
  open: Record<string, number>;
  resolved: Record<string, number>;
  ignored: Record<string, number>;
}

/**
 * Scan evidence: every `scan/1` event, the findings (new, resolved, ignored) as CSV, and the
 * findings still open at the end. NB: a finding opened before the range and never touched in it is
 * not seen; the scan-scheduler's coverage report has the full state.
 */
export async function scanSection({ ctx, bundle, range, warnings }: SectionInput): Promise<ScanSection> {
  const zero = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  const section: ScanSection = { present: false, scans: 0, errors: 0, open: zero(), resolved: zero(), ignored: zero() };
  try {
    await ctx.source.streams('scan');
  } catch (err) {
    if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err;
    warnings.push(`scan: ${err.message}`);
    return section;
  }
  section.present = true;
  const query = { service: 'scan' as const, from: range.from, to: range.to };
  const raw = await bundle.open('scan/events.jsonl', ctx.source.provenance(query));
  const findings = await bundle.open('scan/findings.csv', { derivedFrom: ['scan/events.jsonl'] });
  await findings.write(csvLine(['time', 'type', 'severity', 'vulnerabilityId', 'pkgName', 'installedVersion', 'fixedVersion', 'imageRef', 'owner', 'reason', 'reopened', 'fingerprint']));
  const open = new Map<string, string>(); // digest|fingerprint -> severity
  for await (const event of ctx.source.events(query)) {
    await raw.row(event.message + '\n');
    const e = parseEvent(event.message);
    if (e === undefined) continue;
    const type = str(e['type']);
    if (type === 'scan_finished') section.scans++;
    if (type === 'error') section.errors++;
    if (type !== 'finding_new' && type !== 'finding_resolved' && type !== 'finding_ignored') continue;
    const severity = str(e['severity']) ?? 'UNKNOWN';
    const key = `${str(e['digest']) ?? ''}|${str(e['fingerprint']) ?? ''}`;
    await findings.row(
      csvLine([new Date(event.timestamp).toISOString(), type, severity, e['vulnerabilityId'], e['pkgName'], e['installedVersion'], e['fixedVersion'], e['imageRef'], e['owner'], e['reason'], e['reopened'], e['fingerprint']]),
    );
    if (type === 'finding_new') open.set(key, severity);
    else {
      open.delete(key);
      const bucket = type === 'finding_resolved' ? section.resolved : section.ignored;
      bucket[severity] = (bucket[severity] ?? 0) + 1;
    }
  }
  await raw.close();
  await findings.close();
  for (const severity of open.values()) section.open[severity] = (section.open[severity] ?? 0) + 1;
  const csv = [csvLine(['key', 'severity'])];
  for (const [key, severity] of open) csv.push(csvLine([key, severity]));
  await bundle.put('scan/open-at-end.csv', csv.join(''), { derivedFrom: ['scan/events.jsonl'] }, open.size);
  if ((section.open['CRITICAL'] ?? 0) + (section.open['HIGH'] ?? 0) > 0) {
    warnings.push(`scan: ${section.open['CRITICAL']} CRITICAL and ${section.open['HIGH']} HIGH finding(s) opened in the range are still open at its end`);
  }
  if (section.errors > 0) warnings.push(`scan: ${section.errors} error event(s) in the range`);
  return section;
}
