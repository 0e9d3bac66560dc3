import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where intended configs come from: a directory (a Git checkout) or, later, an S3 prefix. */
export interface IntendedSource {
  /**
   * The intended config of a device, or null when there is none. `version` changes whenever the
   * text does (file: inode, size and mtime; S3: the ETag), so callers can cache what they derive.
   * `text()` reads it.
   */
  read(device: string): Promise<{ name: string; version: string; text: () => Promise<string> } | null>;
}

/** The names an intended config may have, in the order they are looked for (the same config extensions as uploads; `.xml`: PAN-OS). */
export const intendedSuffixes = ['', '.cfg', '.conf', '.txt', '.rsc', '.set', '.config', '.xml'];

/** `<dir>/<device>[.cfg|.conf|.txt|.rsc|.set|.config|.xml]`; the device name is validated, so it stays inside `dir`. */
export class IntendedDir implements IntendedSource {
  constructor(private readonly dir: string) {}

  async read(device: string): Promise<{ name: string; version: string; text: () => Promise<string> } | null> {
    for (const suffix of intendedSuffixes) {
      const name = `${device}${suffix}`;
      const path = join(this.dir, name);
      try {
        const info = await stat(path);
        if (!info.isFile()) continue;
        return { name, version: `${info.ino}:${info.size}:${info.mtimeMs}`, text: () => readFile(path, 'utf8') };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      }
    }
    return null;
  }
}

export const noIntended: IntendedSource = { read: async () => null };
