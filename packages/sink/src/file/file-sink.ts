import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { HotCounter, counter, gauge, type Logger } from '@netsidecar/telemetry';
import type { DrainReport, EncodedLines, Refusal, Sink, SinkEvent, WriteOutcome } from '../sink.js';
import { ByteArena } from './byte-arena.js';
import { LruHandles } from './lru-handles.js';
import { FailingFiles, type Lines } from './failing-files.js';
import { fileNameOf, isHashedFileBase, streamFileExtension, streamNameFileContent, streamNameFileExtension } from './file-name.js';

/**
 * The local default sink: `$DATA_DIR/logs/<log group without the leading slash>/<stream>.jsonl`, one
 * event per line, exactly the message CloudWatch would get (docs/ARCHITECTURE.md). The file name is the
 * stream name made safe for any stream (`fileNameOf`: `%XX` for `%`, `/` and control characters, and
 * a hash with the name in a `.name` file beside it when it would pass 255 bytes).
 *
 * Lines are buffered per file and written in one `write` per file per flush: at 100k events/s a
 * syscall per event would cost more than parsing them.
 *
 * A file whose write fails keeps its lines and is retried on its own, after 1 s, then doubling up to
 * 60 s (and at once when the sink closes); every other file goes on being written. The failure is
 * counted (`netsidecar_sink_errors_total{code}`) and `netsidecar_sink_failing_files` says how many
 * files wait. Failing files hold at most half the memory limit: beyond it, new events for them are
 * refused (the service counts them) while other files still take events. `/healthz` turns not ready
 * only when a write fails for a file that was being written fine and nothing has been written since
 * (a full disk, a read-only or missing data directory), not for one bad file among good ones.
 */
export interface FileSinkOptions {
  dataDir: string;
  registry: Registry;
  logger: Logger;
  flushIntervalMs?: number; // 1 s
  /**
   * Write what is buffered once no event has come for this long, without waiting for the interval:
   * a burst's last lines reach the disk as it ends, as rsyslog writes at the end of each batch it
   * dequeues. Default: a twentieth of the flush interval (50 ms for 1 s).
   */
  quietWriteMs?: number;
  /** Buffered bytes at twice which write() refuses; it says 'backpressure' from min(this, 8 MiB). */
  memoryLimitBytes?: number; // 64 MiB
  /** Flush early when this many bytes are buffered, so big bursts go out in large writes. */
  flushBytes?: number; // 1 MiB, or the high-water mark when lower
  maxOpenFiles?: number; // 256
  retryDelayMs?: number; // 1 s: first retry of a file whose write failed (disk full, permissions)
  maxRetryDelayMs?: number; // 60 s: the retry delay doubles up to this
}

const maxCachedPaths = 10_000; // per log group
const fileHighWaterBytes = 8 * 1024 * 1024; // 8 MiB
/** The share of the memory limit that files failing to be written may hold. */
const failingShare = 0.5;

export class FileSink implements Sink {
  readonly kind = 'file' as const;
  /** Events wait in memory until their flush: durable once `flush()` resolves. */
  readonly durableOnWrite = false;
  private pending = new Map<string, Lines>();
  private pendingBytes = 0;
  private pendingEvents = 0;
  private inFlightEvents = 0;
  private closed = false;
  private readonly failing: FailingFiles;
  /**
   * The error code of a write that failed for a file that was being written fine (disk full, data
   * directory gone), until any write succeeds again: then the whole sink is failing, not one file.
   */
  private failingWith: string | null = null;
  private writing: Promise<void> | null = null;
  /** Set when the drain's deadline passed: waits for a failing file's next attempt end. */
  private gaveUp = false;
  private readonly retryWaits = new Set<() => void>();
  private writableWaiters: (() => void)[] = [];
  private readonly handles: LruHandles;
  /** The bytes of `writeLines`, copied: the caller reuses its buffer. */
  private readonly arena = new ByteArena();
  private readonly knownDirs = new Set<string>();
  private readonly nameFilesWritten = new Set<string>();
  private readonly paths = new Map<string, Map<string, string>>();
  private readonly timer: NodeJS.Timeout;
  private readonly quietWriteMs: number;
  /** Armed while events are buffered: checks, every `quietWriteMs`, whether any came meanwhile. */
  private quietTimer: NodeJS.Timeout | null = null;
  /** Events accepted since the start, and their count when the quiet timer was armed. */
  private acceptedTotal = 0;
  private acceptedAtArm = 0;
  private readonly memoryLimit: number;
  private readonly highWater: number;
  private readonly flushBytes: number;
  private readonly events;
  private readonly errors;
  private readonly accepted;

  constructor(private readonly options: FileSinkOptions) {
    this.memoryLimit = options.memoryLimitBytes ?? 64 * 1024 * 1024;
    // A local file takes a buffer in milliseconds: holding more than a few MiB only adds memory
    // (the TCP bench peaked at 513 MB pushing back at 64 MiB), so senders are paused early.
    this.highWater = Math.min(this.memoryLimit / 2, fileHighWaterBytes);
    // Never above the high-water mark: paused senders write nothing, so a buffer held between the
    // two would wait for the timer (with a 1 MiB memory limit, a TCP sender stalled for a full interval).
    this.flushBytes = options.flushBytes ?? Math.min(1024 * 1024, this.highWater);
    this.failing = new FailingFiles(options.retryDelayMs ?? 1_000, options.maxRetryDelayMs ?? 60_000);
    this.handles = new LruHandles(options.maxOpenFiles ?? 256);
    // prom-client calls `collect` with the gauge as `this`; the arrows keep the sink's.
    const queuedEvents = () => this.queuedEvents();
    const failingFiles = () => this.failing.size;
    gauge(options.registry, 'netsidecar_sink_queue_events', 'Events accepted and not yet delivered', [], function () {
      this.set(queuedEvents());
    });
    gauge(options.registry, 'netsidecar_sink_failing_files', 'Files of the file sink whose last write failed, retried with backoff', [], function () {
      this.set(failingFiles());
    });
    // Counted once per event: a hot counter (plain numbers, moved into prom-client when read).
    this.events = new HotCounter(options.registry, 'netsidecar_sink_events_total', 'Events through the sink, by outcome', ['outcome']);
    this.accepted = this.events.labels('accepted');
    this.errors = counter(options.registry, 'netsidecar_sink_errors_total', 'Sink write errors by code', ['code']);
    const flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.timer = setInterval(() => void this.writeOnce(false).catch(() => {}), flushIntervalMs);
    this.timer.unref();
    this.quietWriteMs = options.quietWriteMs ?? flushIntervalMs / 20;
  }

  write(event: SinkEvent): WriteOutcome {
    // At the limit, not beyond: what the sink holds is what a service's heap limit must allow for.
    if (this.closed) return this.refuse('closed', 1);
    if (this.pendingBytes + this.failing.bytes >= this.memoryLimit) return this.refuse('full', 1);
    const path = this.pathOf(event.logGroup, event.logStream);
    if (this.atFailingShare(path)) return this.refuse('full', 1);
    this.hold(path, event.logStream, event.message + '\n');
    return this.afterHold();
  }

  /**
   * Events encoded elsewhere, one stream's lines as bytes: held as they are and copied once, into
   * the file's write. Under the same limits as `write()`, taken or refused together (the last line
   * may cross the memory limit, as a single write may).
   */
  writeLines(encoded: EncodedLines): WriteOutcome {
    if (this.closed) return this.refuse('closed', encoded.events);
    if (this.pendingBytes + this.failing.bytes >= this.memoryLimit) return this.refuse('full', encoded.events);
    const path = this.pathOf(encoded.logGroup, encoded.logStream);
    if (this.atFailingShare(path)) return this.refuse('full', encoded.events);
    this.hold(path, encoded.logStream, this.arena.copy(encoded.lines), encoded.events);
    return this.afterHold();
  }

  /**
   * All the events or none, under the same limits as `write()`: the group must fit below the
   * memory limit (its last event may cross it, as a single write may), and none may be for a file
   * at its failing share. Taken in one call, a group lands whole in one flush: one write per file.
   */
  writeGroup(events: readonly SinkEvent[]): WriteOutcome {
    if (events.length === 0) return 'ok';
    if (this.closed) return this.refuse('closed', events.length);
    let bytes = 0;
    for (let i = 0; i < events.length - 1; i++) bytes += events[i]!.message.length + 1;
    if (this.pendingBytes + this.failing.bytes + bytes >= this.memoryLimit) return this.refuse('full', events.length);
    const paths = events.map((event) => this.pathOf(event.logGroup, event.logStream));
    if (paths.some((path) => this.atFailingShare(path))) return this.refuse('full', events.length);
    for (let i = 0; i < events.length; i++) this.hold(paths[i]!, events[i]!.logStream, events[i]!.message + '\n');
    return this.afterHold();
  }

  /**
   * One timer for a whole burst, not one per event: when it fires and events came meanwhile, it
   * looks again a `quietWriteMs` later; when none came, the input has paused, and the buffer is
   * written.
   */
  private armQuietWrite(): void {
    if (this.quietTimer !== null) return;
    this.acceptedAtArm = this.acceptedTotal;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null;
      if (this.pendingEvents === 0 || this.closed) return;
      if (this.acceptedTotal !== this.acceptedAtArm) this.armQuietWrite();
      else void this.writeOnce(false).catch(() => {});
    }, this.quietWriteMs);
    this.quietTimer.unref();
  }

  /** A file that cannot be written may hold half the memory; beyond, only its own events are refused. */
  private atFailingShare(path: string): boolean {
    return this.failing.size > 0 && this.failing.bytes >= this.memoryLimit * failingShare && this.failing.has(path);
  }

  /** `line`: the event's text with its `\n`, or the UTF-8 bytes of `events` such lines. */
  private hold(path: string, stream: string, line: string | Uint8Array, events = 1): void {
    let file = this.pending.get(path);
    if (!file) this.pending.set(path, (file = { stream, lines: [], bytes: 0, events: 0 }));
    file.lines.push(line);
    // Length in UTF-16 units (or bytes) is a cheap, close enough measure of memory for a bound.
    file.bytes += line.length;
    file.events += events;
    this.pendingBytes += line.length;
    this.pendingEvents += events;
    this.acceptedTotal += events;
    this.accepted.inc(events);
  }

  private afterHold(): WriteOutcome {
    if (this.pendingBytes >= this.flushBytes && !this.writing) void this.writeOnce(false).catch(() => {});
    else this.armQuietWrite();
    return this.pendingBytes >= this.highWater ? 'backpressure' : 'ok';
  }

  private refuse(refusal: Refusal, events: number): WriteOutcome {
    this.events.inc({ outcome: 'refused' }, events);
    return refusal;
  }

  /** The file of a group and stream, computed once per pair: path.join per event showed in profiles. */
  private pathOf(logGroup: string, logStream: string): string {
    let streams = this.paths.get(logGroup);
    if (!streams) this.paths.set(logGroup, (streams = new Map<string, string>()));
    let path = streams.get(logStream);
    if (path === undefined) {
      if (streams.size >= maxCachedPaths) streams.clear();
      path = join(this.options.dataDir, 'logs', logGroup.replace(/^\/+/, ''), fileNameOf(logStream));
      streams.set(logStream, path);
    }
    return path;
  }

  refusalReason(): string | null {
    if (this.failingWith !== null) return `writes under ${this.options.dataDir} failing (${this.failingWith}); retrying`;
    const held = this.pendingBytes + this.failing.bytes;
    if (held >= this.memoryLimit) return `buffer full (${held} bytes waiting for the disk)`;
    return null;
  }

  whenWritable(): Promise<void> {
    if (this.pendingBytes < this.highWater) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  queuedEvents(): number {
    return this.pendingEvents + this.inFlightEvents + this.failing.events;
  }

  /**
   * Writes everything accepted so far; a failing file is retried, with its backoff, until it is
   * written (or the sink's drain gives up on it at its deadline).
   */
  async flush(): Promise<void> {
    await this.writeOnce(false);
    await this.retryFailing();
  }

  async close(deadline: number): Promise<DrainReport> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.quietTimer !== null) clearTimeout(this.quietTimer);
    const before = this.queuedEvents();
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    // A drain does not sit out a backoff: every failing file is tried again at once, then with
    // backoff until the deadline.
    await Promise.race([this.writeOnce(true).then(() => this.retryFailing()), expiry]);
    this.gaveUp = true;
    clearTimeout(timer);
    for (const cancel of this.retryWaits) cancel();
    const pending = this.queuedEvents();
    if (pending === 0) await this.handles.closeAll();
    // Said file by file: what the deadline leaves unwritten is lost with the process.
    for (const [path, file] of this.failing.entries()) {
      this.options.logger.error('file sink: events not written at shutdown', { path, stream: file.held.stream, code: file.code, events: file.held.events });
    }
    return { delivered: before - pending, pending, pendingSpooled: false };
  }

  /** Attempts the failing files as their backoff allows, until none fails or the drain gives up. */
  private async retryFailing(): Promise<void> {
    while (this.failing.size > 0 && !this.gaveUp) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, (this.failing.nextRetryAt() ?? 0) - Date.now()));
        const waits = this.retryWaits;
        function done(): void {
          clearTimeout(timer);
          waits.delete(done);
          resolve();
        }
        waits.add(done);
      });
      if (!this.gaveUp) await this.writeOnce(false);
    }
  }

  /** One pass: everything pending, and the failing files whose retry is due (all of them when `all`). */
  private async writeOnce(all: boolean): Promise<void> {
    while (this.writing) await this.writing;
    const due = all ? this.failing.size > 0 : (this.failing.nextRetryAt() ?? Infinity) <= Date.now();
    if (this.pending.size === 0 && !due) return;
    this.writing = this.writeOut(all).finally(() => {
      this.writing = null;
      // Paused senders write nothing, so they cannot trigger the next flush: start it here, or a
      // full buffer waits for the 1 s timer (the TCP bench fell from ~80k/s to 13k/s that way).
      if (this.pendingBytes >= this.flushBytes) void this.writeOnce(false).catch(() => {});
    });
    await this.writing;
  }

  private async writeOut(all: boolean): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    // The chunks holding the batch's bytes: reused if every line of the batch is written now.
    const chunks = this.arena.seal();
    let allWritten = true;
    this.inFlightEvents += this.pendingEvents;
    this.pendingBytes = 0;
    this.pendingEvents = 0;
    // The batch is taken: senders may fill the next one while this one is written.
    this.wakeWriters();

    const retries = new Map(this.failing.takeDue(Date.now(), all));
    const work: [path: string, lines: Lines, attempts: number][] = [];
    for (const [path, file] of batch) {
      const retry = retries.get(path);
      if (retry) {
        // Behind what the file already held: order within a file is kept.
        for (const line of file.lines) retry.held.lines.push(line);
        retry.held.bytes += file.bytes;
        retry.held.events += file.events;
        this.inFlightEvents -= file.events;
      } else if (this.failing.append(path, file)) {
        allWritten = false;
        this.inFlightEvents -= file.events; // waits for the file's next attempt
      } else {
        work.push([path, file, 0]);
      }
    }
    for (const [path, retry] of retries) {
      work.push([path, retry.held, retry.attempts]);
      this.inFlightEvents += retry.held.events;
    }

    for (const [path, lines, attempts] of work) {
      try {
        const handle = await this.handleFor(path, lines.stream);
        await writeLines(handle, lines.lines);
        this.failingWith = null;
        this.events.inc({ outcome: 'delivered' }, lines.events);
        if (attempts > 0) this.options.logger.info('file sink: a failing file is written again', { path, attempts, events: lines.events });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
        this.errors.inc({ code });
        this.handles.forget(path);
        allWritten = false;
        // Accepted events are kept until written: a failing file delays its own lines, nobody else's.
        this.failing.hold(path, lines, code, attempts + 1, Date.now());
        if (attempts === 0) {
          this.failingWith = code;
          this.options.logger.error('file sink write failed; retrying this file with backoff, the others go on', { path, stream: lines.stream, code, err });
        } else {
          this.options.logger.warn('file sink write failed again', { path, code, attempts: attempts + 1, events: lines.events });
        }
      }
      this.inFlightEvents -= lines.events;
    }
    if (allWritten) this.arena.recycle(chunks);
    this.wakeWriters();
  }

  private async handleFor(path: string, stream: string): Promise<FileHandle> {
    const cached = this.handles.get(path);
    if (cached) return cached;
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    const base = path.slice(dir.length + 1, -streamFileExtension.length);
    if (isHashedFileBase(base) && !this.nameFilesWritten.has(path)) {
      // The full name of a hashed file, beside it, before its first line: the audit lists it by it.
      await writeFile(join(dir, base + streamNameFileExtension), streamNameFileContent(stream));
      if (this.nameFilesWritten.size >= maxCachedPaths) this.nameFilesWritten.clear();
      this.nameFilesWritten.add(path);
    }
    const handle = await open(path, 'a');
    await this.handles.set(path, handle);
    return handle;
  }

  private wakeWriters(): void {
    if (this.pendingBytes >= this.highWater) return;
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * One write of a file's lines: the text joined, or, once any line is bytes (events encoded by a
 * parse worker), every piece as it is in one writev (no copy, no string).
 */
async function writeLines(handle: FileHandle, lines: readonly (string | Uint8Array)[]): Promise<void> {
  if (lines.every((line) => typeof line === 'string')) {
    await handle.write((lines as string[]).join(''));
    return;
  }
  const pieces = lines.map((line) => (typeof line === 'string' ? Buffer.from(line) : line));
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const { bytesWritten } = await handle.writev(pieces);
  // A regular file takes a whole writev unless the disk fills up: say so rather than lose the rest silently.
  if (bytesWritten !== total) throw Object.assign(new Error(`short write: ${bytesWritten} of ${total} bytes`), { code: 'ESHORTWRITE' });
}
