import { createHash } from 'node:crypto';
import { tagPrefix } from '../redact/tagger.js';
import { maskedWindow } from './masked-window.js';
import { unifiedDiff, windowDiff } from './unified-diff.js';

/**
 * Drift is secrets-blind. The intended config comes from Git, which never holds the live secrets
 * (or holds other ones), so comparing redaction tags would report drift forever. Both sides are
 * compared with every secret value masked: each `<redacted:xxxxxxxx>` tag becomes `<secret>`.
 * What stays compared is everything else on the line, the encryption type included (`secret 9
 * <secret>` in Git against `password 7 <secret>` on the router is drift). The version-to-version
 * diff keeps its tags: there a rotated secret is a change worth seeing.
 */
export const secretMask = '<secret>';

const escapedPrefix = tagPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const tagRe = new RegExp(`${escapedPrefix}[0-9a-f]{8}>`, 'g');

/** Every redaction tag in `text` replaced by the one mask. */
export function maskSecrets(text: string): string {
  return text.includes(tagPrefix) ? text.replace(tagRe, secretMask) : text;
}

/** The intended config as drift compares it: redacted, normalised, masked; with its SHA-256. */
export interface IntendedText {
  text: string;
  sha256: string;
}

/** `normalised`: the intended config redacted with the upload's engine and key, and normalised. */
export function maskedIntended(normalised: string): IntendedText {
  const text = maskSecrets(normalised);
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

export type DriftStatus = 'in_sync' | 'drifted' | 'no_intended';

export interface Drift {
  drift: boolean | null;
  driftStatus: DriftStatus;
  /** Unified diff, intended (`---`) against uploaded (`+++`), masked; null unless drifted. */
  driftDiff: string | null;
  /** SHA-256 of the masked intended text; null without one. */
  intendedSha256: string | null;
}

/**
 * The upload's normalised (redacted) text against the intended one. Only the part of the upload
 * that differs is masked and diffed (masked-window.ts): the patch is the one of the whole masked
 * texts, without a masked copy of the whole upload.
 */
export function driftOf(device: string, version: number, normalisedUpload: string, intended: IntendedText | null): Drift {
  if (intended === null) return { drift: null, driftStatus: 'no_intended', driftDiff: null, intendedSha256: null };
  const window = maskedWindow(normalisedUpload, intended.text, secretMask);
  if (window === null) return { drift: false, driftStatus: 'in_sync', driftDiff: null, intendedSha256: intended.sha256 };
  const [oldName, newName] = [`${device} intended`, `${device} v${version}`];
  const diff =
    windowDiff(
      oldName,
      newName,
      intended.text.slice(window.intendedStart, window.intendedEnd),
      maskSecrets(normalisedUpload.slice(window.uploadStart, window.uploadEnd)),
      window.skippedLines,
    ) ?? unifiedDiff(oldName, newName, intended.text, maskSecrets(normalisedUpload)); // jsdiff gave up: the whole-file replacement
  return { drift: true, driftStatus: 'drifted', driftDiff: diff.text, intendedSha256: intended.sha256 };
}
