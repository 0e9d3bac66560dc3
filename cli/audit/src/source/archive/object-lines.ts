import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { AuditError } from '../../errors.js';
import { textLines } from '../../lines.js';

/** What the evidence records of each archive object it used (MANIFEST and archive/objects.csv). */
export interface ArchiveObject {
  key: string;
  versionId: string | null;
  bytes: number;
  etag: string | null;
  /** S3's own checksum when the object has one (`CRC64NVME:...`, `SHA256:...`), else null. */
  checksum: string | null;
  /** SHA-256 of the bytes as read (the GZIP object), computed while reading. */
  sha256: string;
  lastModified: string | null;
  storageClass: string;
  /** `COMPLIANCE` or `GOVERNANCE`; null when S3 returned none (no lock, or no s3:GetObjectRetention). */
  lockMode: string | null;
  retainUntil: string | null;
  legalHold: string | null;
  /** Lines (events, parts, control messages) in the object. */
  lines: number;
}

type Call = <T>(operation: string, send: () => Promise<T>) => Promise<T>;

const checksumNames = ['ChecksumCRC64NVME', 'ChecksumCRC32C', 'ChecksumCRC32', 'ChecksumSHA256', 'ChecksumSHA1'] as const;

/**
 * GetObject of an archive object; with `whole`, its body read into memory at once (small objects are
 * fetched a few at a time ahead of the one being read: many round trips, not many bytes).
 */
export async function getArchiveObject(client: S3Client, bucket: string, key: string, call: Call, whole: boolean): Promise<GetObjectCommandOutput> {
  const response = await call('GetObject', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' })));
  if (!whole || response.Body === undefined) return response;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response.Body as Readable) chunks.push(chunk as Buffer);
  } catch (err) {
    throw new AuditError('AUDIT_AWS_ERROR', `reading s3://${bucket}/${key} failed: ${(err as Error).message}`);
  }
  return { ...response, Body: Readable.from(chunks) as unknown as GetObjectCommandOutput['Body'] };
}

/**
 * One archive object's lines: its body hashed as it comes, GUNZIP'd, cut in lines. `object` is
 * filled in as the lines are read (`lines` and `sha256` when the last one is read). A body that is
 * not a complete GZIP stream throws AUDIT_ARCHIVE_CORRUPT after its last whole line.
 */
export function archiveObjectLines(bucket: string, key: string, response: GetObjectCommandOutput) {
  const checksum = checksumNames.find((name) => response[name] !== undefined);
  const object: ArchiveObject = {
    key,
    versionId: response.VersionId ?? null,
    bytes: response.ContentLength ?? 0,
    etag: response.ETag ?? null,
    checksum: checksum === undefined ? null : `${checksum.slice('Checksum'.length)}:${response[checksum]}`,
    sha256: '',
    lastModified: response.LastModified?.toISOString() ?? null,
    storageClass: response.StorageClass ?? 'STANDARD',
    lockMode: response.ObjectLockMode ?? null,
    retainUntil: response.ObjectLockRetainUntilDate?.toISOString() ?? null,
    legalHold: response.ObjectLockLegalHoldStatus ?? null,
    lines: 0,
  };
  const maybeBody = response.Body as Readable | undefined;
  if (maybeBody === undefined) throw new AuditError('AUDIT_AWS_ERROR', `GetObject s3://${bucket}/${key} returned no body`);
  const body: Readable = maybeBody;
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  pipeline(body, hashing, gunzip, () => {}); // errors surface through the iteration of gunzip

  async function* lines(): AsyncGenerator<string> {
    try {
      for await (const line of textLines(gunzip)) {
        object.lines++;
        yield line;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
        const what = code === 'Z_BUF_ERROR' ? 'the GZIP stream is cut short (unexpected end of file)' : `not a valid GZIP object (${(err as Error).message})`;
        throw new AuditError(
          'AUDIT_ARCHIVE_CORRUPT',
          `s3://${bucket}/${key}: ${what} after ${object.lines} whole line(s) and ${bytes} of ${object.bytes} bytes; nothing was written as complete`,
        );
      }
      throw new AuditError('AUDIT_AWS_ERROR', `reading s3://${bucket}/${key} failed after ${bytes} of ${object.bytes} bytes: ${(err as Error).message}`);
    } finally {
      body.destroy();
    }
    object.sha256 = hash.digest('hex');
    if (bytes !== object.bytes && response.ContentLength !== undefined) {
      throw new AuditError('AUDIT_ARCHIVE_CORRUPT', `s3://${bucket}/${key}: read ${bytes} bytes, S3 announced ${object.bytes}`);
    }
  }
  return { object, lines: lines() };
}
