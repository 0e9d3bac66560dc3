import fs from 'node:fs';
import path from 'node:path';
import { CodedError } from '@netsidecar/config';

/** A second process on a spool directory would replay and acknowledge the same events twice. */
export class SpoolLockedError extends CodedError<'spool_locked'> {
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super('spool_locked', `spool directory ${dir} is in use by process ${ownerPid}; give each task its own NETSIDECAR_DATA_DIR`);
  }
}

const LOCK_FILE = 'LOCK';

/**
 * Takes `<dir>/LOCK` for this process: created exclusively and holding our pid. A lock left by a
 * process that no longer runs is taken over (a crash must not block the restart that replays the
 * spool), and so is one holding our own pid: in a container every run is pid 1, so a lock with our
 * pid is the previous run of this container, not a live rival.
 *
 * Returns the function that releases it. Node has no flock(2); a pid file is what a restart can
 * check without a daemon, and PID reuse by an unrelated process is the accepted, rare false positive
 * (the error then says which pid holds it).
 */
export function lockDirectory(dir: string, isAlive: (pid: number) => boolean = processIsAlive): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => releaseIfOurs(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw new SpoolLockedError(dir, owner);
    fs.rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new Error(`could not take the spool lock ${file}: another process keeps recreating it`);
}

function readOwner(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function releaseIfOurs(file: string): void {
  if (readOwner(file) === process.pid) fs.rmSync(file, { force: true });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
