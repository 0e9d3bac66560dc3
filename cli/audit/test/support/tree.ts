import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `root` (an evidence bundle), by relative path, with its text. */
export async function tree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(relative(root, full), await readFile(full, 'utf8'));
    }
  };
  await walk(root);
  return files;
}
