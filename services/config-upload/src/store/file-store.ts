import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
 * `<root>/<device>/<00000001>.cfg` (redacted text), `<00000001>.drift` (the masked drift diff, when
 * the version drifted) and `<00000001>.json` (metadata). The JSON is
 * written last, with an exclusive create, and is the commit: a version without it does not exist.
 * A withdrawn version keeps its `.json`, holding a `Withdrawn` record: the number stays taken.
 * The device name is validated before it gets here (ingest/device-name.ts): one safe path component.
 */
export class FileStore implements ConfigStore {
  readonly kind = 'file' as const;
  private readonly latestCache = new Map<string, VersionMeta | null>();
  /** Per device, the number after the highest taken, as this task last saw it; a conflict clears it. */
  private readonly nextCache = new Map<string, number>();

  constructor(private readonly root: string) {}

  latest(device: string): Promise<VersionMeta | null> {
    return remembered(this.latestCache, device, async () => newestKept(await this.versionNumbers(device), (version) => this.readMeta(device, version)));
  }

  nextVersion(device: string): Promise<number> {
    return remembered(this.nextCache, device, async () => numberAfter(await this.versionNumbers(device)));
  }

  async put(meta: VersionMeta, text: string, driftDiff: string | null = null): Promise<{ key: string }> {
    const dir = join(this.root, meta.device);
    await mkdir(dir, { recursive: true });
    const name = versionName(meta.version);
    const files: [string, string | null][] = [
      ['cfg', text],
      ['drift', driftDiff],
    ];
    for (const [extension, content] of files) {
      if (content === null) continue;
      const temp = join(dir, `.${name}.${extension}.tmp`);
      await writeFile(temp, content);
      await rename(temp, join(dir, `${name}.${extension}`));
    }
    let handle;
    try {
      handle = await open(join(dir, `${name}.json`), 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        this.latestCache.delete(meta.device);
        this.nextCache.delete(meta.device);
        throw new VersionExistsError(meta.device, meta.version);
      }
      throw err;
    }
    try {
      await handle.writeFile(JSON.stringify(meta));
    } finally {
      await handle.close();
    }
    this.latestCache.set(meta.device, meta);
    this.nextCache.set(meta.device, Math.max(this.nextCache.get(meta.device) ?? 0, meta.version + 1));
    return { key: `${meta.device}/${name}` };
  }

  async withdraw(record: Omit<Withdrawn, 'withdrawn' | 'at'>): Promise<void> {
    const dir = join(this.root, record.device);
    const name = versionName(record.version);
    const withdrawn: Withdrawn = { withdrawn: true, ...record, at: new Date().toISOString() };
    // The record replaces the metadata in one rename: the number is never free, not even for a moment.
    const temp = join(dir, `.${name}.json.tmp`);
    await writeFile(temp, JSON.stringify(withdrawn));
    await rename(temp, join(dir, `${name}.json`));
    this.latestCache.delete(record.device);
    this.nextCache.set(record.device, Math.max(this.nextCache.get(record.device) ?? 0, record.version + 1));
    await rm(join(dir, `${name}.cfg`), { force: true });
    await rm(join(dir, `${name}.drift`), { force: true });
  }

  async get(device: string, version: number): Promise<{ meta: VersionMeta; text: string } | null> {
    const meta = await this.readMeta(device, version);
    if (!meta) return null;
    const text = await readFile(join(this.root, device, `${versionName(version)}.cfg`), 'utf8');
    return { meta, text };
  }

  async driftDiff(device: string, version: number): Promise<string | null> {
    try {
      return await readFile(join(this.root, device, `${versionName(version)}.drift`), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async versions(device: string): Promise<VersionMeta[]> {
    return keptVersions(await this.versionNumbers(device), (version) => this.readMeta(device, version));
  }

  /** One task writes a file store, so its cache of latest versions is the truth. */
  async lastUploads(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const device of await this.devices()) {
      const meta = await this.latest(device);
      if (meta) out.set(device, meta.receivedAt);
    }
    return out;
  }

  async devices(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  private async versionNumbers(device: string): Promise<number[]> {
    const names = await readdir(join(this.root, device)).catch(() => [] as string[]);
    return names
      .map((n) => /^(\d{8})\.json$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async readMeta(device: string, version: number): Promise<VersionMeta | null> {
    try {
      return storedMeta(await readFile(join(this.root, device, `${versionName(version)}.json`), 'utf8'));
    } catch {
      return null;
    }
  }
}
