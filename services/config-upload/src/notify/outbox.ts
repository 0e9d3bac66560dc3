import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ADOPTED_DIR, TaskLease, claimOrphans, claimedSpools, lockDirectory } from '@netsidecar/sink';
import type { ChangeNotice } from './notice.js';

export type DestinationName = 'slack' | 'sns';

/** One notice and the destinations it has not reached yet. */
export interface OutboxRecord {
  notice: ChangeNotice;
  pending: DestinationName[];
}

export interface OutboxOptions {
  /** `<data dir>/config-upload/outbox`: one directory per task under it. */
  root: string;
  /** This task's directory name (the ECS task ID, else the host name). */
  owner: string;
  /** A task whose lease was not renewed for this long is gone: its notices are adopted. */
  leaseMs: number;
  now: () => number;
}

/** What an earlier run of this task left, or what gone tasks left (adopted). */
export interface LoadedRecords {
  records: OutboxRecord[];
  /** Files that are not records, skipped (and left where they are). */
  unreadable: string[];
}

/** What one look at the root took from tasks that are gone. */
export interface Adopted extends LoadedRecords {
  /** This task's own directory was claimed by another task (said once). */
  lost: boolean;
  /** Directories of gone tasks emptied (or tried). */
  tasks: number;
  /** The first error moving them; the rest was taken, and the directory is tried again at the next look. */
  failure: unknown;
}

/**
 * Notices accepted but not yet posted, one JSON file each under `<root>/<owner>/`, written (fsync,
 * then rename) before the upload is answered 201: a restart between the answer and the post
 * delivers it then. Files are named `<receivedAt ms>-<uploadId>.json`, so a directory listing is
 * the order of acceptance. Every write goes through one chain, so a record updated by one
 * destination and removed by another cannot reappear.
 *
 * The root is on the volume every config-upload task mounts (the CDK app's EFS), so each task
 * keeps its own directory under a lease, the way the CloudWatch sink keeps its spool
 * (`@netsidecar/sink`'s TaskLease, claimOrphans): a task only ever posts its own records, and takes
 * another task's only once that task released its lease at stop or has not renewed it for
 * `leaseMs` (it died), by renaming the directory into its own `adopted/` (only one rename can
 * succeed) and moving the records into its own directory. So each record is posted by one task.
 */
export class Outbox {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly lease: TaskLease;
  private readonly unlock: () => void;
  readonly dir: string;

  constructor(private readonly options: OutboxOptions) {
    this.lease = new TaskLease(options.owner, options.root, options.now);
    this.dir = this.lease.dir;
    mkdirSync(this.dir, { recursive: true });
    // Two processes on one host with one data dir and one host name would both take this directory
    // for theirs; the pid lock refuses the second (on a shared volume the names differ anyway).
    this.unlock = lockDirectory(this.dir);
    this.lease.renew(); // throws when the volume is not writable: fail at start
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  /**
   * Every record left by an earlier run of this task, oldest first, with those an earlier version
   * left directly under the root (before directories per task): taken by renaming each file, so of
   * two tasks starting at once each takes a different one.
   */
  async load(): Promise<LoadedRecords> {
    return this.serial(async () => {
      await this.moveRecords(this.options.root);
      return readRecords(this.dir);
    });
  }

  /**
   * Renews this task's lease, then claims the directories of tasks that are gone and moves their
   * records into this one. Returns the records taken, to be posted by this task. `lost`: another
   * task claimed this task's directory (a stall longer than the lease), said once; what this task
   * holds may then be posted twice, and what it accepts from now on is kept in memory only.
   */
  async renewAndAdopt(): Promise<Adopted> {
    const wasLost = this.lease.lost;
    if (!this.lease.renew()) return { records: [], unreadable: [], lost: !wasLost, tasks: 0, failure: null };
    const { root, owner, leaseMs, now } = this.options;
    claimOrphans(root, owner, now(), leaseMs);
    const adopted = claimedSpools(root, owner);
    return this.serial(async () => {
      const moved: string[] = [];
      let failure: unknown = null;
      for (const dir of adopted) {
        try {
          await this.moveRecords(dir, moved);
          // Nested adopted directories come first in claimedSpools' order: this one is empty of records now.
          await rm(dir, { recursive: true, force: true });
        } catch (err) {
          failure ??= err; // that directory stays in adopted/ for the next look; what moved is returned
        }
      }
      return { ...(await readRecords(this.dir, moved)), lost: false, tasks: adopted.length, failure };
    });
  }

  /** Writes the record durably (fsync before the rename that makes it visible). */
  write(record: OutboxRecord): Promise<void> {
    return this.serial(async () => {
      const file = join(this.dir, fileName(record.notice));
      const temp = `${file}.tmp`;
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(record));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    });
  }

  remove(notice: ChangeNotice): Promise<void> {
    return this.serial(() => rm(join(this.dir, fileName(notice)), { force: true }));
  }

  /**
   * At stop, after the last write: this task's directory is removed when no record is left in it,
   * else released, so a running task adopts what is left at its next look (not a lease time later).
   */
  async close(): Promise<void> {
    await this.serial(async () => {
      this.unlock();
      const left =
        (await readdir(this.dir).catch(() => [])).some((n) => n.endsWith('.json')) || (await readdir(join(this.dir, ADOPTED_DIR)).catch(() => [])).length > 0;
      this.lease.release(!left); // nothing when another task took the directory meanwhile
    });
  }

  /** Renames every record file of `from` into this task's directory, adding its name to `moved`; a file another task took first is skipped. */
  private async moveRecords(from: string, moved: string[] = []): Promise<void> {
    for (const name of (await readdir(from).catch(() => [])).filter((n) => n.endsWith('.json'))) {
      try {
        await rename(join(from, name), join(this.dir, name));
        moved.push(name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => {});
    return run;
  }
}

function fileName(notice: ChangeNotice): string {
  return `${String(Date.parse(notice.receivedAt)).padStart(15, '0')}-${notice.uploadId}.json`;
}

/** The records of one directory (or those of `only` in it), oldest first; unreadable files are skipped and named. */
async function readRecords(dir: string, only?: string[]): Promise<LoadedRecords> {
  const names = (only ?? (await readdir(dir)).filter((n) => n.endsWith('.json'))).sort();
  const records: OutboxRecord[] = [];
  const unreadable: string[] = [];
  for (const name of names) {
    try {
      const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
      if (!record.notice?.uploadId || !Array.isArray(record.pending)) throw new Error('not a record');
      records.push(record);
    } catch {
      unreadable.push(name);
    }
  }
  return { records, unreadable };
}
