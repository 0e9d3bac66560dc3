import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spool } from '../src/spool/spool.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-replay-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const ev = (i: number, stream = 's') => ({ logGroup: '/g', logStream: stream, timestamp: 1000 + i, message: `m${i}` });

function appendAll(spool: Spool, events: ReturnType<typeof ev>[], toBacklog = false): number[] {
  return events.map((e) => spool.append([e], toBacklog)!);
}

t.test('a restart replays exactly the unacknowledged events, in order, and sequence numbers go on', async (t) => {
  const dir = tempDir(t);
  const options = { dir, limitBytes: 1 << 20, segmentBytes: 256 };
  const first = Spool.open(options);
  t.equal(first.replayReport.pendingEvents, 0);
  const events = Array.from({ length: 40 }, (_, i) => ev(i, i % 2 ? 'a' : 'b'));
  const seqs = appendAll(first, events);
  t.same(
    seqs,
    events.map((_, i) => i),
  );
  t.ok(walFiles(dir).length > 3, 'several segments');
  // Deliver the first 10 and every even one after (as two streams would).
  first.ack(seqs.filter((s) => s < 10 || s % 2 === 0));
  first.close();

  const second = Spool.open(options);
  const expected = events.filter((_, i) => i >= 10 && i % 2 === 1);
  t.equal(second.replayReport.pendingEvents, expected.length);
  t.equal(second.backlogEvents, expected.length);
  const replayed = second.readBacklog(Infinity, true);
  t.same(
    replayed.map(({ seq, bytes, ...e }) => e),
    expected,
  );
  t.same(
    replayed.map((e) => e.seq),
    seqs.filter((s) => s >= 10 && s % 2 === 1),
  );
  t.equal(second.backlogEvents, 0);
  t.equal(second.append([ev(99)], false), 40, 'numbering continues after the replay');
  second.ack([...replayed.map((e) => e.seq), 40]);
  t.equal(second.liveEvents, 0);
  t.same(walFiles(dir), [], 'all delivered: no segment left');
  t.equal(second.bytes, 0);
  second.close();
});

t.test('a crash (no close) replays the same way; the backlog stays FIFO across memory and disk', async (t) => {
  const dir = tempDir(t);
  const options = { dir, limitBytes: 1 << 20, segmentBytes: 1 << 16 };
  const spool = Spool.open(options);
  appendAll(spool, [ev(0), ev(1)]); // kept in memory by the owner
  appendAll(spool, [ev(2)], true); // memory full: backlog
  appendAll(spool, [ev(3)], false); // a backlog exists, so this joins it too
  t.equal(spool.backlogEvents, 2);
  t.same(
    spool.readBacklog(Infinity, true).map((e) => e.message),
    ['m2', 'm3'],
  );
  spool.ack([0, 2]);
  // "Crash": open again without closing the first instance.
  const again = Spool.open(options);
  t.same(
    again.readBacklog(Infinity, true).map((e) => e.message),
    ['m1', 'm3'],
  );
  spool.close();
  again.close();
});

t.test('segments are deleted oldest first; an unacknowledged old event pins the ones after it', async (t) => {
  const dir = tempDir(t);
  const spool = Spool.open({ dir, limitBytes: 1 << 20, segmentBytes: 128 });
  const seqs = appendAll(
    spool,
    Array.from({ length: 30 }, (_, i) => ev(i)),
  );
  const filesBefore = walFiles(dir).length;
  spool.ack(seqs.slice(1));
  t.equal(walFiles(dir).length, filesBefore, 'seq 0 pins everything');
  spool.ack([0]);
  t.same(walFiles(dir), []);
  spool.close();
});

t.test('readBacklog honours maxBytes, and atLeastOne for an event larger than the room', async (t) => {
  const dir = tempDir(t);
  const spool = Spool.open({ dir, limitBytes: 1 << 20, segmentBytes: 1 << 20 });
  appendAll(spool, [ev(0), ev(1), ev(2)], true);
  t.same(
    spool.readBacklog(2 * 28, false).map((e) => e.message),
    ['m0', 'm1'],
    'each is 2 + 26 bytes',
  );
  t.same(spool.readBacklog(1, false), []);
  t.same(
    spool.readBacklog(1, true).map((e) => e.message),
    ['m2'],
  );
  t.equal(spool.backlogEvents, 0);
  spool.close();
});

t.test('appends beyond the size limit are refused and leave the spool intact', async (t) => {
  const dir = tempDir(t);
  const spool = Spool.open({ dir, limitBytes: 200, segmentBytes: 1 << 20 });
  let accepted = 0;
  while (spool.append([ev(accepted)], false) !== undefined) accepted++;
  t.ok(accepted > 0 && spool.bytes <= 200, `accepted ${accepted}, ${spool.bytes} bytes`);
  spool.ack([0]);
  spool.close();
  const again = Spool.open({ dir, limitBytes: 200, segmentBytes: 1 << 20 });
  t.equal(again.replayReport.pendingEvents, accepted - 1);
  t.equal(again.replayReport.tornRecords, 0);
  again.close();
});

/** The segment files of a spool directory (its LOCK file aside). */
function walFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.wal'));
}
