import { createReadStream } from 'node:fs';
import { appendFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditError } from '../../errors.js';
import type { AuditEvent } from '../../event.js';
import { textLines } from '../../lines.js';
import { mergeSorted } from '../merge.js';

/**
 * The archive's events on local disk, one file per stream, so that a command reads each object once
 * however many streams and queries it asks about. A file is appended in arrival order, which is
 * nearly but not exactly time order (two tasks writing one device's stream, a spool replayed after
 * an outage): it is kept as sorted runs (a new run starts where the time goes back) and read as a
 * merge of its runs, stable, so events of one millisecond keep their arrival order, as CloudWatch
 * keeps their ingestion order. Lines are `<timestamp>\t<message>`.
 */
interface Run {
  start: number;
  end: number;
  first: number;
  last: number;
}

interface StreamFile {
  path: string;
  size: number;
  runs: Run[];
  pending: string[];
  pendingBytes: number;
}

interface Line {
  timestamp: number;
  message: string;
}

/** At most this many runs are merged at once (one open file each); more are merged first, by groups. */
const MAX_MERGE = 64;
const FLUSH_BYTES = 256 * 1024;

export class Stage {
  private readonly files = new Map<string, StreamFile>();
  private pendingBytes = 0;
  private nextId = 0;

  constructor(private readonly dir: string) {}

  async append(stream: string, timestamp: number, message: string): Promise<void> {
    let file = this.files.get(stream);
    if (file === undefined) {
      file = { path: join(this.dir, `${this.nextId++}.lines`), size: 0, runs: [], pending: [], pendingBytes: 0 };
      this.files.set(stream, file);
    }
    const line = `${timestamp}\t${message}\n`;
    const bytes = Buffer.byteLength(line);
    const run = file.runs.at(-1);
    if (run === undefined || timestamp < run.last) {
      file.runs.push({ start: file.size, end: file.size + bytes, first: timestamp, last: timestamp });
    } else {
      run.end += bytes;
      run.last = timestamp;
    }
    file.size += bytes;
    file.pending.push(line);
    file.pendingBytes += bytes;
    this.pendingBytes += bytes;
    if (file.pendingBytes >= FLUSH_BYTES) await this.write(file);
    else if (this.pendingBytes >= 64 * FLUSH_BYTES) await this.flush();
  }

  /** Writes what is buffered, then merges the runs of any stream that has too many to read at once. */
  async flush(): Promise<void> {
    for (const file of this.files.values()) await this.write(file);
    for (const file of this.files.values()) while (file.runs.length > MAX_MERGE) await this.compact(file);
  }

  /** Streams staged so far, sorted by code unit (as DescribeLogStreams lists them). */
  streams(): string[] {
    return [...this.files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  newest(stream: string): number | undefined {
    const runs = this.files.get(stream)?.runs ?? [];
    return runs.length === 0 ? undefined : Math.max(...runs.map((r) => r.last));
  }

  /** The staged events of one stream in `[from, to)`, in time order (call `flush()` first). */
  events(stream: string, from: number, to: number): AsyncGenerator<AuditEvent> {
    const file = this.files.get(stream);
    const runs = (file?.runs ?? []).filter((r) => r.last >= from && r.first < to);
    const merged = mergeSorted(
      runs.map((run) => this.lines(file!.path, run, from, to)),
      (a, b) => a.timestamp - b.timestamp,
    );
    return (async function* () {
      for await (const line of merged) yield { stream, timestamp: line.timestamp, message: line.message };
    })();
  }

  private async write(file: StreamFile): Promise<void> {
    if (file.pending.length === 0) return;
    const text = file.pending.join('');
    this.pendingBytes -= file.pendingBytes;
    file.pending = [];
    file.pendingBytes = 0;
    try {
      await appendFile(file.path, text);
    } catch (err) {
      throw new AuditError('AUDIT_IO', `cannot stage archive events in ${this.dir}: ${(err as Error).message}`);
    }
  }

  /** Merges the runs of a file by groups of MAX_MERGE into a new file: fewer, longer runs. */
  private async compact(file: StreamFile): Promise<void> {
    const path = `${file.path}.merging`;
    const runs: Run[] = [];
    let size = 0;
    for (let i = 0; i < file.runs.length; i += MAX_MERGE) {
      const group = file.runs.slice(i, i + MAX_MERGE);
      const merged = mergeSorted(
        group.map((run) => this.lines(file.path, run, -Infinity, Infinity)),
        (a, b) => a.timestamp - b.timestamp,
      );
      const run: Run = { start: size, end: size, first: Infinity, last: -Infinity };
      let chunk: string[] = [];
      let chunkBytes = 0;
      for await (const line of merged) {
        const text = `${line.timestamp}\t${line.message}\n`;
        const bytes = Buffer.byteLength(text);
        chunk.push(text);
        chunkBytes += bytes;
        run.end += bytes;
        run.first = Math.min(run.first, line.timestamp);
        run.last = Math.max(run.last, line.timestamp);
        if (chunkBytes >= FLUSH_BYTES) {
          await appendFile(path, chunk.join(''));
          chunk = [];
          chunkBytes = 0;
        }
      }
      if (chunk.length > 0) await appendFile(path, chunk.join(''));
      size = run.end;
      runs.push(run);
    }
    await rename(path, file.path);
    file.runs = runs;
  }

  private async *lines(path: string, run: Run, from: number, to: number): AsyncGenerator<Line> {
    if (run.end === run.start) return;
    const input = createReadStream(path, { start: run.start, end: run.end - 1, highWaterMark: 64 * 1024 });
    try {
      for await (const text of textLines(input)) {
        const tab = text.indexOf('\t');
        const timestamp = Number(text.slice(0, tab));
        if (timestamp >= to) return; // a run is in time order
        if (timestamp >= from) yield { timestamp, message: text.slice(tab + 1) };
      }
    } catch (err) {
      throw new AuditError('AUDIT_IO', `cannot read the staged archive events ${path}: ${(err as Error).message}`);
    } finally {
      input.destroy();
    }
  }
}
