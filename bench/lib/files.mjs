// Ground truth for loss: the lines the receiver actually wrote, counted after it flushed.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every regular file under `dir`, recursively ([] when `dir` does not exist). */
export function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Total bytes of the files under `dir`: cheap enough to poll while a run is going. */
export function bytesUnder(dir) {
  return filesUnder(dir).reduce((sum, path) => sum + statSync(path).size, 0);
}

function countFileLines(path) {
  return new Promise((resolve, reject) => {
    let lines = 0;
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      })
      .on('end', () => resolve(lines))
      .on('error', reject);
  });
}

/** Newline-terminated lines in all files under `dir`, and how many files there were. */
export async function countLines(dir) {
  const files = filesUnder(dir);
  let lines = 0;
  for (const file of files) lines += await countFileLines(file);
  return { lines, files: files.length, bytes: bytesUnder(dir) };
}
