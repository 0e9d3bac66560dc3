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
  principal: string;
  sourceIp: string;
  drift: boolean | null;
  driftStatus: 'in_sync' | 'drifted' | 'no_intended';
  redactions: number;
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
  put(meta: VersionMeta, text: string): Promise<{ key: string }>;
  /** Removes a version that could not be recorded (the sink refused its event). */
  remove(device: string, version: number): Promise<void>;
  get(device: string, version: number): Promise<{ meta: VersionMeta; text: string } | null>;
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
