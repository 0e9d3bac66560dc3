import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangeNotice } from './notice.js';

export type DestinationName = 'slack' | 'sns';

/** One notice and the destinations it has not reached yet. */
export interface OutboxRecord {
  notice: ChangeNotice;
  pending: DestinationName[];
}

/**
 * Notices accepted but not yet posted, one JSON file each under `<data dir>/config-upload/outbox/`,
 * written (fsync, then rename) before the upload is answered 201: a restart between the answer and
 * the post delivers it then. Files are named `<receivedAt ms>-<uploadId>.json`, so a directory
 * listing is the order of acceptance. Every write goes through one chain, so a record updated by
 * one destination and removed by another cannot reappear.
 */
export class Outbox {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Every record left by an earlier run, oldest first; unreadable files are skipped and named. */
  async load(): Promise<{ records: OutboxRecord[]; unreadable: string[] }> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    const records: OutboxRecord[] = [];
    const unreadable: string[] = [];
    for (const name of names) {
      try {
        const record = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as OutboxRecord;
        if (!record.notice?.uploadId || !Array.isArray(record.pending)) throw new Error('not a record');
        records.push(record);
      } catch {
        unreadable.push(name);
      }
    }
    return { records, unreadable };
  }

  /** Writes the record durably (fsync before the rename that makes it visible). */
  write(record: OutboxRecord): Promise<void> {
    return this.serial(async () => {
      const file = this.fileOf(record.notice);
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
    return this.serial(() => rm(this.fileOf(notice), { force: true }));
  }

  private fileOf(notice: ChangeNotice): string {
    return join(this.dir, `${String(Date.parse(notice.receivedAt)).padStart(15, '0')}-${notice.uploadId}.json`);
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => {});
    return run;
  }
}
