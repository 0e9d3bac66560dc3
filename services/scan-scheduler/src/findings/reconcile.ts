import type { ObservedFinding } from '../scan/trivy-report.js';
import { historyLimit, type FindingRecord, type FindingStatus, type ResolvedReason } from '../state/records.js';
import { matchIgnore, type IgnoreRule } from './ignore-rules.js';

export type TransitionKind = 'new' | 'resolved' | 'ignored';

export interface Transition {
  kind: TransitionKind;
  finding: FindingRecord;
  /** The finding had been resolved or ignored before. */
  reopened: boolean;
  reason: ResolvedReason | null;
}

export interface ReconcileResult {
  /** Every finding of the image after the scan (for counts and notification). */
  all: FindingRecord[];
  /** The records to write (new or changed). */
  changed: FindingRecord[];
  transitions: Transition[];
}

/**
 * A scan's findings against the stored ones: the state machine of README.md.
 * - seen, unknown -> `new` (or `ignored` under an active ignore rule)
 * - seen, `resolved` or `ignored` without an active rule -> `new` again (reopened: notified again)
 * - seen, `new`/`notified` under an active rule -> `ignored`
 * - not seen, `new`/`notified`/`ignored` -> `resolved` (`fixed`)
 * History grows only on a transition, so the same report applied twice changes nothing but
 * `lastSeenAt` (a retried SQS message doubles nothing).
 */
export function reconcileScan(input: {
  digest: string;
  existing: readonly FindingRecord[];
  observed: readonly ObservedFinding[];
  ignores: readonly IgnoreRule[];
  now: Date;
  scanId: string;
}): ReconcileResult {
  const at = input.now.toISOString();
  const nowMs = input.now.getTime();
  const previous = new Map(input.existing.map((finding) => [finding.fingerprint, finding]));
  const changed: FindingRecord[] = [];
  const transitions: Transition[] = [];
  const all: FindingRecord[] = [];
  const seen = new Set<string>();

  for (const observation of input.observed) {
    seen.add(observation.fingerprint);
    const rule = matchIgnore(observation, input.ignores, nowMs);
    const before = previous.get(observation.fingerprint);
    const record: FindingRecord = before
      ? { ...before, history: [...before.history] }
      : {
          digest: input.digest,
          fingerprint: observation.fingerprint,
          vulnerabilityId: observation.vulnerabilityId,
          pkgName: observation.pkgName,
          installedVersion: observation.installedVersion,
          fixedVersion: observation.fixedVersion,
          severity: observation.severity,
          vendorStatus: observation.vendorStatus,
          target: observation.target,
          title: observation.title,
          status: 'new',
          firstSeenAt: at,
          lastSeenAt: at,
          notifiedAt: null,
          resolvedAt: null,
          resolvedNotifiedAt: null,
          resolvedReason: null,
          ignoreStatement: null,
          ignoreExpiresAt: null,
          history: [],
        };
    // Details follow the latest report (a rescore moves the severity; a partial fix the version).
    Object.assign(record, {
      installedVersion: observation.installedVersion,
      fixedVersion: observation.fixedVersion,
      severity: observation.severity,
      vendorStatus: observation.vendorStatus,
      title: observation.title,
      lastSeenAt: at,
    });
    if (rule) {
      record.ignoreStatement = rule.statement;
      record.ignoreExpiresAt = rule.expiresAt === null ? null : new Date(rule.expiresAt).toISOString();
      if (!before || before.status !== 'ignored') {
        transition(record, 'ignored', at, input.scanId, rule.statement);
        transitions.push({ kind: 'ignored', finding: record, reopened: before?.status === 'resolved', reason: null });
      }
    } else if (!before || before.status === 'resolved' || before.status === 'ignored') {
      const reopened = before !== undefined;
      // A reopened finding is a new one for notification: it will be notified (and resolved) again.
      Object.assign(record, {
        notifiedAt: null,
        resolvedAt: null,
        resolvedNotifiedAt: null,
        resolvedReason: null,
        ignoreStatement: null,
        ignoreExpiresAt: null,
      });
      transition(record, 'new', at, input.scanId, before?.status === 'ignored' ? 'ignore_ended' : reopened ? 'reappeared' : null);
      transitions.push({ kind: 'new', finding: record, reopened, reason: null });
    }
    changed.push(record);
    all.push(record);
  }

  for (const before of input.existing) {
    if (seen.has(before.fingerprint)) continue;
    if (before.status === 'resolved') {
      all.push(before);
      continue;
    }
    const record: FindingRecord = { ...before, history: [...before.history], resolvedAt: at, resolvedReason: 'fixed' };
    transition(record, 'resolved', at, input.scanId, 'fixed');
    transitions.push({ kind: 'resolved', finding: record, reopened: false, reason: 'fixed' });
    changed.push(record);
    all.push(record);
  }
  return { all, changed, transitions };
}

/** Every open finding of an image that no longer runs becomes resolved (`image_gone`). */
export function resolveGone(existing: readonly FindingRecord[], now: Date): { changed: FindingRecord[]; transitions: Transition[] } {
  const at = now.toISOString();
  const changed: FindingRecord[] = [];
  const transitions: Transition[] = [];
  for (const before of existing) {
    if (before.status === 'resolved') continue;
    const record: FindingRecord = { ...before, history: [...before.history], resolvedAt: at, resolvedReason: 'image_gone' };
    transition(record, 'resolved', at, null, 'image_gone');
    changed.push(record);
    transitions.push({ kind: 'resolved', finding: record, reopened: false, reason: 'image_gone' });
  }
  return { changed, transitions };
}

function transition(record: FindingRecord, status: FindingStatus, at: string, scanId: string | null, reason: string | null): void {
  record.status = status;
  record.history.push({ at, status, scanId, reason });
  if (record.history.length > historyLimit) record.history.splice(0, record.history.length - historyLimit);
}
