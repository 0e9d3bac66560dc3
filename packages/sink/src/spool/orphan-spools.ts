import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownerGone } from './task-lease.js';

/**
 * The spools of tasks that are gone, on a volume every task of a service mounts: the layout is
 * `<root>/<task>/` per task (its spool segments and LEASE, task-lease.ts) and
 * `<root>/<task>/adopted/<other task>/` for the spools a task has claimed and not yet emptied.
 *
 * Claiming is a rename of `<root>/<gone task>` into `<root>/<me>/adopted/`: of two tasks that both
 * see the same directory gone, exactly one rename succeeds (the other finds nothing to rename), on a
 * local file system as on the NFS server. A task that dies while adopting leaves its `adopted/`
 * inside its own directory, so whoever adopts it next finds those too (`claimed`).
 */

export const ADOPTED_DIR = 'adopted';

/** A directory name that can be a task's: one safe path component. */
export const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Moves into `<root>/<owner>/adopted/` every task directory of `root` whose owner is gone
 * (task-lease.ts, `ownerGone`). Returns how many it claimed; a directory another task claimed
 * first is skipped.
 */
export function claimOrphans(root: string, owner: string, now: number, leaseMs: number): number {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  const into = path.join(root, owner, ADOPTED_DIR);
  let claimed = 0;
  for (const name of names) {
    if (name === owner || !TASK_NAME.test(name)) continue;
    const dir = path.join(root, name);
    if (!isDirectory(dir) || !ownerGone(dir, now, leaseMs)) continue;
    fs.mkdirSync(into, { recursive: true });
    try {
      fs.renameSync(dir, path.join(into, name));
      claimed++;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOENT: another task renamed it first. ENOTEMPTY/EEXIST: a directory of that name was claimed before and is not finished; it stays where it is for the next round.
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  }
  return claimed;
}

/**
 * The spool directories `<root>/<owner>/adopted/*` waiting to be emptied, and the ones nested in
 * them (a task that died while adopting), innermost first, so the oldest events go first.
 */
export function claimedSpools(root: string, owner: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const adopted = path.join(dir, ADOPTED_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(adopted).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const child = path.join(adopted, name);
      if (!isDirectory(child)) continue;
      walk(child);
      out.push(child);
    }
  };
  walk(path.join(root, owner));
  return out;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
