import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spool } from '../src/spool/spool.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-torn-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (dir: string) => ({ dir, limitBytes: 1 << 20, segmentBytes: 1 << 20 });

/** Writes five events and "crashes" (closes without acking), returning the single segment file. */
function fiveEvents(dir: string): string {
  const spool = Spool.open(options(dir));
  for (let i = 0; i < 5; i++) spool.append([{ logGroup: '/g', logStream: 's', timestamp: i, message: `message ${i}` }], false);
  spool.close();
  const files = walFiles(dir);
  return path.join(dir, files[0]!);
}

const damage: Record<string, (file: string) => void> = {
  'last frame cut short (died mid-write)': (file) => fs.truncateSync(file, fs.statSync(file).size - 3),
  'last frame checksum wrong (bit rot)': (file) => {
    const buf = fs.readFileSync(file);
    buf[buf.length - 1] = buf[buf.length - 1]! ^ 0x40;
    fs.writeFileSync(file, buf);
  },
};

for (const [name, breakIt] of Object.entries(damage)) {
  t.test(`${name}: counted, cut off, the rest replayed, the spool goes on`, async (t) => {
    const dir = tempDir(t);
    const file = fiveEvents(dir);
    breakIt(file);
    const spool = Spool.open(options(dir));
    t.equal(spool.replayReport.tornRecords, 1);
    t.ok(spool.replayReport.skippedBytes > 0);
    t.equal(spool.replayReport.pendingEvents, 4);
    t.same(
      spool.readBacklog(Infinity, true).map((e) => e.message),
      [0, 1, 2, 3].map((i) => `message ${i}`),
    );
    // The torn event was never accepted, so its number is free again (no ack can name it).
    t.equal(spool.append([{ logGroup: '/g', logStream: 's', timestamp: 9, message: 'after' }], false), 4);
    spool.close();
    const again = Spool.open(options(dir));
    t.equal(again.replayReport.tornRecords, 0, 'cut away once, not counted again');
    t.same(
      again.readBacklog(Infinity, true).map((e) => e.message),
      [0, 1, 2, 3].map((i) => `message ${i}`).concat('after'),
    );
    again.close();
  });
}

t.test('zeros appended by the filesystem after a crash are a torn frame, not events', async (t) => {
  const dir = tempDir(t);
  const file = fiveEvents(dir);
  fs.appendFileSync(file, Buffer.alloc(4096));
  const spool = Spool.open(options(dir));
  t.equal(spool.replayReport.tornRecords, 1);
  t.equal(spool.replayReport.skippedBytes, 4096);
  t.equal(spool.replayReport.pendingEvents, 5);
  spool.close();
});

t.test('a segment torn in its header is removed; an alien file is moved aside', async (t) => {
  const dir = tempDir(t);
  fiveEvents(dir);
  fs.writeFileSync(path.join(dir, '0000000000000007.wal'), Buffer.from([5, 0, 0]));
  fs.writeFileSync(path.join(dir, '0000000000000008.wal'), Buffer.from('this is not a spool segment at all'));
  const spool = Spool.open(options(dir));
  t.equal(spool.replayReport.pendingEvents, 5);
  t.equal(spool.replayReport.tornRecords, 1);
  t.equal(spool.replayReport.unreadableFiles, 1);
  t.notOk(fs.existsSync(path.join(dir, '0000000000000007.wal')));
  t.ok(fs.existsSync(path.join(dir, '0000000000000008.wal.unreadable')));
  spool.close();
});

t.test('a frame corrupted under a running spool: the backlog reader counts it and goes on', async (t) => {
  const dir = tempDir(t);
  const spool = Spool.open({ dir, limitBytes: 1 << 20, segmentBytes: 256 });
  for (let i = 0; i < 12; i++) spool.append([{ logGroup: '/g', logStream: 's', timestamp: i, message: `event number ${i}` }], true);
  const files = walFiles(dir).sort();
  t.ok(files.length >= 3, `${files.length} segments`);
  // Flip a byte in the last frame of the first segment (bit rot under a live process).
  const first = path.join(dir, files[0]!);
  const fd = fs.openSync(first, 'r+');
  const size = fs.fstatSync(fd).size;
  fs.writeSync(fd, Buffer.from([0xff]), 0, 1, size - 2);
  fs.closeSync(fd);
  const events = spool.readBacklog(Infinity, true);
  const got = events.map((e) => e.message);
  t.equal(spool.tornAtRunTime, 1);
  t.equal(spool.backlogEvents, 0);
  t.ok(got.length === 11, 'only the corrupt event is missing');
  t.same(
    got,
    Array.from({ length: 12 }, (_, i) => `event number ${i}`).filter((m) => got.includes(m)),
    'the rest in order',
  );
  spool.ack(events.map((e) => e.seq));
  t.equal(spool.liveEvents, 0, 'the lost event is not waited for');
  t.same(walFiles(dir), [], 'so the spool empties');
  spool.close();
});

t.test('a failed append (disk full) is cut back, refused by a throw, and the spool goes on', async (t) => {
  let failNext = false;
  const writeSync = (fd: number, buffer: Buffer, offset: number, length: number, position: number): number => {
    if (failNext) {
      failNext = false;
      // A short write, then ENOSPC: the torn part must not stay in the segment.
      fs.writeSync(fd, buffer, offset, Math.min(5, length), position);
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }
    return fs.writeSync(fd, buffer, offset, length, position);
  };
  const dir = tempDir(t);
  const spool = Spool.open({ dir, limitBytes: 1 << 20, segmentBytes: 1 << 20, writeSync });
  const ev = (i: number) => ({ logGroup: '/g', logStream: 's', timestamp: i, message: `m${i}` });
  spool.append([ev(0)], false);
  const before = spool.bytes;
  failNext = true;
  t.throws(() => spool.append([ev(1)], false), { code: 'ENOSPC' });
  t.equal(spool.bytes, before);
  t.equal(fs.statSync(path.join(dir, walFiles(dir)[0]!)).size, before, 'the partial frame was cut away');
  t.equal(spool.append([ev(2)], false), 1, 'the failed event took no sequence number');
  spool.close();
  const again = Spool.open({ dir, limitBytes: 1 << 20, segmentBytes: 1 << 20 });
  t.equal(again.replayReport.tornRecords, 0);
  t.same(
    again.readBacklog(Infinity, true).map((e) => e.message),
    ['m0', 'm2'],
  );
  again.close();
});

/** The segment files of a spool directory (its LOCK file aside). */
function walFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.wal'));
}
