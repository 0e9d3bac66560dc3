import type { Logger } from '@netsidecar/telemetry';
import type { ConfigEvent } from '../events/config-event.js';
import type { Timers } from '@netsidecar/sink';
import type { Destination } from './destinations.js';
import { noticeOf, type ChangeNotice } from './notice.js';
import type { DestinationName, Outbox, OutboxRecord } from './outbox.js';

export interface NoticeMetrics {
  /** `sent`, `retried` (a try failed, another is scheduled), `failed` (a final answer), `expired`, `dropped` (outbox full). */
  notice(destination: DestinationName, outcome: 'sent' | 'retried' | 'failed' | 'expired' | 'dropped'): void;
  pending(records: number): void;
}

export interface ChangeNoticesOptions {
  outbox: Outbox;
  destinations: readonly Destination[];
  logger: Logger;
  metrics: NoticeMetrics;
  diffLimit: number;
  /** A notice still undelivered this long after its upload is given up (counted `expired`). */
  maxAgeMs: number;
  /** Records the outbox may hold; beyond, new notices are dropped (counted), never the upload. */
  maxRecords?: number;
  now: () => number;
  timers: Timers;
  random?: () => number;
}

const baseDelayMs = 1_000;
const maxDelayMs = 15 * 60_000;

/**
 * Change notices: each real change (not version 1, not a volatile-only upload) is written to the
 * outbox before the upload is answered, then posted once to each destination whose device globs
 * match, in the order of acceptance, by one worker per destination (Slack down does not hold back
 * SNS). A failed try is retried with exponential backoff (1 s doubling to 15 min, jittered) until
 * `maxAgeMs`; a final answer (a 404 webhook, an invalid parameter) ends it. Nothing here can fail
 * or hold an upload: `accept` only writes one small file, and logs and counts its own failures.
 */
export class ChangeNotices {
  private readonly records = new Set<OutboxRecord>();
  private readonly workers: Map<DestinationName, DestinationWorker>;
  private readonly maxRecords: number;
  private leaseTimer: unknown = null;
  /** The latest renewal and adoption; earlier ones finish before it (the outbox's order). */
  private lastLook: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: ChangeNoticesOptions) {
    this.maxRecords = options.maxRecords ?? 1_000;
    this.workers = new Map(
      options.destinations.map((d) => [d.name, new DestinationWorker(d, options, (record, outcome) => this.settled(record, d.name, outcome))]),
    );
  }

  /**
   * Picks up what an earlier run of this task left in its outbox, then renews the outbox lease and
   * adopts the notices of tasks that are gone every third of the lease time.
   */
  async start(): Promise<void> {
    const { records, unreadable } = await this.options.outbox.load();
    if (unreadable.length > 0) this.options.logger.warn('change notice outbox: unreadable files skipped', { files: unreadable });
    if (records.length > 0) this.options.logger.info('change notices from the outbox resume', { notices: records.length });
    for (const record of records) this.enqueue(record);
    this.options.metrics.pending(this.records.size);
    this.scheduleLease();
  }

  /**
   * The notice an upload's event makes, or null: no change to announce, or no destination for the
   * device. Taken before the event goes to the sink (which may detach a long diff from it).
   */
  noticeOf(event: ConfigEvent): ChangeNotice | null {
    const notice = noticeOf(event, this.options.diffLimit);
    return notice !== null && this.options.destinations.some((d) => d.covers(notice.device)) ? notice : null;
  }

  /** Called once the upload's events are accepted, before it is answered. Never throws. */
  async accept(notice: ChangeNotice): Promise<void> {
    const pending = this.options.destinations.filter((d) => d.covers(notice.device)).map((d) => d.name);
    const { logger, metrics } = this.options;
    if (this.records.size >= this.maxRecords) {
      for (const name of pending) metrics.notice(name, 'dropped');
      logger.warn('change notice dropped: the outbox is full', { device: notice.device, version: notice.version, outboxRecords: this.records.size });
      return;
    }
    const record: OutboxRecord = { notice, pending };
    try {
      await this.options.outbox.write(record);
    } catch (err) {
      // Still posted from memory; only a restart before that would lose it.
      logger.error('change notice outbox write failed: the notice is kept in memory only', { device: notice.device, version: notice.version, err });
    }
    this.enqueue(record);
    metrics.pending(this.records.size);
  }

  /** Posting stops; what is left stays in the outbox, released for a running task to adopt. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.leaseTimer !== null) this.options.timers.clearTimeout(this.leaseTimer);
    await this.lastLook;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    try {
      await this.options.outbox.close();
    } catch (err) {
      // Not released: a running task adopts it once the lease runs out instead.
      this.options.logger.error('change notice outbox not released', { err });
    }
  }

  /**
   * The next look is set before this one runs: the lease is renewed on a fixed period, whatever the
   * moving of adopted notices takes (the outbox runs its file work one step at a time, in order).
   */
  private scheduleLease(): void {
    this.leaseTimer = this.options.timers.setTimeout(
      () => {
        this.leaseTimer = null;
        if (this.stopped) return;
        this.scheduleLease();
        this.lastLook = this.renewAndAdopt();
      },
      Math.floor(this.options.outbox.leaseMs / 3),
    );
  }

  private async renewAndAdopt(): Promise<void> {
    const { outbox, logger } = this.options;
    try {
      const { records, unreadable, lost, tasks, failure } = await outbox.renewAndAdopt();
      if (failure !== null) logger.error('change notices of a gone task not all adopted; will try again', { err: failure });
      if (lost)
        logger.error('this task lost its change notice outbox to another task: its notices may be posted twice, and new ones are kept in memory only', {
          dir: outbox.dir,
        });
      if (unreadable.length > 0) logger.warn('change notice outbox: unreadable files skipped', { files: unreadable });
      if (tasks > 0) logger.warn('change notices adopted from tasks that are gone', { tasks, notices: records.length });
      for (const record of records) this.enqueue(record);
      if (records.length > 0) this.options.metrics.pending(this.records.size);
    } catch (err) {
      logger.error('change notice outbox lease renewal failed; will try again', { err });
    }
  }

  private enqueue(record: OutboxRecord): void {
    this.records.add(record);
    for (const name of record.pending) {
      const worker = this.workers.get(name);
      // A destination no longer configured: the record keeps it pending until it expires there.
      if (worker) worker.push(record);
      else this.settled(record, name, null);
    }
  }

  private settled(record: OutboxRecord, name: DestinationName, outcome: 'sent' | 'failed' | 'expired' | null): void {
    if (outcome !== null) this.options.metrics.notice(name, outcome);
    record.pending = record.pending.filter((n) => n !== name);
    const { outbox, logger } = this.options;
    const update = record.pending.length === 0 ? outbox.remove(record.notice) : outbox.write(record);
    if (record.pending.length === 0) this.records.delete(record);
    this.options.metrics.pending(this.records.size);
    update.catch((err: unknown) => logger.error('change notice outbox update failed', { device: record.notice.device, version: record.notice.version, err }));
  }
}

/** Posts one destination's notices in order; a retryable failure waits, then the same notice again. */
class DestinationWorker {
  private readonly queue: OutboxRecord[] = [];
  private attempt = 0;
  private handle: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly destination: Destination,
    private readonly options: ChangeNoticesOptions,
    private readonly done: (record: OutboxRecord, outcome: 'sent' | 'failed' | 'expired') => void,
  ) {}

  push(record: OutboxRecord): void {
    this.queue.push(record);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== null) this.options.timers.clearTimeout(this.handle);
    this.handle = null;
    await this.running;
  }

  private kick(): void {
    if (this.stopped || this.running !== null || this.handle !== null) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    const { logger, metrics, now, maxAgeMs } = this.options;
    const name = this.destination.name;
    while (!this.stopped && this.queue.length > 0) {
      const record = this.queue[0]!;
      const { device, version } = record.notice;
      if (now() - Date.parse(record.notice.receivedAt) > maxAgeMs) {
        logger.error('change notice expired undelivered', { destination: name, device, version, attempts: this.attempt });
        this.finish('expired');
        continue;
      }
      try {
        await this.destination.post(record.notice);
        logger.info('change notice sent', { destination: name, device, version, attempts: this.attempt + 1 });
        this.finish('sent');
      } catch (err) {
        const reason = (err as Error).message;
        if ((err as { retryable?: boolean }).retryable === false) {
          logger.error('change notice failed: the destination refused it', { destination: name, device, version, reason });
          this.finish('failed');
          continue;
        }
        metrics.notice(name, 'retried');
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** this.attempt);
        const delayMs = Math.round(ceiling / 2 + (this.options.random ?? Math.random)() * (ceiling / 2));
        if (this.attempt === 0)
          logger.warn('change notice not delivered yet; retrying with backoff', { destination: name, device, version, reason, retryInMs: delayMs });
        this.attempt++;
        this.handle = this.options.timers.setTimeout(() => {
          this.handle = null;
          this.kick();
        }, delayMs);
        return;
      }
    }
  }

  private finish(outcome: 'sent' | 'failed' | 'expired'): void {
    const record = this.queue.shift()!;
    this.attempt = 0;
    this.done(record, outcome);
  }
}
