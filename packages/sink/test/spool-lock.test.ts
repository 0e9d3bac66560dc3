// One process per spool directory: a second one would replay and send the same events twice.
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spool } from '../src/spool/spool.js';
import { SpoolLockedError } from '../src/index.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-lock-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (dir: string) => ({ dir, limitBytes: 1 << 20, segmentBytes: 4096 });

t.test('a spool directory held by a running process is refused with a clear error', async (t) => {
  const dir = tempDir(t);
  // A live process other than this one "holds" the directory.
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.teardown(() => other.kill('SIGKILL'));
  await once(other, 'spawn');
  fs.writeFileSync(path.join(dir, 'LOCK'), `${other.pid}\n`);
  t.throws(() => Spool.open(options(dir)), new SpoolLockedError(dir, other.pid!));
  try {
    Spool.open(options(dir));
  } catch (err) {
    t.match((err as Error).message, `spool directory ${dir} is in use by process ${other.pid}; give each task its own NETSIDECAR_DATA_DIR`);
  }
  // Once that process is gone, its lock is stale: a restart after a crash must not be blocked.
  other.kill('SIGKILL');
  await once(other, 'exit');
  const spool = Spool.open(options(dir));
  t.equal(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8'), `${process.pid}\n`, 'taken over');
  spool.close();
  t.notOk(fs.existsSync(path.join(dir, 'LOCK')), 'released on close');
});

t.test('a lock with our own pid is our previous run (pid 1 in every container run)', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'LOCK'), `${process.pid}\n`);
  const spool = Spool.open(options(dir));
  t.equal(spool.replayReport.pendingEvents, 0);
  spool.close();
});

t.test('a crashed run (no close) leaves events that the next run replays, lock or not', async (t) => {
  const dir = tempDir(t);
  const first = Spool.open(options(dir));
  first.append([{ logGroup: '/g', logStream: 's', timestamp: 1, message: 'kept' }], false);
  // No close(): as after SIGKILL. The LOCK names this pid, like pid 1 in a restarted container.
  const second = Spool.open(options(dir));
  t.equal(second.replayReport.pendingEvents, 1);
  second.close();
});
