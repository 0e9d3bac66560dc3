import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { intendedSuffixes, type IntendedSource } from './intended.js';

/**
 * Intended configs under an S3 prefix (`s3://bucket/intended/`), for a team whose pipeline copies
 * its Git repository there: `<prefix><device>[.cfg|.conf|.txt|.rsc|.set|.config|.xml]`. The ETag is the version, so
 * an unchanged object is redacted once, then only HEAD is asked per upload.
 */
export class IntendedS3 implements IntendedSource {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async read(device: string): Promise<{ name: string; version: string; text: () => Promise<string> } | null> {
    for (const suffix of intendedSuffixes) {
      const key = `${this.prefix}${device}${suffix}`;
      try {
        const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
        return {
          name: key,
          version: head.ETag ?? `${head.LastModified?.getTime() ?? 0}:${head.ContentLength ?? 0}`,
          text: async () => {
            const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
            return (await object.Body?.transformToString('utf8')) ?? '';
          },
        };
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 404 && (err as Error).name !== 'NotFound' && (err as Error).name !== 'NoSuchKey') throw err;
      }
    }
    return null;
  }
}

/** `s3://bucket/prefix/` → bucket and prefix (with a trailing slash, or empty). Throws a string for loadConfig. */
export function parseS3Url(raw: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(raw.trim());
  if (!match) throw new Error('expected s3://bucket/prefix/');
  const prefix = match[2] ?? '';
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}
