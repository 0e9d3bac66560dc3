import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emptyCounts, noFailure, type FindingRecord, type ImageRecord, type ScanFailure, type ScanOutcome, type Sighting, type StateStore } from './records.js';

/**
 * The state store in memory, with the same semantics as the DynamoDB one (conditional claim,
 * inventory vs scan fields). Local mode saves it to a JSON file with `save()`.
 */
export class MemoryStateStore implements StateStore {
  private readonly images = new Map<string, ImageRecord>();
  private readonly findings = new Map<string, Map<string, FindingRecord>>();

  static async load(path: string): Promise<MemoryStateStore> {
    const store = new MemoryStateStore();
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw err;
    }
    const document = JSON.parse(text) as { images?: ImageRecord[]; findings?: FindingRecord[] };
    // A state file written before the failure fields existed: its images had no failed scan recorded.
    for (const image of document.images ?? []) store.images.set(image.digest, { ...noFailure(), ...image });
    await store.putFindings(document.findings ?? []);
    return store;
  }

  async save(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const document = { images: [...this.images.values()], findings: [...this.findings.values()].flatMap((m) => [...m.values()]) };
    const temporary = `${path}.tmp`;
    await writeFile(temporary, JSON.stringify(document, null, 1));
    await rename(temporary, path); // never a half-written state file
  }

  async listImages(): Promise<ImageRecord[]> {
    return [...this.images.values()].map(clone);
  }

  async getImage(digest: string): Promise<ImageRecord | undefined> {
    const image = this.images.get(digest);
    return image ? clone(image) : undefined;
  }

  async recordSighting(sighting: Sighting): Promise<void> {
    const existing = this.images.get(sighting.digest);
    this.images.set(sighting.digest, {
      ...(existing ?? {
        firstSeenAt: sighting.seenAt,
        lastScannedAt: null,
        lastQueuedAt: null,
        lastScanId: null,
        dbUpdatedAt: null,
        trivyVersion: null,
        ...noFailure(),
        openCounts: emptyCounts(),
      }),
      digest: sighting.digest,
      repository: sighting.repository,
      references: [...sighting.references],
      locations: sighting.locations.map((l) => ({ ...l })),
      owner: sighting.owner,
      running: true,
      lastSeenAt: sighting.seenAt,
    });
  }

  async markGone(digest: string): Promise<void> {
    const image = this.images.get(digest);
    if (image) image.running = false;
  }

  async claimForQueue(digest: string, now: string, leaseMs: number): Promise<boolean> {
    const image = this.images.get(digest);
    if (!image) return false;
    const cutoff = new Date(Date.parse(now) - leaseMs).toISOString();
    const free = image.lastQueuedAt === null || image.lastQueuedAt < cutoff || (image.lastScannedAt !== null && image.lastScannedAt >= image.lastQueuedAt);
    if (!free) return false;
    image.lastQueuedAt = now;
    return true;
  }

  async releaseClaim(digest: string, claimedAt: string, previous: string | null): Promise<void> {
    const image = this.images.get(digest);
    if (image && image.lastQueuedAt === claimedAt) image.lastQueuedAt = previous;
  }

  async recordScan(digest: string, outcome: ScanOutcome): Promise<void> {
    const image = this.images.get(digest);
    if (!image) return;
    image.lastScannedAt = outcome.scannedAt;
    image.lastScanId = outcome.scanId;
    image.dbUpdatedAt = outcome.dbUpdatedAt;
    image.trivyVersion = outcome.trivyVersion;
    image.openCounts = { ...outcome.openCounts };
    Object.assign(image, noFailure());
  }

  async recordScanFailure(digest: string, failure: ScanFailure): Promise<void> {
    const image = this.images.get(digest);
    if (!image) return;
    if (image.lastScannedAt !== null && image.lastScannedAt >= failure.failedAt) return;
    if (image.lastScanFailedAt !== null && image.lastScanFailedAt >= failure.failedAt) return;
    image.lastScanError = failure.message;
    image.lastScanErrorCode = failure.code;
    image.lastScanFailedAt = failure.failedAt;
    image.failingSince ??= failure.failedAt;
    image.failedAttempts += 1;
  }

  async listFindings(digest: string): Promise<FindingRecord[]> {
    return [...(this.findings.get(digest)?.values() ?? [])].map(clone);
  }

  async putFindings(findings: readonly FindingRecord[]): Promise<void> {
    for (const finding of findings) {
      let byFingerprint = this.findings.get(finding.digest);
      if (!byFingerprint) this.findings.set(finding.digest, (byFingerprint = new Map<string, FindingRecord>()));
      byFingerprint.set(finding.fingerprint, clone(finding));
    }
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
