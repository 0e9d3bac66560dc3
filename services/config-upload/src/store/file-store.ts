import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VersionExistsError, storedMeta, versionName, type ConfigStore, type VersionMeta } from './store.js';

/**
 * `<root>/<device>/<00000001>.cfg` (redacted text), `<00000001>.drift` (the masked drift diff, when
 * the version drifted) and `<00000001>.json` (metadata). The JSON is
 * written last, with an exclusive create, and is the commit: a version without it does not exist.
 * The device name is validated before it gets here (ingest/device-name.ts): one safe path component.
 */
export class FileStore implements ConfigStore {
  readonly kind = 'file' as const;
  private readonly latestCache = new Map<string, VersionMeta | null>();

  constructor(private readonly root: string) {}

  async latest(device: string): Promise<VersionMeta | null> {
    const cached = this.latestCache.get(device);
    if (cached !== undefined) return cached;
    const numbers = await this.versionNumbers(device);
    const last = numbers[numbers.length - 1];
    const meta = last === undefined ? null : await this.readMeta(device, last);
    this.latestCache.set(device, meta);
    return meta;
  }

  async put(meta: VersionMeta, text: string, driftDiff: string | null = null): Promise<{ key: string }> {
    const dir = join(this.root, meta.device);
    await mkdir(dir, { recursive: true });
    const name = versionName(meta.version);
    const files: [string, string | null][] = [['cfg', text], ['drift', driftDiff]];
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
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new VersionExistsError(meta.device, meta.version);
      throw err;
    }
    try {
      await handle.writeFile(JSON.stringify(meta));
    } finally {
      await handle.close();
    }
    this.latestCache.set(meta.device, meta);
    return { key: `${meta.device}/${name}` };
  }

  async remove(device: string, version: number): Promise<void> {
    const name = versionName(version);
    await rm(join(this.root, device, `${name}.json`), { force: true });
    await rm(join(this.root, device, `${name}.cfg`), { force: true });
    await rm(join(this.root, device, `${name}.drift`), { force: true });
    this.latestCache.delete(device);
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
    const out: VersionMeta[] = [];
    for (const n of await this.versionNumbers(device)) {
      const meta = await this.readMeta(device, n);
      if (meta) out.push(meta);
    }
    return out;
  }

  async devices(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
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
