import type { SinkEvent, WriteOutcome } from '../../sink.js';
import type { SpoolEventInput } from '../../spool/record-format.js';
import type { Spool } from '../../spool/spool.js';
import type { BacklogRefill } from '../backlog-refill.js';
import type { ResolvedOptions } from '../config.js';
import { EVENT_OVERHEAD_BYTES } from '../limits.js';
import type { SinkMetrics } from '../metrics.js';
import type { RateLimitedLog } from '../rate-limited-log.js';
import type { StreamScheduler } from '../scheduler/scheduler.js';
import { invalidField } from './invalid-event.js';
import { splitMessage } from './parts.js';

/** What the write path works with. */
export interface WritePathParts {
  options: Pick<ResolvedOptions, 'maxEventBytes' | 'memoryLimitBytes' | 'highWaterMarkBytes'>;
  spool: Spool;
  scheduler: StreamScheduler;
  backlog: BacklogRefill;
  metrics: SinkMetrics;
  log: RateLimitedLog;
}

/**
 * The write path: `write()` checks an event, splits it when it is too large, writes it ahead to the
 * spool (one synchronous write(2), see "Durability" in cloudwatch-sink.ts), then queues it in the
 * scheduler, or leaves it in the spool's backlog when memory is full ("Memory" there).
 */
export class WritePath {
  readonly #p: WritePathParts;
  #lastAcceptedSeq: number;
  /** Why the last write was refused while open (spool full or failing); cleared by the next accepted one. */
  #refusing: string | null = null;

  constructor(parts: WritePathParts) {
    this.#p = parts;
    // Replayed events count as accepted before any flush() of this run.
    this.#lastAcceptedSeq = parts.spool.nextSeq - 1;
  }

  /** Sequence number of the last event accepted, replayed ones included: what flush() waits for. */
  get lastAcceptedSeq(): number {
    return this.#lastAcceptedSeq;
  }

  /** Why writes are refused right now (spool full or failing), or null. */
  get refusing(): string | null {
    return this.#refusing;
  }

  /** close() was called: counted, and refused. */
  refuseClosed(): WriteOutcome {
    this.#p.metrics.writes.refused++;
    return 'refused';
  }

  /** `due`: queue the event to be sent without waiting for the flush tick (a flush or a backlog waits). */
  write(event: SinkEvent, due: boolean): WriteOutcome {
    const problem = invalidField(event);
    if (problem !== undefined) {
      // Accepted and given up on at once, counted like an event CloudWatch refuses: the caller's
      // `refused` means "full or closing", which this is not.
      this.#p.metrics.writes.accepted++;
      this.#p.metrics.rejected.inc({ reason: 'invalid_event' });
      this.#p.log.log('warn', 'sink event invalid; rejected', { field: problem });
      return this.#pressure();
    }
    const { logGroup, logStream, message } = event;
    const timestamp = Math.floor(event.timestamp);
    const bytes = Buffer.byteLength(message) + EVENT_OVERHEAD_BYTES;
    const maxEventBytes = this.#p.options.maxEventBytes;
    if (bytes <= maxEventBytes) {
      return this.#accept([{ logGroup, logStream, timestamp, message }], bytes, [bytes], due);
    }
    const parts = splitMessage(message, maxEventBytes - EVENT_OVERHEAD_BYTES);
    let cost = 0;
    const sizes = parts.map((part) => {
      const size = Buffer.byteLength(part) + EVENT_OVERHEAD_BYTES;
      cost += size;
      return size;
    });
    return this.#accept(parts.map((part) => ({ logGroup, logStream, timestamp, message: part })), cost, sizes, due);
  }

  /** Writes ahead, then keeps in memory or leaves in the backlog; all the records or none. */
  #accept(records: SpoolEventInput[], cost: number, sizes: number[], due: boolean): WriteOutcome {
    const { spool, scheduler, metrics, log } = this.#p;
    const hadBacklog = spool.backlogEvents > 0;
    const toBacklog = hadBacklog || (scheduler.memoryBytes > 0 && scheduler.memoryBytes + cost > this.#p.options.memoryLimitBytes);
    let first: number | undefined;
    try {
      first = spool.append(records, toBacklog);
    } catch (err) {
      metrics.writes.refused += records.length;
      log.log('error', 'spool write failed; event refused', { dir: spool.dir, err });
      this.#refusing = `spool writes under ${spool.dir} failing (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
      return 'refused';
    }
    if (first === undefined) {
      metrics.writes.refused += records.length;
      log.log('warn', 'sink full (memory and spool); event refused', { spoolBytes: spool.bytes });
      this.#refusing = `memory and spool full (${spool.bytes} bytes spooled): CloudWatch is not taking events`;
      return 'refused';
    }
    this.#refusing = null;
    metrics.writes.accepted += records.length;
    this.#lastAcceptedSeq = first + records.length - 1;
    if (toBacklog) {
      if (!hadBacklog) {
        // Behind: send everything now. (While the backlog lasts, refilled events are due at once.)
        this.#p.backlog.startedAt(first);
        scheduler.markAllDue();
      }
    } else {
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        scheduler.enqueue(
          { seq: first + i, logGroup: r.logGroup, logStream: r.logStream, timestamp: r.timestamp, message: r.message, bytes: sizes[i]! },
          due,
        );
      }
    }
    return this.#pressure();
  }

  /** `backpressure` is about the spool, not memory (see "Memory" in cloudwatch-sink.ts). */
  #pressure(): WriteOutcome {
    return this.#p.spool.bytes >= this.#p.options.highWaterMarkBytes ? 'backpressure' : 'ok';
  }
}
