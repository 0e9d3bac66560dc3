import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A task's claim on its spool directory when the spools of every task share one volume (an EFS
 * file system mounted by each task). The pid LOCK of directory-lock.ts cannot tell tasks apart
 * there: in a container every process is pid 1, and a pid means nothing on another host. Nor does
 * Node have flock(2) or fcntl locks, which NFS only honours through its own lease machinery anyway.
 *
 * So the owner renews a lease, `<dir>/LEASE` (`{"owner","renewedAt","released"}`), every third of
 * the lease time, by writing a new file and renaming it over the old one: a reader sees the old or
 * the new record, never half of one (rename is one atomic operation on a local file system and on
 * the NFS server; NFS close-to-open consistency makes a fresh open() see the latest rename). Another
 * task counts the directory as gone when the record is older than the lease time by its own clock
 * (tasks keep their clocks within milliseconds of each other with Amazon Time Sync, and the lease
 * is a minute), or when the owner released it: a task that closes with events left writes
 * `released` so a survivor adopts them at its next look instead of a minute later.
 *
 * Exclusion does not rest on the lease alone: a task adopting a directory first renames it into
 * its own (orphan-spools.ts), and only one rename of a directory can succeed.
 */

export const LEASE_FILE = 'LEASE';
const TEMP_FILE = 'LEASE.tmp';

export interface LeaseRecord {
  owner: string;
  /** When the owner last renewed it, ms since the epoch by the owner's clock. */
  renewedAt: number;
  /** The owner closed: whatever is left in the directory is for another task to deliver. */
  released: boolean;
}

/** Writes the lease record of `dir` (a new file renamed over the old one). Throws on an I/O error. */
export function writeLease(dir: string, record: LeaseRecord): void {
  const temp = path.join(dir, TEMP_FILE);
  fs.writeFileSync(temp, `${JSON.stringify(record)}\n`);
  fs.renameSync(temp, path.join(dir, LEASE_FILE));
}

/** The lease record of `dir`, or null when it has none (or one this version cannot read). */
export function readLease(dir: string): LeaseRecord | null {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dir, LEASE_FILE), 'utf8')) as Partial<LeaseRecord>;
    if (typeof record.owner !== 'string' || typeof record.renewedAt !== 'number' || typeof record.released !== 'boolean') return null;
    return record as LeaseRecord;
  } catch {
    return null;
  }
}

/**
 * True when the task that owned `dir` is gone: it released its lease, or did not renew it for
 * `leaseMs`. A directory without a lease (its task died before writing the first one) counts as
 * gone once it has not changed for `leaseMs`.
 */
export function ownerGone(dir: string, now: number, leaseMs: number): boolean {
  const lease = readLease(dir);
  if (lease !== null) return lease.released || now - lease.renewedAt > leaseMs;
  try {
    return now - fs.statSync(dir).mtimeMs > leaseMs;
  } catch {
    return false; // gone already: adopted by another task meanwhile
  }
}

/**
 * This task's hold on its own directory `<root>/<owner>` under a shared root: created and leased at
 * the first renew(), renewed by the caller every third of the lease time, and at stop either
 * removed (nothing left in it) or marked released, so a running task adopts what is left at its
 * next look instead of a lease time later. Used by the CloudWatch sink's spool and by every other
 * per-task store on the same volume (config-upload's change notice outbox).
 */
export class TaskLease {
  readonly dir: string;
  #leased = false;
  #lost = false;

  constructor(
    readonly owner: string,
    root: string,
    private readonly now: () => number,
  ) {
    this.dir = path.join(root, owner);
  }

  /** Another task claimed this directory: this one went longer than the lease without renewing it. */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Writes a fresh lease (the first call creates the directory). Returns false, without writing,
   * once the directory is another task's: renewing in a new directory would hide that what this
   * task keeps from now on may never be delivered, so the caller says it, and the lease stays gone.
   * Throws on an I/O error (at start-up: fail before accepting anything).
   */
  renew(): boolean {
    if (this.#lost) return false;
    if (!this.#leased) {
      fs.mkdirSync(this.dir, { recursive: true });
    } else if (readLease(this.dir)?.owner !== this.owner) {
      this.#lost = true;
      return false;
    }
    writeLease(this.dir, { owner: this.owner, renewedAt: this.now(), released: false });
    this.#leased = true;
    return true;
  }

  /**
   * At stop: removes the directory when `empty`, else marks it released. Nothing once the directory
   * is another task's (found here too: a task that stalled may stop before its next renew()).
   * Throws on an I/O error.
   */
  release(empty: boolean): void {
    if (this.#lost || !this.#leased) return;
    if (readLease(this.dir)?.owner !== this.owner) {
      this.#lost = true;
      return;
    }
    if (empty) fs.rmSync(this.dir, { recursive: true, force: true });
    else writeLease(this.dir, { owner: this.owner, renewedAt: this.now(), released: true });
    this.#leased = false;
  }
}
