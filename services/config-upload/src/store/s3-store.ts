import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  VersionExistsError,
  keptVersions,
  newestKept,
  numberAfter,
  remembered,
  storedMeta,
  versionName,
  type ConfigStore,
  type VersionMeta,
  type Withdrawn,
} from './store.js';

/**
 * `<prefix><device>/<00000001>.cfg`, `.drift` (when the version drifted) and `.json` in a bucket with versioning on (nothing is ever
 * really overwritten or deleted without a trace). Several tasks may write: the `.json` claims the
 * number with `If-None-Match: *` (S3 conditional writes), so a second writer of the same version
 * gets 412 and the pipeline retries with the next number. A withdrawn version's `.json` holds a `Withdrawn` record, so its
 * number stays claimed. The latest version is cached per device; a conflict
 * clears it.
 */
export class S3Store implements ConfigStore {
  readonly kind = 's3' as const;
  private readonly latestCache = new Map<string, VersionMeta | null>();
  /** Per device, the number after the highest taken, as this task last saw it; a conflict clears it. */
  private readonly nextCache = new Map<string, number>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  latest(device: string): Promise<VersionMeta | null> {
    return remembered(this.latestCache, device, async () => newestKept(await this.versionNumbers(device), (version) => this.readMeta(device, version)));
  }

  nextVersion(device: string): Promise<number> {
    return remembered(this.nextCache, device, async () => numberAfter(await this.versionNumbers(device)));
  }

  async put(meta: VersionMeta, text: string, driftDiff: string | null = null): Promise<{ key: string }> {
    const base = `${this.prefix}${meta.device}/${versionName(meta.version)}`;
    // The metadata claims the number first (conditional create), so a losing writer never touches
    // the winner's text; a reader that sees the claim before the text gets "not found" for a moment.
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: `${base}.json`, Body: JSON.stringify(meta), ContentType: 'application/json', IfNoneMatch: '*' }),
      );
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || status === 409) {
        this.latestCache.delete(meta.device);
        this.nextCache.delete(meta.device);
        throw new VersionExistsError(meta.device, meta.version);
      }
      throw err;
    }
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${base}.cfg`, Body: text, ContentType: 'text/plain; charset=utf-8' }));
      if (driftDiff !== null) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${base}.drift`, Body: driftDiff, ContentType: 'text/plain; charset=utf-8' }));
      }
    } catch (err) {
      await this.withdraw({ device: meta.device, version: meta.version, uploadId: meta.uploadId, reason: 'store_failed' }).catch(() => {});
      throw err;
    }
    this.latestCache.set(meta.device, meta);
    this.nextCache.set(meta.device, Math.max(this.nextCache.get(meta.device) ?? 0, meta.version + 1));
    return { key: base.slice(this.prefix.length) };
  }

  async withdraw(record: Omit<Withdrawn, 'withdrawn' | 'at'>): Promise<void> {
    const base = `${this.prefix}${record.device}/${versionName(record.version)}`;
    const withdrawn: Withdrawn = { withdrawn: true, ...record, at: new Date().toISOString() };
    // Overwritten, not deleted: the claim on the number stays (the bucket keeps the old object's version).
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: `${base}.json`, Body: JSON.stringify(withdrawn), ContentType: 'application/json' }),
    );
    this.latestCache.delete(record.device);
    this.nextCache.set(record.device, Math.max(this.nextCache.get(record.device) ?? 0, record.version + 1));
    await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: [{ Key: `${base}.cfg` }, { Key: `${base}.drift` }] } }));
  }

  async get(device: string, version: number): Promise<{ meta: VersionMeta; text: string } | null> {
    const meta = await this.readMeta(device, version);
    if (!meta) return null;
    const text = await this.read(`${this.prefix}${device}/${versionName(version)}.cfg`);
    return text === null ? null : { meta, text };
  }

  async driftDiff(device: string, version: number): Promise<string | null> {
    return this.read(`${this.prefix}${device}/${versionName(version)}.drift`);
  }

  async versions(device: string): Promise<VersionMeta[]> {
    return keptVersions(await this.versionNumbers(device), (version) => this.readMeta(device, version));
  }

  /**
   * Several tasks write the bucket, so this task's cached latest version of a device may be behind.
   * One listing of the whole prefix gives each device's newest kept version (the highest number
   * with its `.cfg`: a withdrawn version's text is deleted); a device whose newest is not the cached
   * one is read again (one listing and one GET), which also refreshes what the read API answers.
   */
  async lastUploads(): Promise<Map<string, string>> {
    const newest = new Map<string, number>();
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const m = /^([^/]+)\/(\d{8})\.cfg$/.exec((object.Key ?? '').slice(this.prefix.length));
        if (m) newest.set(m[1]!, Math.max(newest.get(m[1]!) ?? 0, Number(m[2])));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const out = new Map<string, string>();
    for (const [device, version] of [...newest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (this.latestCache.get(device)?.version !== version) this.latestCache.delete(device);
      const meta = await this.latest(device);
      if (meta) out.set(device, meta.receivedAt);
    }
    return out;
  }

  async devices(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(this.prefix.length, -1));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  private async versionNumbers(device: string): Promise<number[]> {
    const out: number[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}${device}/`, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const m = /\/(\d{8})\.json$/.exec(object.Key ?? '');
        if (m) out.push(Number(m[1]));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a - b);
  }

  private async readMeta(device: string, version: number): Promise<VersionMeta | null> {
    const text = await this.read(`${this.prefix}${device}/${versionName(version)}.json`);
    return text === null ? null : storedMeta(text);
  }

  private async read(key: string): Promise<string | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? null;
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return null;
      throw err;
    }
  }
}
