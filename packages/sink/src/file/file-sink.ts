import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { HotCounter, counter, gauge, type Logger } from '@netsidecar/telemetry';
import type { DrainReport, Sink, SinkEvent, WriteOutcome } from '../sink.js';
import { LruHandles } from './lru-handles.js';

/**
 * The local default sink: `$DATA_DIR/logs/<log group without the leading slash>/<stream>.jsonl`, one
 * event per line, exactly the message CloudWatch would get (ARCHITECTURE.md).
 *
 * Lines are buffered per file and written in one `write` per file per flush: at 100k events/s a
 * syscall per event would cost more than parsing them.
 */
export interface FileSinkOptions {
  dataDir: string;
  registry: Registry;
  logger: Logger;
  flushIntervalMs?: number; // 1 s
  /** Buffered bytes at twice which write() refuses; it says 'backpressure' from min(this, 8 MiB). */
  memoryLimitBytes?: number; // 64 MiB
  /** Flush early when this many bytes are buffered, so big bursts go out in large writes. */
  flushBytes?: number; // 1 MiB
  maxOpenFiles?: number; // 256
  retryDelayMs?: number; // 1 s, after a failed write (disk full, permissions)
}

const maxCachedPaths = 10_000; // per log group
const fileHighWaterBytes = 8 * 1024 * 1024; // 8 MiB

interface PendingFile {
  lines: string[];
  bytes: number;
  events: number;
}

export class FileSink implements Sink {
  readonly kind = 'file' as const;
  private pending = new Map<string, PendingFile>();
  private pendingBytes = 0;
  private pendingEvents = 0;
  private inFlightEvents = 0;
  private closed = false;
  /** The error code of a write being retried (disk full, permissions), null when writes succeed. */
  private failingWith: string | null = null;
  private flushing: Promise<void> | null = null;
  private writableWaiters: (() => void)[] = [];
  private readonly handles: LruHandles;
  private readonly knownDirs = new Set<string>();
  private readonly paths = new Map<string, Map<string, string>>();
  private readonly timer: NodeJS.Timeout;
  private readonly memoryLimit: number;
  private readonly highWater: number;
  private readonly flushBytes: number;
  private readonly retryDelayMs: number;
  private readonly events;
  private readonly errors;
  private readonly accepted;

  constructor(private readonly options: FileSinkOptions) {
    this.memoryLimit = options.memoryLimitBytes ?? 64 * 1024 * 1024;
    // A local file takes a buffer in milliseconds: holding more than a few MiB only adds memory
    // (the TCP bench peaked at 513 MB pushing back at 64 MiB), so senders are paused early.
    this.highWater = Math.min(this.memoryLimit / 2, fileHighWaterBytes);
    this.flushBytes = options.flushBytes ?? 1024 * 1024;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.handles = new LruHandles(options.maxOpenFiles ?? 256);
    const sink = this;
    gauge(options.registry, 'netsidecar_sink_queue_events', 'Events accepted and not yet delivered', [], function () {
      this.set(sink.queuedEvents());
    });
    // Counted once per event: a hot counter (plain numbers, moved into prom-client when read).
    this.events = new HotCounter(options.registry, 'netsidecar_sink_events_total', 'Events through the sink, by outcome', ['outcome']);
    this.accepted = this.events.labels('accepted');
    this.errors = counter(options.registry, 'netsidecar_sink_errors_total', 'Sink write errors by code', ['code']);
    this.timer = setInterval(() => void this.flush().catch(() => {}), options.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  write(event: SinkEvent): WriteOutcome {
    // At the limit, not beyond: what the sink holds is what a service's heap limit must allow for.
    if (this.closed || this.pendingBytes >= this.memoryLimit) {
      this.events.inc({ outcome: 'refused' });
      return 'refused';
    }
    const path = this.pathOf(event.logGroup, event.logStream);
    let file = this.pending.get(path);
    if (!file) this.pending.set(path, (file = { lines: [], bytes: 0, events: 0 }));
    const line = event.message + '\n';
    file.lines.push(line);
    // Length in UTF-16 units is a cheap, close enough measure of memory for a bound.
    file.bytes += line.length;
    file.events++;
    this.pendingBytes += line.length;
    this.pendingEvents++;
    this.accepted.inc();
    if (this.pendingBytes >= this.flushBytes && !this.flushing) void this.flush().catch(() => {});
    return this.pendingBytes >= this.highWater ? 'backpressure' : 'ok';
  }

  /** The file of a group and stream, computed once per pair: path.join per event showed in profiles. */
  private pathOf(logGroup: string, logStream: string): string {
    let streams = this.paths.get(logGroup);
    if (!streams) this.paths.set(logGroup, (streams = new Map()));
    let path = streams.get(logStream);
    if (path === undefined) {
      if (streams.size >= maxCachedPaths) streams.clear();
      path = join(this.options.dataDir, 'logs', logGroup.replace(/^\/+/, ''), `${logStream}.jsonl`);
      streams.set(logStream, path);
    }
    return path;
  }

  refusalReason(): string | null {
    if (this.failingWith !== null) return `writes under ${this.options.dataDir} failing (${this.failingWith}); retrying`;
    if (this.pendingBytes >= this.memoryLimit) return `buffer full (${this.pendingBytes} bytes waiting for the disk)`;
    return null;
  }

  whenWritable(): Promise<void> {
    if (this.pendingBytes < this.highWater) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  queuedEvents(): number {
    return this.pendingEvents + this.inFlightEvents;
  }

  /** Writes everything buffered so far; retries failed files until they succeed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    this.flushing = this.writeOut().finally(() => {
      this.flushing = null;
      // Paused senders write nothing, so they cannot trigger the next flush: start it here, or a
      // full buffer waits for the 1 s timer (the TCP bench fell from ~80k/s to 13k/s that way).
      if (this.pendingBytes >= this.flushBytes) void this.flush().catch(() => {});
    });
    await this.flushing;
  }

  async close(deadline: number): Promise<DrainReport> {
    this.closed = true;
    clearInterval(this.timer);
    const before = this.queuedEvents();
    const remaining = Math.max(0, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, remaining)))]);
    clearTimeout(timer);
    const pending = this.queuedEvents();
    if (pending === 0) await this.handles.closeAll();
    return { delivered: before - pending, pending, pendingSpooled: false };
  }

  private async writeOut(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.inFlightEvents += this.pendingEvents;
    this.pendingBytes = 0;
    this.pendingEvents = 0;
    // The batch is taken: senders may fill the next one while this one is written.
    this.wakeWriters();
    for (const [path, file] of batch) {
      for (;;) {
        try {
          const handle = await this.handleFor(path);
          await handle.write(file.lines.join(''));
          this.failingWith = null;
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
          this.errors.inc({ code });
          this.failingWith = code;
          this.options.logger.error('file sink write failed; retrying', { path, code, err });
          this.handles.forget(path);
          // Accepted events are kept until written: a full disk pauses delivery, it does not lose lines.
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        }
      }
      this.inFlightEvents -= file.events;
      this.events.inc({ outcome: 'delivered' }, file.events);
    }
    this.wakeWriters();
  }

  private async handleFor(path: string): Promise<FileHandle> {
    const cached = this.handles.get(path);
    if (cached) return cached;
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.knownDirs.add(dir);
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
