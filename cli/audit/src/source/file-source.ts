import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameOf, isHashedFileBase, parseStreamNameFile, streamFileExtension, streamNameFileExtension, streamOfFileBase } from '@netsidecar/sink';
import { AuditError } from '../errors.js';
import { timeOfMessage, type AuditEvent } from '../event.js';
import { textLines } from '../lines.js';
import { joinParts, type JoinStats } from '../parts-joiner.js';
import { iso } from '../time-range.js';
import { logGroupOf, type ServiceName } from '@netsidecar/contracts';
import { mergeByTime } from './merge.js';
import type { EventQuery, EventSource, Provenance } from './source.js';

/**
 * The local file sink: `<dataDir>/logs/<log group without leading slash>/<stream>.jsonl`, one
 * message per line in arrival order (docs/ARCHITECTURE.md). The file keeps no timestamp, so it is read
 * from the message (`receivedAt`, `rt` in syslog/2, `time`). Files are read whole and filtered: the sink does not
 * index them. File names are the sink's mapping of stream names (`fileNameOf` in packages/sink:
 * `%XX` escapes, and a hashed name with the full stream name in `<base>.name` beside it when the
 * name is too long for the file system), read back here so devices are listed and found by their
 * stream names.
 */
export interface FileSourceOptions {
  dataDir: string;
  logGroupPrefix: string;
  joinStats?: JoinStats;
}

export function createFileSource(options: FileSourceOptions): EventSource {
  const opened = { files: 0 };
  const joinStats = options.joinStats ?? { joined: 0, incomplete: 0 };
  const dirOf = (service: ServiceName) => join(options.dataDir, 'logs', logGroupOf(options.logGroupPrefix, service).replace(/^\/+/, ''));
  /** Stream name -> file name, as listed (a hashed file whose `.name` is missing is listed by its file name). */
  const listed = new Map<ServiceName, Map<string, string>>();
  const fileOf = (service: ServiceName, stream: string) => join(dirOf(service), listed.get(service)?.get(stream) ?? fileNameOf(stream));

  async function streams(service: ServiceName): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(dirOf(service));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AuditError(
          'AUDIT_NO_LOG_GROUP',
          `no file sink folder ${dirOf(service)} (log group ${logGroupOf(options.logGroupPrefix, service)}): is NETSIDECAR_DATA_DIR right?`,
        );
      }
      throw new AuditError('AUDIT_IO', `cannot list ${dirOf(service)}: ${(err as Error).message}`);
    }
    const files = new Map<string, string>();
    for (const name of names) {
      if (!name.endsWith(streamFileExtension)) continue;
      files.set(await streamOfFile(service, name.slice(0, -streamFileExtension.length)), name);
    }
    listed.set(service, files);
    return [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async function streamOfFile(service: ServiceName, base: string): Promise<string> {
    if (!isHashedFileBase(base)) return streamOfFileBase(base);
    const text = await readFile(join(dirOf(service), base + streamNameFileExtension), 'utf8').catch(() => null);
    return (text === null ? null : parseStreamNameFile(text)) ?? base;
  }

  /** Lines of one file, in 64 KiB chunks (see textLines). */
  async function* lines(path: string, stream: string): AsyncGenerator<AuditEvent> {
    opened.files++;
    const input = createReadStream(path, { highWaterMark: 64 * 1024 });
    try {
      for await (const line of textLines(input)) yield { stream, timestamp: timeOfMessage(line), message: line };
    } catch (err) {
      throw new AuditError('AUDIT_IO', `cannot read ${path}: ${(err as Error).message}`);
    } finally {
      input.destroy();
    }
  }

  /** One stream: parts joined, times taken from the joined message, then the range. */
  async function* streamEvents(service: ServiceName, stream: string, from: number, to: number): AsyncGenerator<AuditEvent> {
    let previous = 0;
    for await (const event of joinParts(lines(fileOf(service, stream), stream), joinStats)) {
      let timestamp = Number.isNaN(event.timestamp) ? timeOfMessage(event.message) : event.timestamp;
      // A line without a readable time (an incomplete part) stays beside its neighbour.
      if (Number.isNaN(timestamp)) timestamp = previous;
      previous = timestamp;
      if (timestamp >= from && timestamp < to) yield timestamp === event.timestamp ? event : { ...event, timestamp };
    }
  }

  return {
    kind: 'file',
    logGroup: (service) => logGroupOf(options.logGroupPrefix, service),
    streams,
    logGroupSettings: async () => ({ retentionDays: undefined, kmsKeyId: undefined }),
    async lastEventTime(service, stream) {
      for await (const line of linesBackward(fileOf(service, stream))) {
        const time = timeOfMessage(line);
        if (!Number.isNaN(time)) return time;
      }
      return undefined;
    },
    async newestMatching(service, stream, from, to, accept) {
      // The file is in time order (one writer appends it): read from its end until the range's
      // start, so a device's last upload costs the tail of its file, not the whole file.
      for await (const line of linesBackward(fileOf(service, stream))) {
        const timestamp = timeOfMessage(line);
        if (Number.isNaN(timestamp) || timestamp >= to) continue;
        if (timestamp < from) return undefined;
        if (accept(line)) return { stream, timestamp, message: line };
      }
      return undefined;
    },
    async *events(query: EventQuery) {
      const names = query.streams ?? (await streams(query.service));
      yield* mergeByTime(names.map((name) => streamEvents(query.service, name, query.from, query.to)));
    },
    provenance(query: EventQuery): Provenance {
      return {
        source: 'file',
        method: 'read',
        logGroup: logGroupOf(options.logGroupPrefix, query.service),
        logStreams: query.streams ?? 'all',
        from: iso(query.from),
        to: iso(query.to),
        query: query.streams?.length === 1 ? fileOf(query.service, query.streams[0]!) : `${dirOf(query.service)}/*${streamFileExtension}`,
      };
    },
    calls: () => ({ filesOpened: opened.files }),
    close: async () => {},
  };
}

/** Lines of a file, newest first, read backwards in 64 KiB steps; nothing when the file is absent. */
async function* linesBackward(path: string): AsyncGenerator<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return;
  }
  const handle = await open(path, 'r');
  try {
    const step = 64 * 1024;
    let end = size;
    let leftover = Buffer.alloc(0); // the start of a line whose beginning is further back
    while (end > 0) {
      const start = Math.max(0, end - step);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      const data = Buffer.concat([chunk, leftover]);
      // Lines are cut on the newline byte, so a multi-byte character is never split.
      let stop = data.length;
      for (let i = data.length - 1; i >= -1; i--) {
        if (i >= 0 && data[i] !== 0x0a) continue;
        if (i < 0 && start > 0) break; // the first line may be partial: read further back
        const line = data
          .subarray(i + 1, stop)
          .toString('utf8')
          .replace(/\r$/, '');
        if (line !== '') yield line;
        stop = i;
      }
      leftover = data.subarray(0, Math.max(0, stop));
      end = start;
    }
  } catch (err) {
    throw new AuditError('AUDIT_IO', `cannot read ${path}: ${(err as Error).message}`);
  } finally {
    await handle.close();
  }
}
