import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Counter } from 'prom-client';
import type { Logger } from '@netsidecar/telemetry';
import type { SinkEvent, WriteOutcome } from '../sink.js';
import { ADOPTED_DIR, claimOrphans, claimedSpools } from '../spool/orphan-spools.js';
import { Spool } from '../spool/spool.js';
import { TaskLease } from '../spool/task-lease.js';
import type { Timers } from './timers.js';

/** Events read from an adopted spool per step; the event loop turns between steps. */
const STEP_BYTES = 4 * 1024 * 1024; // 4 MiB

export interface SpoolAdoptionParts {
  /** `<dataDir>/spool/<name>/tasks`: one directory per task (spool/orphan-spools.ts). */
  root: string;
  /** This task's directory name under root. */
  owner: string;
  leaseMs: number;
  segmentBytes: number;
  timers: Timers;
  now: () => number;
  logger: Logger;
  adopted: Counter;
  /** The sink's own write(): an adopted event is accepted here like any other, then acknowledged there. */
  write: (event: SinkEvent) => WriteOutcome;
}

/**
 * A task's part in keeping the spools of a shared volume alive (the `spoolOwner` option): it renews
 * its lease (spool/task-lease.ts), and every third of the lease time it claims the spools of tasks
 * that are gone (spool/orphan-spools.ts) and moves their unacknowledged events into its own spool
 * through write(), acknowledging each step in the adopted spool once it is in ours. A death
 * between the two gives duplicates, never a hole. An adopted spool emptied is deleted.
 *
 * Adopting stops for the tick when write() pushes back (`backpressure`, `refused`): an adopted spool
 * waits on its volume, it never crowds out the task's own routers.
 */
export class SpoolAdoption {
  readonly #p: SpoolAdoptionParts;
  readonly #lease: TaskLease;
  #timer: unknown;
  #adopting = true;
  #stopped = false;
  /** The adopted spool being emptied, kept open between ticks (opening replays it). */
  #current: Spool | undefined;

  constructor(parts: SpoolAdoptionParts) {
    this.#p = parts;
    this.#lease = new TaskLease(parts.owner, parts.root, parts.now);
    this.#renew(); // throws at start-up when the volume is not writable: fail before accepting anything
    this.#schedule(0);
  }

  /** The drain started: no more adopting, but the lease is still renewed until stop(). */
  stopAdopting(): void {
    this.#adopting = false;
    this.#current?.close();
    this.#current = undefined;
  }

  /** Stops adopting; with events left in this task's spool, releases it for another task to adopt at once. */
  stop(eventsLeft: number): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== undefined) this.#p.timers.clearTimeout(this.#timer);
    this.#current?.close();
    this.#current = undefined;
    if (this.#lease.lost) return; // the directory is another task's now
    try {
      this.#lease.release(eventsLeft === 0 && claimedSpools(this.#p.root, this.#p.owner).length === 0);
    } catch (err) {
      // Not released: another task adopts it once the lease runs out instead.
      this.#p.logger.error('spool lease not released', { dir: this.#lease.dir, err });
    }
  }

  #schedule(ms: number): void {
    this.#timer = this.#p.timers.setTimeout(() => this.#tick(), ms);
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    let more = false;
    try {
      this.#renew();
      if (!this.#adopting) return;
      const claimed = claimOrphans(this.#p.root, this.#p.owner, this.#p.now(), this.#p.leaseMs);
      if (claimed > 0) this.#p.logger.warn('adopting the spools of tasks that are gone', { claimed, root: this.#p.root });
      more = this.#adoptStep();
    } catch (err) {
      this.#p.logger.error('spool adoption failed; will try again', { root: this.#p.root, err });
    } finally {
      this.#schedule(more ? 0 : Math.floor(this.#p.leaseMs / 3));
    }
  }

  #renew(): void {
    if (this.#lease.lost || this.#lease.renew()) return;
    // Our directory was claimed: this task went longer than the lease without renewing it (a
    // stall), and another task took its spool. What it appends now may never be delivered.
    // Said loudly, once; the lease stays gone.
    this.#p.logger.error('this task lost its spool lease to another task; events it accepts from now on may not be delivered', { dir: this.#lease.dir });
  }

  /** Moves up to STEP_BYTES of adopted events into this sink; true when there is more to do now. */
  #adoptStep(): boolean {
    if (this.#current === undefined) {
      const next = claimedSpools(this.#p.root, this.#p.owner)[0];
      if (next === undefined) return false;
      // The claim (a rename into our directory) is the lock; the pid LOCK inside means nothing here.
      fs.rmSync(path.join(next, 'LOCK'), { force: true });
      this.#current = Spool.open({ dir: next, limitBytes: Number.MAX_SAFE_INTEGER, segmentBytes: this.#p.segmentBytes, logger: this.#p.logger });
    }
    const spool = this.#current;
    const events = spool.readBacklog(STEP_BYTES, true);
    const taken: number[] = [];
    let pushedBack = false;
    for (const { seq, logGroup, logStream, timestamp, message } of events) {
      const outcome = this.#p.write({ logGroup, logStream, timestamp, message });
      if (outcome === 'full' || outcome === 'closed') {
        pushedBack = true;
        break;
      }
      taken.push(seq);
      if (outcome === 'backpressure') {
        pushedBack = true;
        break;
      }
    }
    spool.ack(taken);
    this.#p.adopted.inc(taken.length);
    if (taken.length < events.length || spool.liveEvents > 0 || pushedBack) {
      if (taken.length < events.length) {
        // Not taken: reopen later, which replays exactly what is not acknowledged yet.
        spool.close();
        this.#current = undefined;
      }
      return !pushedBack;
    }
    spool.close();
    this.#current = undefined;
    // Emptied. Its own adopted spools (nested) came before it in claimedSpools' order.
    if (!hasEntries(path.join(spool.dir, ADOPTED_DIR))) fs.rmSync(spool.dir, { recursive: true, force: true });
    return true;
  }
}

function hasEntries(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
