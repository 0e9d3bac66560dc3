import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TextWriter } from '../output/sink-writer.js';
import type { Provenance } from '../source/source.js';

/** One file of the bundle as the MANIFEST lists it. */
export interface BundleFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Events (or rows) it holds, when it holds events. */
  events?: number;
  /** The query and time range that produced it; derived files name the files they come from. */
  producedBy: Provenance | { derivedFrom: string[]; lookBack?: Provenance };
}

/**
 * The files of an evidence bundle, written under a temporary directory. Each file is hashed while
 * it is written (no second read of a multi-gigabyte export).
 */
export class Bundle {
  readonly files: BundleFile[] = [];

  constructor(readonly dir: string) {}

  /** A streamed file; `close()` records it. */
  async open(path: string, producedBy: BundleFile['producedBy']) {
    const full = join(this.dir, path);
    await mkdir(dirname(full), { recursive: true });
    const writer = TextWriter.toFile(full, true);
    let events = 0;
    return {
      write: (text: string) => writer.write(text),
      row: async (text: string) => {
        events++;
        await writer.write(text);
      },
      close: async () => {
        await writer.end();
        this.files.push({ path, sha256: writer.hash!.digest('hex'), bytes: writer.bytes, events, producedBy });
      },
    };
  }

  /** A small file written at once (summaries, diffs). */
  async put(path: string, text: string, producedBy: BundleFile['producedBy'], events?: number): Promise<void> {
    const full = join(this.dir, path);
    await mkdir(dirname(full), { recursive: true });
    const data = Buffer.from(text, 'utf8');
    await writeFile(full, data, { flag: 'wx' });
    this.files.push({
      path,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      ...(events === undefined ? {} : { events }),
      producedBy,
    });
  }
}

export type BundleWriter = Awaited<ReturnType<Bundle['open']>>;

/** A file name for a stream or device: stream names are already path-safe (toLogStreamName). */
export const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
