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
export function storedMeta(json: string): VersionMeta {
  const meta = JSON.parse(json) as Partial<VersionMeta> & Omit<VersionMeta, 'whenRaw' | 'whenZone' | 'intendedSha256' | 'compliance'>;
  return {
    ...meta,
    whenRaw: meta.whenRaw ?? null,
    whenZone: meta.whenZone !== undefined ? meta.whenZone : meta.when !== null ? 'explicit' : null,
    intendedSha256: meta.intendedSha256 ?? null,
    compliance: meta.compliance ?? null,
  };
}

/**
 * Every version of every device, redacted text only. Versions are numbered from 1 per device; the
 * caller serialises writes per device (one task) and `put` refuses to overwrite (several tasks: the
 * S3 store's conditional write), so a version is never lost to a race.
 */
export interface ConfigStore {
  readonly kind: 'file' | 's3';
  /** The newest version's metadata, or null for a device never seen. */
  latest(device: string): Promise<VersionMeta | null>;
  /** Stores a version: its redacted text, and its (masked) drift diff when it drifted. */
  put(meta: VersionMeta, text: string, driftDiff?: string | null): Promise<{ key: string }>;
  /** Removes a version that could not be recorded (the sink refused its event). */
  remove(device: string, version: number): Promise<void>;
  get(device: string, version: number): Promise<{ meta: VersionMeta; text: string } | null>;
  /** The drift diff stored with a version; null when it had none (or was stored before they were kept). */
  driftDiff(device: string, version: number): Promise<string | null>;
  versions(device: string): Promise<VersionMeta[]>;
  devices(): Promise<string[]>;
}

export class VersionExistsError extends Error {
  readonly code = 'version_exists';
  constructor(device: string, version: number) {
    super(`version ${version} of ${device} already exists`);
    this.name = 'VersionExistsError';
  }
}

export function versionName(version: number): string {
  return String(version).padStart(8, '0');
}
