import { CodedError } from '@netsidecar/config';
import type { DriftStatus } from '../analyse/drift.js';
import type { ComplianceResult } from '../compliance/check.js';
import type { WhenZone } from '../analyse/when.js';
import type { Vendor } from '../redact/vendor.js';

/** What the store keeps beside each version's redacted text: enough for the read API. */
export interface VersionMeta {
  device: string;
  version: number;
  uploadId: string;
  receivedAt: string;
  vendor: Vendor;
  sha256: string;
  sha256Original: string;
  sha256Normalized: string;
  changed: boolean;
  who: string | null;
  when: string | null;
  whenRaw: string | null;
  whenZone: WhenZone | null;
  principal: string;
  sourceIp: string;
  drift: boolean | null;
  driftStatus: DriftStatus;
  /** SHA-256 of the masked intended text the version was compared with. */
  intendedSha256: string | null;
  redactions: number;
  /** The compliance result at upload; null without rules (and for versions stored before it existed). */
  compliance: ComplianceResult | null;
}

/**
 * A stored meta as read back. Versions stored before `whenRaw`, `whenZone`, `intendedSha256` and
 * `compliance` existed lack them: they read as null, except `whenZone`, which is `explicit` whenever `when` is
 * set, because that code only gave a `when` for a stamp in UTC or a Junos file name (UTC).
 */
export function storedMeta(json: string): VersionMeta | null {
  const meta = JSON.parse(json) as (Partial<VersionMeta> & Omit<VersionMeta, 'whenRaw' | 'whenZone' | 'intendedSha256' | 'compliance'>) | Withdrawn;
  if ('withdrawn' in meta) return null;
  return {
    ...meta,
    whenRaw: meta.whenRaw ?? null,
    whenZone: meta.whenZone !== undefined ? meta.whenZone : meta.when !== null ? 'explicit' : null,
    intendedSha256: meta.intendedSha256 ?? null,
    compliance: meta.compliance ?? null,
  };
}

/**
 * What a withdrawn version's metadata file holds instead of its metadata: the number stays taken
 * (the next upload numbers after it, and another task's conditional create of it fails), the
 * version itself is gone (its text and drift diff are deleted; reads answer "not found").
 */
export interface Withdrawn {
  withdrawn: true;
  device: string;
  version: number;
  uploadId: string;
  /** Why: `sink_refused` (the sink refused the upload's events) or `store_failed` (a write failed half-way). */
  reason: 'sink_refused' | 'store_failed';
  at: string;
}

/**
 * Every version of every device, redacted text only. Versions are numbered from 1 per device; the
 * caller serialises writes per device (one task) and `put` refuses to overwrite (several tasks: the
 * S3 store's conditional write), so a version is never lost to a race.
 */
export interface ConfigStore {
  readonly kind: 'file' | 's3';
  /** The newest version's metadata (withdrawn numbers skipped), or null for a device without one. */
  latest(device: string): Promise<VersionMeta | null>;
  /**
   * The number the next version takes: one more than the highest ever taken, withdrawn ones
   * included, so a number that may have reached the log is never given to another upload.
   */
  nextVersion(device: string): Promise<number>;
  /** Stores a version: its redacted text, and its (masked) drift diff when it drifted. */
  put(meta: VersionMeta, text: string, driftDiff?: string | null): Promise<{ key: string }>;
  /**
   * Withdraws a version that could not be recorded (the sink refused its events): its text and
   * drift diff are deleted, its metadata becomes a `Withdrawn` record that keeps the number taken.
   */
  withdraw(record: Omit<Withdrawn, 'withdrawn' | 'at'>): Promise<void>;
  get(device: string, version: number): Promise<{ meta: VersionMeta; text: string } | null>;
  /** The drift diff stored with a version; null when it had none (or was stored before they were kept). */
  driftDiff(device: string, version: number): Promise<string | null>;
  versions(device: string): Promise<VersionMeta[]>;
  devices(): Promise<string[]>;
  /**
   * Every device with a kept version, and the `receivedAt` of its newest one, as the store holds
   * it now: uploads another task took included (the stale backup check reads this).
   */
  lastUploads(): Promise<Map<string, string>>;
}

/** `cache`'s value for `device`, computed and kept when it has none (the stores' per-task caches). */
export async function remembered<V>(cache: Map<string, V>, device: string, compute: () => Promise<V>): Promise<V> {
  const cached = cache.get(device);
  if (cached !== undefined) return cached;
  const value = await compute();
  cache.set(device, value);
  return value;
}

/** The newest version not withdrawn, reading back from the highest number (`numbers` ascending). */
export async function newestKept(numbers: readonly number[], read: (version: number) => Promise<VersionMeta | null>): Promise<VersionMeta | null> {
  for (let i = numbers.length - 1; i >= 0; i--) {
    const meta = await read(numbers[i]!);
    if (meta !== null) return meta;
  }
  return null;
}

/** The kept versions' metadata, in `numbers` order (withdrawn ones skipped). */
export async function keptVersions(numbers: readonly number[], read: (version: number) => Promise<VersionMeta | null>): Promise<VersionMeta[]> {
  const out: VersionMeta[] = [];
  for (const n of numbers) {
    const meta = await read(n);
    if (meta) out.push(meta);
  }
  return out;
}

/** The number after the highest taken, withdrawn ones included (`numbers` ascending). */
export function numberAfter(numbers: readonly number[]): number {
  return (numbers[numbers.length - 1] ?? 0) + 1;
}

export class VersionExistsError extends CodedError<'version_exists'> {
  constructor(device: string, version: number) {
    super('version_exists', `version ${version} of ${device} already exists`);
  }
}

export function versionName(version: number): string {
  return String(version).padStart(8, '0');
}
