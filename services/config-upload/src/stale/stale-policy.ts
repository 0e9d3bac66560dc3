import { duration } from '@netsidecar/config';
import { globToRegExp } from '../auth/glob.js';

/** How long a device may go without an upload before its backup counts as stale; null: never. */
export interface StalePolicy {
  afterMs(device: string): number | null;
}

export interface StaleOverride {
  glob: string;
  regex: RegExp;
  /** null: `off`, devices it matches are never stale (lab gear, spares). */
  afterMs: number | null;
}

/** A device may be expected to upload as seldom as monthly; one minute at least, so a check can see it. */
const parseInterval = duration(60_000, 60 * 24 * 3_600_000);

/** NETSIDECAR_UPLOAD_STALE_AFTER: a duration, at most 60 days (`1440h`). */
export const parseStaleAfter = parseInterval;

/**
 * NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: `glob=duration` pairs, comma separated, the first glob
 * that matches the whole device name wins: `fw-*=49h,lab-*=off`. Globs as in the users file.
 */
export function parseStaleOverrides(raw: string): StaleOverride[] {
  return raw.split(',').map((entry) => {
    const match = /^\s*([A-Za-z0-9._*?-]+)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!match) throw new Error(`expected glob=duration pairs like fw-*=49h,lab-*=off, got "${entry.trim()}"`);
    const [, glob, value] = match as unknown as [string, string, string];
    let afterMs: number | null;
    try {
      afterMs = value === 'off' ? null : parseInterval(value);
    } catch (err) {
      throw new Error(`${glob}: ${(err as Error).message} (or off)`, { cause: err });
    }
    return { glob, regex: globToRegExp(glob), afterMs };
  });
}

export function stalePolicy(defaultMs: number, overrides: readonly StaleOverride[]): StalePolicy {
  return {
    afterMs: (device) => {
      const override = overrides.find((o) => o.regex.test(device));
      return override ? override.afterMs : defaultMs;
    },
  };
}

/** Whether a device whose last upload was at `lastUploadAt` (ISO) is stale at `now` (ms). */
export function isStale(policy: StalePolicy, device: string, lastUploadAt: string, now: number): boolean {
  const afterMs = policy.afterMs(device);
  return afterMs !== null && now - Date.parse(lastUploadAt) > afterMs;
}
