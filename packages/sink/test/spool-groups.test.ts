// A group of events appended as one unit (a sink's writeGroup, a message split into parts) is
// replayed whole or not at all: a crash in the middle of its append drops every event of it, never
// some, and never an event appended before it.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Spool } from '../src/spool/spool.js';
import {
  decodePayload,
  encodeEventInto,
  encodeGroupInto,
  encodeHeader,
  eventFrameBytes,
  FRAME_HEADER_BYTES,
  GROUP_FRAME_BYTES,
} from '../src/spool/record-format.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-groups-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (dir: string) => ({ dir, limitBytes: 1 << 20, segmentBytes: 1 << 20 });
const ev = (message: string) => ({ logGroup: '/netsidecar/config', logStream: 'rtr-1', timestamp: 1, message });
const segment = (dir: string) =>
  path.join(
    dir,
    fs.readdirSync(dir).find((name) => name.endsWith('.wal'))!,
  );

/** Two single events, then a group of three, then "crashes" (closes without acks). The group's byte range. */
function singlesThenGroup(dir: string): { start: number; end: number } {
  const spool = Spool.open(options(dir));
  spool.append([ev('single 0')], false);
  spool.append([ev('single 1')], false);
  const start = spool.bytes;
  spool.append([ev('group a'), ev('group b'), ev('group c')], false);
  const end = spool.bytes;
  spool.close();
  return { start, end };
}

t.test('a group record round-trips', async (t) => {
  const buf = Buffer.alloc(GROUP_FRAME_BYTES);
  t.equal(encodeGroupInto(buf, 0, 2 ** 40, 7), GROUP_FRAME_BYTES);
  t.same(decodePayload(buf.subarray(FRAME_HEADER_BYTES)), { type: 'group', firstSeq: 2 ** 40, count: 7 });
});

t.test('an intact group is replayed whole, in order, after the events before it', async (t) => {
  const dir = tempDir(t);
  singlesThenGroup(dir);
  const spool = Spool.open(options(dir));
  t.equal(spool.replayReport.pendingEvents, 5);
  t.equal(spool.replayReport.tornGroups, 0);
  t.equal(spool.replayReport.unreadableRecords, 0, 'the group record is read, not skipped');
  t.same(
    spool.readBacklog(Infinity, true).map((e) => [e.seq, e.message]),
    [
      [0, 'single 0'],
      [1, 'single 1'],
      [2, 'group a'],
      [3, 'group b'],
      [4, 'group c'],
    ],
  );
  spool.close();
});

t.test('a crash at any byte of a group append: none of the group comes back, everything before it does', async (t) => {
  const reference = tempDir(t);
  const { start, end } = singlesThenGroup(reference);
  const name = path.basename(segment(reference));
  const whole = fs.readFileSync(segment(reference));
  const wrong: string[] = [];
  // Every length the file can have between "nothing of the group written" and "all but its last byte".
  for (let length = start + 1; length < end; length++) {
    const dir = tempDir(t);
    fs.writeFileSync(path.join(dir, name), whole.subarray(0, length));
    const spool = Spool.open(options(dir));
    const replayed = spool
      .readBacklog(Infinity, true)
      .map((e) => e.message)
      .join();
    const report = spool.replayReport;
    // The group's numbers were never accepted: the next append takes them again.
    const next = spool.append([ev('after')], false);
    spool.close();
    // Cut back to where the group began (the next append starts a segment of its own).
    const size = fs.statSync(path.join(dir, name)).size;
    // Cut inside the group record itself, it is that record that is torn; after it, the group is.
    const tornGroups = length >= start + GROUP_FRAME_BYTES ? 1 : 0;
    if (replayed !== 'single 0,single 1' || report.tornGroups !== tornGroups || next !== 2 || report.skippedBytes !== length - start || size !== start) {
      wrong.push(
        `cut at ${length}: replayed [${replayed}], ${report.tornGroups} torn groups, next seq ${next}, skipped ${report.skippedBytes}, file ${size} bytes`,
      );
    }
  }
  t.same(wrong, [], `${end - start - 1} cut points: the group is never replayed in part`);
});

t.test('a group record its events do not follow (nothing this code writes) is counted unreadable; the events are kept', async (t) => {
  const dir = tempDir(t);
  const event = (seq: number, message: string) => {
    const e = ev(message);
    const buf = Buffer.alloc(eventFrameBytes(e));
    encodeEventInto(buf, 0, seq, e);
    return buf;
  };
  const group = Buffer.alloc(GROUP_FRAME_BYTES);
  encodeGroupInto(group, 0, 1, 3);
  fs.writeFileSync(path.join(dir, '0000000000000001.wal'), Buffer.concat([encodeHeader(), event(0, 'single 0'), group, event(1, 'a'), event(5, 'other')]));
  const spool = Spool.open(options(dir));
  t.equal(spool.replayReport.tornGroups, 0);
  t.equal(spool.replayReport.unreadableRecords, 1);
  t.same(
    spool.readBacklog(Infinity, true).map((e) => e.message),
    ['single 0', 'a', 'other'],
  );
  spool.close();
});
