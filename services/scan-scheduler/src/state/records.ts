import type { Severity } from '../config.js';
import type { Location } from '../inventory/aggregate.js';

/** Why a scan produced no result (the `error` event's code); `slack_failed` is not one: the scan was recorded. */
export type ScanFailureCode = 'trivy_failed' | 'trivy_timeout' | 'report_malformed' | 'store_failed' | 'ignore_file_invalid';

export const findingStatuses = ['new', 'notified', 'resolved', 'ignored'] as const;
export type FindingStatus = (typeof findingStatuses)[number];
export type ResolvedReason = 'fixed' | 'image_gone';

/** An item of the images table (README.md, "DynamoDB tables"). Times are ISO strings (UTC, ms). */
export interface ImageRecord {
  digest: string;
  repository: string;
  references: string[];
  locations: Location[];
  owner: string | null;
  running: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  lastScannedAt: string | null;
  lastQueuedAt: string | null;
  lastScanId: string | null;
  dbUpdatedAt: string | null;
  trivyVersion: string | null;
  /**
   * The scan attempts since the last successful scan, when they failed (all null / 0 when the last
   * attempt succeeded): what the coverage report shows as FAILING. `lastScanError` is the message.
   */
  lastScanError: string | null;
  lastScanErrorCode: ScanFailureCode | null;
  lastScanFailedAt: string | null;
  failingSince: string | null;
  failedAttempts: number;
  openCounts: Record<Severity, number>;
}

/** The failure fields of an image whose last scan attempt succeeded (or that was never tried). */
export function noFailure(): Pick<ImageRecord, 'lastScanError' | 'lastScanErrorCode' | 'lastScanFailedAt' | 'failingSince' | 'failedAttempts'> {
  return { lastScanError: null, lastScanErrorCode: null, lastScanFailedAt: null, failingSince: null, failedAttempts: 0 };
}

export interface HistoryEntry {
  at: string;
  status: FindingStatus;
  scanId: string | null;
  reason: string | null;
}

/** An item of the findings table. */
export interface FindingRecord {
  digest: string;
  fingerprint: string;
  vulnerabilityId: string;
  pkgName: string;
  installedVersion: string;
  fixedVersion: string | null;
  severity: Severity;
  vendorStatus: string | null;
  target: string;
  title: string | null;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  notifiedAt: string | null;
  resolvedAt: string | null;
  resolvedNotifiedAt: string | null;
  resolvedReason: ResolvedReason | null;
  ignoreStatement: string | null;
  ignoreExpiresAt: string | null;
  history: HistoryEntry[];
}

export const historyLimit = 50; // transitions kept per finding; a finding flapping more keeps the latest

export function emptyCounts(): Record<Severity, number> {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

/** Open = not resolved and not ignored. */
export function openCounts(findings: readonly FindingRecord[]): Record<Severity, number> {
  const counts = emptyCounts();
  for (const finding of findings) if (finding.status === 'new' || finding.status === 'notified') counts[finding.severity]++;
  return counts;
}

/** What the planner writes about an image it saw running; never touches the scan fields. */
export interface Sighting {
  digest: string;
  repository: string;
  references: string[];
  locations: Location[];
  owner: string | null;
  seenAt: string;
}

/** A scan attempt that produced no result; the findings and the last successful scan stay as they were. */
export interface ScanFailure {
  failedAt: string;
  code: ScanFailureCode;
  message: string;
}

export interface ScanOutcome {
  scannedAt: string;
  scanId: string;
  dbUpdatedAt: string | null;
  trivyVersion: string | null;
  openCounts: Record<Severity, number>;
}

/**
 * The state store: DynamoDB in production, memory (optionally a JSON file) in local mode and tests
 * of the logic. Every write is idempotent: writing the same thing twice leaves the same state.
 */
export interface StateStore {
  listImages(): Promise<ImageRecord[]>;
  getImage(digest: string): Promise<ImageRecord | undefined>;
  /** Creates the image (firstSeenAt = seenAt) or refreshes its inventory fields; sets running. */
  recordSighting(sighting: Sighting): Promise<void>;
  markGone(digest: string): Promise<void>;
  /**
   * Claims the image for the queue: sets lastQueuedAt = now unless an earlier claim is younger than
   * `leaseMs` and no scan finished since. False when someone else holds it.
   */
  claimForQueue(digest: string, now: string, leaseMs: number): Promise<boolean>;
  /** Undoes our own claim (the send failed), only if it is still ours. */
  releaseClaim(digest: string, claimedAt: string, previous: string | null): Promise<void>;
  /** The scan fields of a successful scan; clears the failure fields. */
  recordScan(digest: string, outcome: ScanOutcome): Promise<void>;
  /**
   * A failed attempt: sets the error fields, `failingSince` on the first failure after a success,
   * and counts it. Ignored when not newer than the last success or the last failure recorded (the
   * same write twice, or an older attempt written late), so it stays idempotent.
   */
  recordScanFailure(digest: string, failure: ScanFailure): Promise<void>;
  listFindings(digest: string): Promise<FindingRecord[]>;
  putFindings(findings: readonly FindingRecord[]): Promise<void>;
}
