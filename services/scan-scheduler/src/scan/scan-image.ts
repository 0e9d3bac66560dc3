import { randomUUID } from 'node:crypto';
import { findingEvent, imageFields, safeMessage, type ScanEvents } from '../events.js';
import { loadIgnoreFile, type IgnoreRule } from '../findings/ignore-rules.js';
import { reconcileScan } from '../findings/reconcile.js';
import { repositoryOf } from '../image-ref.js';
import type { ScanMetrics } from '../metrics.js';
import type { Notifier } from '../notify/notifier.js';
import type { ScanRequest } from '../queue/scan-request.js';
import { openCounts, type ScanFailureCode, type StateStore } from '../state/records.js';
import { parseTrivyReport } from './trivy-report.js';
import { TrivyError, type TrivyRunner } from './trivy-runner.js';

export interface ScanDeps {
  store: StateStore;
  trivy: TrivyRunner;
  notifier: Notifier;
  events: ScanEvents;
  metrics: ScanMetrics;
  now: () => Date;
  /** Read at every scan, so that an edited ignore file applies without a restart. */
  ignoreFile: string | null;
  newScanId?: () => string;
}

/** `ok`: done, delete the message. `retry`: leave it for SQS to deliver again. */
export type ScanDisposition = 'ok' | 'retry';

/**
 * One image: trivy -> parse (the whole report, before any write) -> reconcile with the stored
 * findings -> write findings, then the image's scan fields (the "commit": a crash before it leaves
 * the image due, and the retry reapplies the same idempotent writes) -> Slack for what is pending.
 */
export async function scanImage(request: ScanRequest, attempt: number, deps: ScanDeps): Promise<ScanDisposition> {
  const scanId = deps.newScanId?.() ?? `scan-${randomUUID().slice(0, 8)}`;
  const started = deps.now();
  const known = await deps.store.getImage(request.digest).catch(() => undefined);
  const image = {
    digest: request.digest,
    repository: known?.repository || repositoryOf(request.imageRef),
    owner: known?.owner ?? request.owner,
    locations: known?.locations ?? [],
  };
  const fields = imageFields(image);
  deps.events.emit('worker', { type: 'scan_started', ...fields, scanId, reason: request.reason, attempt });

  const fail = async (code: ScanFailureCode | 'slack_failed', stage: 'scan' | 'report' | 'store' | 'notify', err: unknown): Promise<ScanDisposition> => {
    const result =
      code === 'slack_failed' ? 'notify_failed' : code === 'trivy_timeout' || code === 'trivy_failed' || code === 'report_malformed' ? code : 'store_failed';
    const message = safeMessage(err);
    deps.metrics.scans.inc({ result });
    deps.events.emit('worker', { type: 'error', stage, code, message, ...fields, cluster: null, retried: true });
    // A scan without a result is written on the image (lastScanError...), so the coverage report
    // shows it FAILING rather than fresh with the findings of an older scan. A Slack failure is not
    // one: the scan was recorded, only the message is pending.
    if (code !== 'slack_failed') {
      await deps.store.recordScanFailure(request.digest, { failedAt: deps.now().toISOString(), code, message }).catch((recordErr: unknown) =>
        deps.events.emit('worker', {
          type: 'error',
          stage: 'store',
          code: 'store_failed',
          message: `recording the failed scan: ${safeMessage(recordErr)}`,
          ...fields,
          cluster: null,
          retried: true,
        }),
      );
    }
    return 'retry';
  };

  let ignores: IgnoreRule[] = [];
  if (deps.ignoreFile !== null) {
    try {
      ignores = await loadIgnoreFile(deps.ignoreFile);
    } catch (err) {
      // Scanning without the ignores would notify what the team accepted: retry until it is fixed.
      return fail('ignore_file_invalid', 'store', new Error(`ignore file unusable: ${(err as Error).message}`));
    }
  }

  // Unknown (null) when Trivy cannot say: the image then counts as scanned with an older DB than
  // any known one, and a DB rescan picks it up.
  const db = await deps.trivy.dbInfo().catch(() => ({ trivyVersion: null, dbUpdatedAt: null }));
  let reportText: string;
  try {
    reportText = await deps.trivy.scan(request.imageRef);
  } catch (err) {
    return fail(err instanceof TrivyError ? err.code : 'trivy_failed', 'scan', err);
  }
  let report;
  try {
    report = parseTrivyReport(reportText);
  } catch (err) {
    return fail('report_malformed', 'report', err);
  }

  let all;
  let transitions;
  const now = deps.now();
  try {
    const existing = await deps.store.listFindings(request.digest);
    const result = reconcileScan({ digest: request.digest, existing, observed: report.findings, ignores, now, scanId });
    await deps.store.putFindings(result.changed);
    await deps.store.recordScan(request.digest, {
      scannedAt: now.toISOString(),
      scanId,
      dbUpdatedAt: db.dbUpdatedAt,
      trivyVersion: report.trivyVersion ?? db.trivyVersion,
      openCounts: openCounts(result.all),
    });
    all = result.all;
    transitions = result.transitions;
  } catch (err) {
    return fail('store_failed', 'store', err);
  }

  for (const t of transitions) {
    deps.metrics.findings.inc({ transition: t.kind });
    if (t.reopened) deps.metrics.findings.inc({ transition: 'reopened' });
    const type = t.kind === 'new' ? 'finding_new' : t.kind === 'resolved' ? 'finding_resolved' : 'finding_ignored';
    deps.events.emit('worker', findingEvent(type, fields, t.finding, scanId, t.reopened));
  }

  try {
    const outcome = await deps.notifier.notifyImage(image, all, 'worker');
    if (outcome.sent) deps.metrics.notifications.inc({ kind: outcome.newCount > 0 ? 'new' : 'resolved', result: 'ok' });
  } catch (err) {
    deps.metrics.notifications.inc({ kind: 'new', result: 'failed' });
    return fail('slack_failed', 'notify', err);
  }

  deps.metrics.scans.inc({ result: 'ok' });
  deps.events.emit('worker', {
    type: 'scan_finished',
    ...fields,
    scanId,
    result: 'ok',
    durationMs: deps.now().getTime() - started.getTime(),
    trivyVersion: report.trivyVersion ?? db.trivyVersion,
    dbUpdatedAt: db.dbUpdatedAt,
    findingsTotal: report.findings.length,
    counts: openCounts(all),
    newCount: transitions.filter((t) => t.kind === 'new').length,
    resolvedCount: transitions.filter((t) => t.kind === 'resolved').length,
    ignoredCount: transitions.filter((t) => t.kind === 'ignored').length,
  });
  return 'ok';
}
