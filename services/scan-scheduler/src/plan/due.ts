import type { ImageRecord } from '../state/records.js';
import type { DueReason } from '../queue/scan-request.js';
import type { DbInfo } from '../scan/trivy-runner.js';

export interface DuePolicy {
  maxAgeMs: number;
  dbRescanMinAgeMs: number;
}

export interface DueImage {
  image: ImageRecord;
  reason: DueReason;
}

/** The newest Trivy DB any scan used: a scan with an older one is behind. */
export function latestDb(images: readonly ImageRecord[]): string | null {
  let latest: string | null = null;
  for (const image of images) if (image.dbUpdatedAt !== null && (latest === null || image.dbUpdatedAt > latest)) latest = image.dbUpdatedAt;
  return latest;
}

/** The newest DB the planner knows of, and who told it: Trivy (or its server) this run, or a recorded scan. */
export interface NewestDb {
  dbUpdatedAt: string | null;
  source: DbInfo['source'] | 'scans' | null;
}

/**
 * What Trivy reports now (so a DB update makes images due at the next run, before any scan used
 * it), or the newest DB a scan recorded when that is newer or Trivy could not say.
 */
export function newestDb(reported: DbInfo | null, images: readonly ImageRecord[]): NewestDb {
  const recorded = latestDb(images);
  const fromTrivy = reported?.dbUpdatedAt ?? null;
  if (fromTrivy !== null && (recorded === null || fromTrivy >= recorded)) return { dbUpdatedAt: fromTrivy, source: reported!.source };
  return { dbUpdatedAt: recorded, source: recorded === null ? null : 'scans' };
}

/**
 * Why an image is due now, or null: never scanned (`new`), scanned longer ago than the max age
 * (`stale`), or scanned with an older DB than the newest seen and at least the minimum age ago
 * (`db_updated`; the minimum stops a rescan of everything at every DB build).
 */
export function dueReason(image: ImageRecord, now: number, policy: DuePolicy, newestDb: string | null): DueReason | null {
  if (image.lastScannedAt === null) return 'new';
  const age = now - Date.parse(image.lastScannedAt);
  if (age >= policy.maxAgeMs) return 'stale';
  if (newestDb !== null && (image.dbUpdatedAt === null || image.dbUpdatedAt < newestDb) && age >= policy.dbRescanMinAgeMs) return 'db_updated';
  return null;
}

/** Running images that are due, never-scanned first, then the oldest scan first. */
export function planDue(images: readonly ImageRecord[], now: number, policy: DuePolicy, db: string | null = latestDb(images)): DueImage[] {
  const due: DueImage[] = [];
  for (const image of images) {
    if (!image.running) continue;
    const reason = dueReason(image, now, policy, db);
    if (reason !== null) due.push({ image, reason });
  }
  return due.sort((a, b) => (a.image.lastScannedAt ?? '').localeCompare(b.image.lastScannedAt ?? '') || a.image.digest.localeCompare(b.image.digest));
}

/**
 * The image's queue claim is still held (enqueued within the lease, not scanned since): the planner
 * skips it without a conditional write. The store's conditional claim stays the authority.
 */
export function claimHeld(image: ImageRecord, now: number, leaseMs: number): boolean {
  if (image.lastQueuedAt === null) return false;
  if (Date.parse(image.lastQueuedAt) < now - leaseMs) return false;
  return image.lastScannedAt === null || image.lastScannedAt < image.lastQueuedAt;
}
