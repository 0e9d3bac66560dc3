import type { Writable } from 'node:stream';
import type { Registry } from 'prom-client';
import { counter, gauge } from '@netsidecar/telemetry';
import type { DrainReport, Refusal, Sink, EncodedLines, SinkEvent, WriteOutcome } from './sink.js';

/**
 * One event per line on stdout, for the ECS awslogs driver (which ships each line to the task's log
 * group). The log group and stream are the driver's: the event's own are not written.
 */
export interface StdoutSinkOptions {
  registry: Registry;
  out?: Writable; // process.stdout
  /** Bytes buffered in the stream above which write() refuses (stdout is a pipe that can stall). */
  memoryLimitBytes?: number; // 64 MiB
}

export class StdoutSink implements Sink {
  readonly kind = 'stdout' as const;
  /** Written into the pipe at once, but a crash loses what the pipe still holds. */
  readonly durableOnWrite = false;
  private closed = false;
  private readonly out: Writable;
  private readonly limit: number;
  private readonly events;

  constructor(options: StdoutSinkOptions) {
    this.out = options.out ?? process.stdout;
    this.limit = options.memoryLimitBytes ?? 64 * 1024 * 1024;
    this.events = counter(options.registry, 'netsidecar_sink_events_total', 'Events through the sink, by outcome', ['outcome']);
    const out = this.out;
    gauge(options.registry, 'netsidecar_sink_queue_events', 'Events accepted and not yet delivered', [], function () {
      this.set(out.writableLength > 0 ? 1 : 0);
    });
  }

  write(event: SinkEvent): WriteOutcome {
    const refusal = this.refusal();
    if (refusal !== null) return this.refuse(refusal, 1);
    this.events.inc({ outcome: 'accepted' });
    return this.out.write(event.message + '\n') ? 'ok' : 'backpressure';
  }

  writeLines(encoded: EncodedLines): WriteOutcome {
    const refusal = this.refusal();
    if (refusal !== null) return this.refuse(refusal, encoded.events);
    this.events.inc({ outcome: 'accepted' }, encoded.events);
    // A copy: the stream may hold the bytes until the pipe takes them, and the caller reuses its buffer.
    return this.out.write(Buffer.from(encoded.lines)) ? 'ok' : 'backpressure';
  }

  /** One write of all the lines: the pipe gets the group whole or not at all. */
  writeGroup(events: readonly SinkEvent[]): WriteOutcome {
    if (events.length === 0) return 'ok';
    const refusal = this.refusal();
    if (refusal !== null) return this.refuse(refusal, events.length);
    this.events.inc({ outcome: 'accepted' }, events.length);
    let lines = '';
    for (const event of events) lines += event.message + '\n';
    return this.out.write(lines) ? 'ok' : 'backpressure';
  }

  private refusal(): Refusal | null {
    if (this.closed) return 'closed';
    return this.out.writableLength >= this.limit ? 'full' : null;
  }

  private refuse(refusal: Refusal, events: number): WriteOutcome {
    this.events.inc({ outcome: 'refused' }, events);
    return refusal;
  }

  refusalReason(): string | null {
    return this.out.writableLength >= this.limit ? `stdout blocked (${this.out.writableLength} bytes buffered)` : null;
  }

  whenWritable(): Promise<void> {
    if (!this.out.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.out.once('drain', resolve));
  }

  queuedEvents(): number {
    return this.out.writableLength > 0 ? 1 : 0;
  }

  flush(): Promise<void> {
    return this.whenWritable();
  }

  async close(deadline: number): Promise<DrainReport> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    return { delivered: 0, pending: this.out.writableLength > 0 ? 1 : 0, pendingSpooled: false };
  }
}
