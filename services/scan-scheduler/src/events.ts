/**
 * The `scan/1` events (README.md defines every field). One JSON object per CloudWatch log event in
 * `<prefix>/scan`; field names are a public interface for Logs Insights queries: a rename needs
 * `scan/2`. Stream `planner` takes planning runs, stream `worker` the scans.
 */
import { schemaIds } from '@netsidecar/contracts';
import { EventWriter, type ReasonCounter } from '@netsidecar/runtime';
import type { Sink } from '@netsidecar/sink';
import type { Platform } from './inventory/types.js';
import type { Severity } from './config.js';
import type { FindingRecord, ResolvedReason, ScanFailureCode } from './state/records.js';

export const scanSchema = schemaIds.scan1;
export type ScanStream = 'planner' | 'worker';

export interface ImageFields {
  digest: string;
  repository: string;
  imageRef: string;
  owner: string | null;
}

export interface ScanStartedEvent extends ImageFields {
  type: 'scan_started';
  scanId: string;
  reason: string;
  attempt: number;
}

export interface ScanFinishedEvent extends ImageFields {
  type: 'scan_finished';
  scanId: string;
  result: 'ok';
  durationMs: number;
  trivyVersion: string | null;
  dbUpdatedAt: string | null;
  findingsTotal: number;
  counts: Record<Severity, number>;
  newCount: number;
  resolvedCount: number;
  ignoredCount: number;
}

export interface FindingEvent extends ImageFields {
  type: 'finding_new' | 'finding_resolved' | 'finding_ignored';
  fingerprint: string;
  vulnerabilityId: string;
  severity: Severity;
  pkgName: string;
  installedVersion: string;
  fixedVersion: string | null;
  vendorStatus: string | null;
  target: string;
  title: string | null;
  scanId: string | null;
  reopened: boolean;
  reason?: ResolvedReason;
  ignoreStatement?: string | null;
  ignoreExpiresAt?: string | null;
}

export interface NotificationSentEvent extends ImageFields {
  type: 'notification_sent';
  team: string | null;
  kind: 'new' | 'resolved' | 'new_and_resolved';
  findings: number;
  attempts: number;
}

export interface ImageUnpinnedEvent {
  type: 'image_unpinned';
  /** The planning run that saw it (absent in events written before coverage events existed). */
  planId?: string;
  plannedAt?: string;
  platform: Platform;
  cluster: string;
  workload: string;
  image: string;
  owner: string | null;
}

/** One per running image per planning run: the coverage report row that outlives the planner task. */
export interface ImageCoverageEvent extends ImageFields {
  type: 'image_coverage';
  planId: string;
  plannedAt: string;
  /** The tags/references it runs under (at most `coverageListLimit`; `referencesTotal` counts all). */
  references: string[];
  referencesTotal: number;
  platforms: Platform[];
  /** `platform/cluster`, bounded like `workloads`. */
  clusters: string[];
  clustersTotal: number;
  /** `platform/cluster/workload` (ECS `service:x`/`task:family`, EKS `namespace/pod`), bounded. */
  workloads: string[];
  workloadsTotal: number;
  firstSeenAt: string;
  lastSeenAt: string;
  lastScannedAt: string | null;
  dbUpdatedAt: string | null;
  trivyVersion: string | null;
  openFindings: Record<Severity, number>;
  /** Since the last successful scan (null / 0 when the last attempt succeeded): ImageRecord's fields. */
  failingSince: string | null;
  failedAttempts: number;
  lastScanErrorCode: ScanFailureCode | null;
  lastScanError: string | null;
  lastScanFailedAt: string | null;
  /** `failing` (the last scan attempts failed) before `never_scanned` and `stale`; null when fresh. */
  flag: 'never_scanned' | 'stale' | 'failing' | null;
}

/** One per planning run, after its `image_coverage` events: the report's totals. */
export interface CoverageSummaryEvent {
  type: 'coverage_summary';
  planId: string;
  plannedAt: string;
  maxAgeHours: number;
  runningImages: number;
  fresh: number;
  neverScanned: number;
  stale: number;
  failing: number;
  unpinned: number;
  openFindings: Record<Severity, number>;
  /** Images with at least one open CRITICAL or HIGH finding. */
  imagesWithCriticalOrHigh: number;
  /** Inventory sources that failed in this run: the coverage may miss their workloads. */
  inventoryErrors: number;
}

export interface PlanFinishedEvent {
  type: 'plan_finished';
  planId: string;
  durationMs: number;
  runningImages: number;
  unpinnedImages: number;
  workloads: number;
  due: number;
  enqueued: number;
  alreadyQueued: number;
  reasons: Record<'new' | 'stale' | 'db_updated', number>;
  goneImages: number;
  resolvedFindings: number;
  neverScanned: number;
  staleImages: number;
  /** Running images whose last scan attempts failed (flag `failing` in `image_coverage`). */
  failingImages: number;
  inventoryErrors: number;
  /** The newest Trivy DB known this run (what due `db_updated` compares with), or null. */
  dbUpdatedAt: string | null;
  /** Who said so: `server` / `trivy` (asked this run), `scans` (recorded by a scan), or null. */
  dbSource: 'server' | 'trivy' | 'scans' | null;
}

export type ErrorStage = 'inventory' | 'db' | 'store' | 'enqueue' | 'scan' | 'report' | 'notify' | 'message';
export type ErrorCode =
  | 'ecs_failed'
  | 'eks_failed'
  | 'inventory_failed'
  | 'trivy_failed'
  | 'trivy_timeout'
  | 'report_malformed'
  | 'store_failed'
  | 'enqueue_failed'
  | 'slack_failed'
  | 'message_malformed'
  | 'ignore_file_invalid';

export interface ErrorEvent extends Partial<ImageFields> {
  type: 'error';
  stage: ErrorStage;
  code: ErrorCode;
  message: string;
  cluster: string | null;
  retried: boolean;
}

export type ScanEvent =
  | ScanStartedEvent
  | ScanFinishedEvent
  | FindingEvent
  | NotificationSentEvent
  | ImageUnpinnedEvent
  | ImageCoverageEvent
  | CoverageSummaryEvent
  | PlanFinishedEvent
  | ErrorEvent;

/**
 * The scan/1 events, typed, written through the runtime's EventWriter (which stamps them, names the
 * stream and counts refusals in `netsidecar_scan_events_dropped_total{reason}`); never thrown.
 */
export class ScanEvents {
  readonly #writer: EventWriter;
  readonly #now: () => Date;

  constructor(options: { sink: Sink; logGroup: string; dropped: ReasonCounter; now: () => Date }) {
    this.#writer = new EventWriter(options);
    this.#now = options.now;
  }

  emit(stream: ScanStream, event: ScanEvent): void {
    this.#writer.writeEvent(stream, this.#now().getTime(), scanSchema, event);
  }
}

export function imageFields(image: { digest: string; repository: string; owner: string | null }): ImageFields {
  return { digest: image.digest, repository: image.repository, imageRef: `${image.repository}@${image.digest}`, owner: image.owner };
}

export function findingEvent(kind: FindingEvent['type'], image: ImageFields, finding: FindingRecord, scanId: string | null, reopened: boolean): FindingEvent {
  const event: FindingEvent = {
    type: kind,
    ...image,
    fingerprint: finding.fingerprint,
    vulnerabilityId: finding.vulnerabilityId,
    severity: finding.severity,
    pkgName: finding.pkgName,
    installedVersion: finding.installedVersion,
    fixedVersion: finding.fixedVersion,
    vendorStatus: finding.vendorStatus,
    target: finding.target,
    title: finding.title,
    scanId,
    reopened,
  };
  if (kind === 'finding_resolved') event.reason = finding.resolvedReason ?? 'fixed';
  if (kind === 'finding_ignored') {
    event.ignoreStatement = finding.ignoreStatement;
    event.ignoreExpiresAt = finding.ignoreExpiresAt;
  }
  return event;
}

/** Error text safe for an event: no credentials in URLs, one line, bounded. */
export function safeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(/(https?:\/\/)[^\s/@]+@/g, '$1***@')
    .replace(/https:\/\/hooks\.slack\.com\/\S+/g, 'https://hooks.slack.com/***')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
