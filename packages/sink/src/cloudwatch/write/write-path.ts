import { splitMessage } from '@netsidecar/contracts';
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
  refuseClosed(events = 1): WriteOutcome {
    this.#p.metrics.writes.refused += events;
    return 'closed';
  }

  /** `due`: queue the event to be sent without waiting for the flush tick (a flush or a backlog waits). */
  write(event: SinkEvent, due: boolean): WriteOutcome {
    if (this.#rejectedInvalid(event)) return this.#pressure();
    const records: SpoolEventInput[] = [];
    const sizes: number[] = [];
    const cost = this.#prepare(event, records, sizes);
    return this.#accept(records, cost, sizes, due);
  }

  /**
   * The events of a group in one spool append (all or none, and a crash cannot split it: see the
   * spool's group record). An event CloudWatch could never take is rejected on its own, counted, as
   * `write()` does; it is not a refusal of the others.
   */
  writeGroup(events: readonly SinkEvent[], due: boolean): WriteOutcome {
    const records: SpoolEventInput[] = [];
    const sizes: number[] = [];
    let cost = 0;
    for (const event of events) if (!this.#rejectedInvalid(event)) cost += this.#prepare(event, records, sizes);
    if (records.length === 0) return this.#pressure();
    return this.#accept(records, cost, sizes, due);
  }

  /**
   * An event CloudWatch could never take is accepted and given up on at once, counted like an event
   * CloudWatch refuses: the caller's refusals mean "full" or "closed", which this is not.
   */
  #rejectedInvalid(event: SinkEvent): boolean {
    const problem = invalidField(event);
    if (problem === undefined) return false;
    this.#p.metrics.writes.accepted++;
    this.#p.metrics.rejected.inc({ reason: 'invalid_event' });
    this.#p.log.log('warn', 'sink event invalid; rejected', { field: problem });
    return true;
  }

  /** The spool records of an event (numbered parts when it is too large) and their sizes; returns their cost. */
  #prepare(event: SinkEvent, records: SpoolEventInput[], sizes: number[]): number {
    const { logGroup, logStream, message } = event;
    const timestamp = Math.floor(event.timestamp);
    const bytes = Buffer.byteLength(message) + EVENT_OVERHEAD_BYTES;
    const maxEventBytes = this.#p.options.maxEventBytes;
    if (bytes <= maxEventBytes) {
      records.push({ logGroup, logStream, timestamp, message });
      sizes.push(bytes);
      return bytes;
    }
    let cost = 0;
    for (const part of splitMessage(message, maxEventBytes - EVENT_OVERHEAD_BYTES)) {
      const size = Buffer.byteLength(part) + EVENT_OVERHEAD_BYTES;
      records.push({ logGroup, logStream, timestamp, message: part });
      sizes.push(size);
      cost += size;
    }
    return cost;
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
      return 'full';
    }
    if (first === undefined) {
      metrics.writes.refused += records.length;
      log.log('warn', 'sink full (memory and spool); event refused', { spoolBytes: spool.bytes });
      this.#refusing = `memory and spool full (${spool.bytes} bytes spooled): CloudWatch is not taking events`;
      return 'full';
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
        scheduler.enqueue({ seq: first + i, logGroup: r.logGroup, logStream: r.logStream, timestamp: r.timestamp, message: r.message, bytes: sizes[i]! }, due);
      }
    }
    return this.#pressure();
  }

  /** `backpressure` is about the spool, not memory (see "Memory" in cloudwatch-sink.ts). */
  #pressure(): WriteOutcome {
    return this.#p.spool.bytes >= this.#p.options.highWaterMarkBytes ? 'backpressure' : 'ok';
  }
}
