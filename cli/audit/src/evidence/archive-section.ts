import type { ArchiveSource } from '../source/archive-source.js';
import { csvLine } from '../output/csv.js';
import { iso } from '../time-range.js';
import { serviceNames } from '@netsidecar/contracts';
import type { SectionInput } from './sections.js';

export const ARCHIVE_OBJECTS_FILE = 'archive/objects.csv';

/** What the MANIFEST says of the archive objects behind a bundle read from the S3 archive. */
export interface ArchiveManifest {
  bucket: string;
  file: string;
  objects: number;
  bytes: number;
  /** Objects S3 returned no Object Lock retention for. */
  withoutRetention: number;
  /** The earliest retain-until date among them: none can be deleted or overwritten before it. */
  earliestRetainUntil: string | null;
  controlMessagesSkipped: number;
}

/**
 * Every archive object the bundle's events came from: key, version, size, ETag and S3 checksum, the
 * SHA-256 of the bytes as read, and its Object Lock mode and retain-until date, so an auditor can
 * fetch the very versions again and see they could not have been changed.
 */
export async function archiveSection({ ctx, bundle, range, warnings }: SectionInput, source: ArchiveSource, bucket: string): Promise<ArchiveManifest> {
  const objects = source.storedObjects();
  const rows = [
    csvLine(['key', 'versionId', 'bytes', 'etag', 'checksum', 'sha256', 'lastModified', 'storageClass', 'lockMode', 'retainUntil', 'legalHold', 'lines']),
  ];
  for (const o of objects)
    rows.push(
      csvLine([o.key, o.versionId, o.bytes, o.etag, o.checksum, o.sha256, o.lastModified, o.storageClass, o.lockMode, o.retainUntil, o.legalHold, o.lines]),
    );
  await bundle.put(
    ARCHIVE_OBJECTS_FILE,
    rows.join(''),
    {
      source: 'archive',
      method: 'ListObjectsV2+GetObject',
      logGroup: serviceNames.map((s) => source.logGroup(s)).join(','),
      logStreams: 'all',
      from: iso(range.from),
      to: iso(range.to),
      query: `every object of s3://${bucket} read for this bundle (the look-back included)`,
    },
    objects.length,
  );

  const unlocked = objects.filter((o) => o.lockMode === null || o.retainUntil === null);
  if (unlocked.length > 0) {
    warnings.push(
      `archive: ${unlocked.length} object(s) came without an Object Lock retention (no lock, or the reader lacks s3:GetObjectRetention), e.g. ${unlocked[0]!.key}`,
    );
  }
  const expired = objects.filter((o) => o.retainUntil !== null && Date.parse(o.retainUntil) <= ctx.now);
  if (expired.length > 0)
    warnings.push(`archive: ${expired.length} object(s) are past their retain-until date and could now be deleted, e.g. ${expired[0]!.key}`);
  const retainUntil = objects
    .map((o) => o.retainUntil)
    .filter((d): d is string => d !== null)
    .sort();
  return {
    bucket,
    file: ARCHIVE_OBJECTS_FILE,
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
    withoutRetention: unlocked.length,
    earliestRetainUntil: retainUntil[0] ?? null,
    controlMessagesSkipped: source.controlMessages(),
  };
}
