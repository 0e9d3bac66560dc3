import type { Socket } from 'node:net';
import type { Logger } from '@netsidecar/telemetry';
import type { Sink } from '@netsidecar/sink';
import { normaliseAddress } from '@netsidecar/net-address';
import { FrameDecoder } from './frame-decoder.js';
import type { BudgetMember, FrameBudget } from './frame-budget.js';
import type { Ingest } from './ingest.js';
import type { ParsePool } from './parse-pool.js';
import type { SyslogMetrics } from './metrics.js';

export interface StreamConnectionOptions {
  transport: 'tcp' | 'tls';
  maxMessageBytes: number;
  idleTimeoutMs: number;
  ingest: Ingest;
  /** Parse workers: frames are parsed there, in the order submitted; without them, parsed here. */
  pool: ParsePool | null;
  sink: Sink;
  budget: FrameBudget;
  metrics: SyslogMetrics;
  logger: Logger;
  now: () => Date;
}

/** How a connection's drain ended: the sender closed, nothing more came, or the deadline cut it. */
export type DrainEnd = 'sender_closed' | 'quiet' | 'deadline';

/** A drained connection is closed once nothing has arrived for this long (after our FIN). */
export const drainQuietMs = 250;

/**
 * One TCP or TLS connection: bytes -> frames -> the parse pool (or Ingest on this thread) -> sink.
 * It stops reading for three reasons, each its own: the sink above its high-water mark (until
 * `whenWritable`), the frame budget (frame-budget.ts), and the parse pool (`holdsStreams`: its
 * workers behind, or the sink pushing back on what it delivered). Either way the kernel's TCP window
 * pushes back on the router, and nothing read is lost.
 */
export class StreamConnection implements BudgetMember {
  frameStartedAt = 0;
  private readonly decoder: FrameDecoder;
  private readonly context;
  private pausedForSink = false;
  private pausedForBudget = false;
  private framesInPush = 0;
  private lastDataAt = Date.now();

  constructor(
    readonly socket: Socket,
    private readonly options: StreamConnectionOptions,
  ) {
    const { transport, metrics } = options;
    this.context = {
      receivedAt: options.now(),
      sourceIp: normaliseAddress(socket.remoteAddress ?? 'unknown'),
      sourcePort: socket.remotePort ?? 0,
      transport,
    };
    this.decoder = new FrameDecoder(options.maxMessageBytes, {
      frame: (frame) => this.frame(frame),
      problem: (reason) => {
        metrics.received.inc({ transport });
        metrics.dropped.inc({ reason });
      },
    });
    socket.setTimeout(options.idleTimeoutMs, () => {
      metrics.dropped.inc({ reason: 'idle_timeout' });
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('end', () => {
      this.decoder.end();
      socket.end();
    });
  }

  get holdsFrame(): boolean {
    return this.decoder.holdsFrame;
  }

  get heldBytes(): number {
    return this.decoder.heldBytes;
  }

  pauseForBudget(paused: boolean): void {
    this.pausedForBudget = paused;
    this.applyFlow();
  }

  evict(): void {
    this.options.metrics.dropped.inc({ reason: 'held_frame_timeout' });
    this.socket.destroy();
  }

  /**
   * At shutdown: tell the sender we are closing (FIN), then read what the kernel holds and what is
   * still in flight, until the sender closes its side, nothing arrives for `drainQuietMs`, or
   * `readUntil`. A sender cut at `readUntil` is counted (`shutdown_deadline`).
   */
  drain(readUntil: number): Promise<DrainEnd> {
    const socket = this.socket;
    if (socket.destroyed) return Promise.resolve('sender_closed');
    this.lastDataAt = Math.max(this.lastDataAt, Date.now()); // the sender gets a quiet period to answer the FIN
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (end: DrainEnd) => {
        clearTimeout(timer);
        socket.off('close', closed);
        resolve(end);
      };
      const closed = () => finish('sender_closed');
      socket.once('close', closed);
      socket.end();
      const check = (): void => {
        const now = Date.now();
        if (now >= readUntil) {
          this.options.metrics.dropped.inc({ reason: 'shutdown_deadline' });
          socket.destroy();
          return finish('deadline');
        }
        const quietFor = now - this.lastDataAt;
        if (this.paused || quietFor < drainQuietMs) {
          timer = setTimeout(check, Math.max(1, Math.min(drainQuietMs - quietFor, readUntil - now)));
          return;
        }
        // Quiet by the timers' clock, but timers run before the poll phase: let one poll read what
        // the kernel holds (setImmediate runs after it) before calling the connection quiet.
        setImmediate(() => {
          if (socket.destroyed) return;
          if (Date.now() - this.lastDataAt < drainQuietMs || this.paused) return check();
          socket.destroy();
          finish('quiet');
        });
      };
      check();
    });
  }

  /** Whether the socket must not be read now; the listener calls `applyFlow` when the pool's hold clears. */
  private get paused(): boolean {
    return this.pausedForSink || this.pausedForBudget || (this.options.pool?.holdsStreams() ?? false);
  }

  private data(chunk: Buffer): void {
    this.lastDataAt = Date.now();
    this.framesInPush = 0;
    // One receive time per chunk: its frames were all read at this instant.
    this.context.receivedAt = this.options.now();
    if (!this.decoder.push(chunk)) {
      this.options.logger.warn('closing a connection whose framing cannot be trusted', {
        transport: this.options.transport,
        sourceIp: this.context.sourceIp,
        framing: this.decoder.framing,
      });
      this.socket.destroy();
      return;
    }
    this.options.budget.afterPush(this, this.framesInPush);
    // The frames just submitted may have filled the pool's backlog.
    if (this.options.pool) this.applyFlow();
  }

  private frame(frame: Buffer): void {
    this.framesInPush++;
    const { pool, ingest } = this.options;
    const { context } = this;
    if (pool) {
      // Copied into the pending batch (the frame may be a view of the chunk); counted as received now, parsed in a worker.
      if (ingest.receive(frame.length, context.transport)) {
        pool.submit(frame, 0, frame.length, context.receivedAt.getTime(), context.sourceIp, context.sourcePort, context.transport);
      }
      return;
    }
    const outcome = ingest.accept(frame, context);
    if (outcome === 'backpressure' && !this.pausedForSink) {
      this.pausedForSink = true;
      this.applyFlow();
      void this.options.sink.whenWritable().then(() => {
        this.pausedForSink = false;
        this.applyFlow();
      });
    }
  }

  /** Pauses or resumes reading as the reasons above say; the listener calls it when the parse pool lets go. */
  applyFlow(): void {
    if (this.socket.destroyed) return;
    if (this.paused) this.socket.pause();
    else this.socket.resume();
  }
}
