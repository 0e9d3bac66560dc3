import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@netsidecar/telemetry';
import {
  decodePayload,
  encodeAck,
  encodeEventInto,
  encodeGroupInto,
  encodeHeader,
  eventFrameBound,
  GROUP_FRAME_BYTES,
  toRanges,
  type SpoolEventInput,
  type SpooledEvent,
} from './record-format.js';
import { SegmentReader } from './segment-reader.js';
import { lockDirectory } from './directory-lock.js';

/**
 * A write-ahead log of events, in segment files under one directory, that keeps every event until
 * it is acknowledged and replays the unacknowledged ones after a restart or a crash.
 *
 * - Every event gets a sequence number, increasing across restarts. Acknowledgements are written
 *   as records of sequence-number ranges into the same log, so a restart after a clean shutdown
 *   replays exactly the events that were not delivered (after a crash, the batches whose ack was
 *   not written yet come back too: at least once).
 * - Segments are deleted oldest first, once all their events are acknowledged. An ack record is
 *   always in the same or a later segment than the events it names, so deleting oldest first never
 *   loses an ack that a remaining event needs.
 * - The "backlog" is the tail of the log whose events the owner did not keep in memory (memory
 *   full, or replayed after a restart). It is first in, first out: while there is a backlog, every
 *   new event joins it, so events come back out in the order they went in.
 * - Appends are synchronous `write(2)` calls: when `append()` returns, the event is in the kernel's
 *   page cache and survives the death of the process (SIGKILL, OOM kill). There is no fsync: a
 *   kernel crash or power loss can lose the last seconds. A crash in the middle of an append leaves
 *   a torn last frame; replay detects it by length and CRC, counts it, truncates it away and goes
 *   on, so it never poisons the spool.
 *
 * NB: one process per directory; nothing locks it. An event that is never acknowledged keeps its
 * segment, and every later one, on disk: the owner must acknowledge everything eventually (the
 * CloudWatch sink does: delivered, or rejected with a reason code).
 */

export interface SpoolOptions {
  dir: string;
  /** Appends that would take the segment files above this size are refused. */
  limitBytes: number;
  /** A segment is closed and a new one started beyond this size. */
  segmentBytes: number;
  logger?: Logger;
  /** The positional write (node:fs `writeSync`); the disk-full test gives one that fails part way. */
  writeSync?: (fd: number, buffer: Buffer, offset: number, length: number, position: number) => number;
}

export interface SpoolReplayReport {
  /** Unacknowledged events found on disk: the initial backlog. */
  pendingEvents: number;
  /** Torn or corrupt frames (bad length or checksum): the rest of their segment was cut off. */
  tornRecords: number;
  /** Groups (events appended as one unit) cut off whole because their append was interrupted. */
  tornGroups: number;
  /** Bytes cut off behind torn frames. */
  skippedBytes: number;
  /** Frames with a good checksum that this version cannot read (skipped). */
  unreadableRecords: number;
  /** Files with a bad header, renamed to `*.unreadable` and left alone. */
  unreadableFiles: number;
  segments: number;
}

interface Segment {
  id: number;
  path: string;
  /** Valid bytes: the end of the last complete frame. */
  bytes: number;
  /** First and last sequence number of the events in it; -1 while it holds none. */
  firstSeq: number;
  lastSeq: number;
  /** Events in it that are not acknowledged yet. */
  live: number;
  /** Replayed segments only: acknowledged sequence numbers, bit (seq - firstSeq). */
  acked?: Uint8Array;
  /**
   * Replayed segments only: false when its sequence numbers have a gap (this code never writes
   * one). Then `live` counts acknowledged events too, until the backlog reader skips them.
   */
  contiguous?: boolean;
  /** The head segment only: where appends go. */
  fd?: number;
}

/** Replay: a group record whose events are being read, and the segment's counts before it. */
interface OpenGroup {
  offset: number;
  firstSeq: number;
  count: number;
  read: number;
  before: { count: number; contiguous: boolean; maxSeq: number; firstSeq: number; lastSeq: number };
}

interface Cursor {
  segment: Segment;
  reader: SegmentReader;
  /** Last sequence number read from this segment, to count what a torn frame took away. */
  lastRead: number;
}

const SEGMENT_NAME = /^(\d{16})\.wal$/;
const HEADER = encodeHeader();

export class Spool {
  readonly dir: string;
  readonly replayReport: SpoolReplayReport;
  #limitBytes: number;
  #segmentBytes: number;
  #logger: Logger | undefined;
  #writeSync: NonNullable<SpoolOptions['writeSync']>;
  #segments: Segment[] = [];
  #bytes = 0;
  #nextSeq = 0;
  #nextId = 1;
  #live = 0;
  #backlog = 0;
  #cursor: Cursor | undefined;
  #tornAtRunTime = 0;
  #closed = false;
  #unlock: () => void;

  private constructor(options: SpoolOptions) {
    this.dir = options.dir;
    this.#limitBytes = options.limitBytes;
    this.#segmentBytes = options.segmentBytes;
    this.#logger = options.logger;
    this.#writeSync = options.writeSync ?? fs.writeSync;
    fs.mkdirSync(this.dir, { recursive: true });
    this.#unlock = lockDirectory(this.dir);
    try {
      this.replayReport = this.#replay();
    } catch (err) {
      this.#unlock();
      throw err;
    }
  }

  /** Opens (creating it if needed) the spool in `options.dir` and scans what a previous run left. */
  static open(options: SpoolOptions): Spool {
    return new Spool(options);
  }

  /** Bytes of all segment files. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Events appended and not acknowledged (in the owner's memory or in the backlog). */
  get liveEvents(): number {
    return this.#live;
  }

  /** Events on disk only, waiting for `readBacklog()`. */
  get backlogEvents(): number {
    return this.#backlog;
  }

  /** The sequence number the next append gets (after a replay: above everything on disk). */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Torn frames met while reading the backlog at run time (disk corruption). */
  get tornAtRunTime(): number {
    return this.#tornAtRunTime;
  }

  /**
   * Appends events in one write, as one unit: more than one event go behind a group record, so a
   * crash in the middle of the write loses all of them at replay, never some. Returns the sequence
   * number of the first (the others follow), or `undefined` when they do not fit under the size
   * limit. With `toBacklog`, or whenever there is a backlog already, they join the backlog;
   * otherwise the caller keeps them in memory. Throws on an I/O error, after cutting the partial
   * write away.
   */
  append(events: readonly SpoolEventInput[], toBacklog: boolean): number | undefined {
    if (this.#closed) throw new Error('spool is closed');
    // Encode into a buffer sized for the worst case (3 UTF-8 bytes per UTF-16 code unit), which
    // saves measuring every string first: this is the hot path of every write().
    const grouped = events.length > 1;
    let bound = grouped ? GROUP_FRAME_BYTES : 0;
    for (const event of events) bound += eventFrameBound(event);
    const scratch = Buffer.allocUnsafe(bound);
    const first = this.#nextSeq;
    let total = grouped ? encodeGroupInto(scratch, 0, first, events.length) : 0;
    for (let i = 0; i < events.length; i++) total = encodeEventInto(scratch, total, first + i, events[i]!);
    let head = this.#head();
    const rotate = head === undefined || (head.firstSeq >= 0 && head.bytes + total > this.#segmentBytes);
    if (this.#bytes + total + (rotate ? HEADER.length : 0) > this.#limitBytes) return undefined;
    if (rotate) head = this.#startSegment();
    const segment = head!;
    this.#write(segment, scratch.subarray(0, total));
    const start = segment.bytes - total;
    this.#nextSeq += events.length;
    if (segment.firstSeq < 0) segment.firstSeq = first;
    segment.lastSeq = first + events.length - 1;
    segment.live += events.length;
    this.#live += events.length;
    if (toBacklog || this.#backlog > 0) {
      if (this.#backlog === 0) this.#setCursor(segment, start);
      this.#backlog += events.length;
    }
    return first;
  }

  /**
   * Takes events from the front of the backlog, in order, up to `maxBytes` (message bytes + 26 per
   * event); with `atLeastOne`, the first event comes even when it alone is larger.
   */
  readBacklog(maxBytes: number, atLeastOne: boolean): SpooledEvent[] {
    const out: SpooledEvent[] = [];
    let used = 0;
    while (this.#backlog > 0) {
      const cursor = this.#cursor;
      if (cursor === undefined) {
        this.#lostBacklog('backlog without a cursor');
        break;
      }
      const frame = cursor.reader.next(cursor.segment.bytes);
      if (frame.kind === 'end') {
        if (!this.#advanceCursor()) this.#lostBacklog('backlog ran past the end of the log');
        continue;
      }
      if (frame.kind === 'torn') {
        this.#tornWhileReading(cursor, frame.offset);
        continue;
      }
      const record = decodePayload(frame.payload);
      if (record.type !== 'event') continue;
      const event = record.event;
      const segment = cursor.segment;
      cursor.lastRead = event.seq;
      if (segment.acked !== undefined && isSet(segment.acked, event.seq - segment.firstSeq)) {
        if (segment.contiguous === false) {
          segment.live--;
          this.#live--;
          this.#backlog--;
        }
        continue;
      }
      if ((out.length > 0 || !atLeastOne) && used + event.bytes > maxBytes) {
        cursor.reader.position = frame.offset;
        break;
      }
      out.push(event);
      used += event.bytes;
      this.#backlog--;
    }
    if (this.#backlog === 0) this.#dropCursor();
    return out;
  }

  /**
   * Acknowledges events (delivered, or given up on with a counted reason). Each sequence number
   * must be acknowledged once, and only after the event left the backlog.
   */
  ack(seqs: readonly number[]): void {
    if (seqs.length === 0 || this.#closed) return;
    for (const seq of seqs) {
      const segment = this.#segmentOf(seq);
      if (segment === undefined || segment.live === 0) continue;
      segment.live--;
      this.#live--;
    }
    try {
      this.#write(this.#head() ?? this.#startSegment(), encodeAck(toRanges(seqs)));
    } catch (err) {
      // Without the ack these events come back after a restart: duplicates, not loss.
      this.#logger?.error('spool ack record not written', { dir: this.dir, err });
    }
    this.#collect();
  }

  /** Closes the files. What is not acknowledged stays on disk for the next `open()`. */
  close(): void {
    if (this.#closed) return;
    this.#collect();
    this.#dropCursor();
    const head = this.#head();
    if (head?.fd !== undefined) {
      fs.closeSync(head.fd);
      delete head.fd;
    }
    this.#closed = true;
    this.#unlock();
  }

  #head(): Segment | undefined {
    const last = this.#segments[this.#segments.length - 1];
    return last?.fd === undefined ? undefined : last;
  }

  #startSegment(): Segment {
    const previous = this.#head();
    if (previous?.fd !== undefined) {
      fs.closeSync(previous.fd);
      delete previous.fd;
    }
    const id = this.#nextId++;
    const file = path.join(this.dir, `${String(id).padStart(16, '0')}.wal`);
    const segment: Segment = { id, path: file, bytes: 0, firstSeq: -1, lastSeq: -1, live: 0, fd: fs.openSync(file, 'wx') };
    this.#segments.push(segment);
    this.#write(segment, HEADER);
    return segment;
  }

  /** One positional write at the end of the valid bytes; a failed or short write is cut away. */
  #write(segment: Segment, buf: Buffer): void {
    const fd = segment.fd!;
    let done = 0;
    try {
      while (done < buf.length) done += this.#writeSync(fd, buf, done, buf.length - done, segment.bytes + done);
    } catch (err) {
      try {
        fs.ftruncateSync(fd, segment.bytes);
      } catch {
        // The torn frame stays; replay cuts it off.
      }
      throw err;
    }
    segment.bytes += buf.length;
    this.#bytes += buf.length;
  }

  #segmentOf(seq: number): Segment | undefined {
    let lo = 0;
    let hi = this.#segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const segment = this.#segments[mid]!;
      if (segment.firstSeq < 0 || seq < segment.firstSeq) hi = mid - 1;
      else if (seq > segment.lastSeq) lo = mid + 1;
      else return segment;
    }
    return undefined;
  }

  /** Deletes acknowledged segments, oldest first; everything once nothing is left to deliver. */
  #collect(): void {
    if (this.#live === 0 && this.#backlog === 0) {
      this.#dropCursor();
      while (this.#segments.length > 0) this.#delete(this.#segments[0]!);
      return;
    }
    while (this.#segments.length > 1) {
      const oldest = this.#segments[0]!;
      if (oldest.live > 0 || oldest.fd !== undefined) break;
      this.#delete(oldest);
    }
  }

  #delete(segment: Segment): void {
    if (this.#cursor?.segment === segment) this.#advanceCursor();
    if (segment.fd !== undefined) {
      fs.closeSync(segment.fd);
      delete segment.fd;
    }
    try {
      fs.unlinkSync(segment.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#logger?.error('spool segment not deleted', { file: segment.path, err });
    }
    this.#segments.splice(this.#segments.indexOf(segment), 1);
    this.#bytes -= segment.bytes;
  }

  #setCursor(segment: Segment, offset: number): void {
    this.#dropCursor();
    this.#cursor = { segment, reader: new SegmentReader(segment.path, offset), lastRead: -1 };
  }

  /** Moves the cursor to the start of the next segment; false at the last one. */
  #advanceCursor(): boolean {
    const cursor = this.#cursor;
    if (cursor === undefined) return false;
    const next = this.#segments[this.#segments.indexOf(cursor.segment) + 1];
    if (next === undefined) return false;
    this.#setCursor(next, 0);
    return true;
  }

  #dropCursor(): void {
    this.#cursor?.reader.close();
    this.#cursor = undefined;
  }

  /** A frame of the backlog is unreadable at run time: the events behind it in the segment are lost. */
  #tornWhileReading(cursor: Cursor, offset: number): void {
    const segment = cursor.segment;
    const readUpTo = cursor.lastRead >= 0 ? cursor.lastRead : segment.firstSeq - 1;
    const lost = Math.max(0, Math.min(this.#backlog, segment.lastSeq - readUpTo));
    this.#tornAtRunTime++;
    this.#logger?.error('spool frame corrupt while reading the backlog; events after it in the segment are lost', {
      file: segment.path,
      offset,
      lost,
    });
    this.#backlog -= lost;
    segment.live = Math.max(0, segment.live - lost);
    this.#live = Math.max(0, this.#live - lost);
    if (!this.#advanceCursor()) this.#lostBacklog('torn frame at the end of the log');
  }

  #lostBacklog(why: string): void {
    if (this.#backlog > 0) this.#logger?.error('spool backlog count out of step with the log; reset', { why, backlog: this.#backlog });
    this.#backlog = 0;
    this.#dropCursor();
  }

  /** Scans the segment files a previous run left, in order. */
  #replay(): SpoolReplayReport {
    const report: SpoolReplayReport = {
      pendingEvents: 0,
      tornRecords: 0,
      tornGroups: 0,
      skippedBytes: 0,
      unreadableRecords: 0,
      unreadableFiles: 0,
      segments: 0,
    };
    const files = fs
      .readdirSync(this.dir)
      .map((name) => ({ name, match: SEGMENT_NAME.exec(name) }))
      .filter((f) => f.match !== null)
      .map((f) => ({ name: f.name, id: Number(f.match![1]) }))
      .sort((a, b) => a.id - b.id);
    const acks: number[] = [];
    let maxSeq = -1;
    for (const file of files) {
      this.#nextId = Math.max(this.#nextId, file.id + 1);
      const full = path.join(this.dir, file.name);
      const size = fs.statSync(full).size;
      const reader = new SegmentReader(full, 0);
      const segment: Segment = { id: file.id, path: full, bytes: 0, firstSeq: -1, lastSeq: -1, live: 0 };
      let count = 0;
      let contiguous = true;
      try {
        const first = reader.next(size);
        if (first.kind !== 'frame' || decodePayload(first.payload).type !== 'header') {
          if (size < HEADER.length) {
            // Died while creating the segment: nothing in it was ever accepted.
            if (size > 0) report.tornRecords++;
            report.skippedBytes += size;
            fs.unlinkSync(full);
          } else {
            report.unreadableFiles++;
            fs.renameSync(full, `${full}.unreadable`);
            this.#logger?.error('spool file with a bad header moved aside', { file: `${full}.unreadable` });
          }
          continue;
        }
        // A group whose events are not all read yet, and what the counts were before it.
        let group: OpenGroup | undefined;
        for (;;) {
          const frame = reader.next(size);
          if (frame.kind === 'end' || frame.kind === 'torn') {
            // A crash in the middle of a group's append: the whole group goes, from its record on.
            const cutAt = group?.offset ?? (frame.kind === 'torn' ? frame.offset : undefined);
            if (group !== undefined) {
              report.tornGroups++;
              ({ count, contiguous, maxSeq } = group.before);
              segment.firstSeq = group.before.firstSeq;
              segment.lastSeq = group.before.lastSeq;
            }
            if (frame.kind === 'torn') report.tornRecords++;
            if (cutAt !== undefined) {
              report.skippedBytes += size - cutAt;
              fs.truncateSync(full, cutAt);
              reader.position = cutAt;
            }
            break;
          }
          const record = decodePayload(frame.payload);
          if (group !== undefined && (record.type !== 'event' || record.event.seq !== group.firstSeq + group.read)) {
            // A crash ends the file, so this is not one: the record does not match what follows it
            // (nothing this code writes). Its events are kept, one by one, as before groups existed.
            report.unreadableRecords++;
            group = undefined;
          }
          if (record.type === 'group') {
            group = {
              offset: frame.offset,
              firstSeq: record.firstSeq,
              count: record.count,
              read: 0,
              before: { count, contiguous, maxSeq, firstSeq: segment.firstSeq, lastSeq: segment.lastSeq },
            };
          } else if (record.type === 'event') {
            const seq = record.event.seq;
            if (segment.firstSeq < 0) segment.firstSeq = seq;
            else if (seq !== segment.lastSeq + 1) contiguous = false;
            segment.lastSeq = Math.max(segment.lastSeq, seq);
            count++;
            maxSeq = Math.max(maxSeq, seq);
            if (group !== undefined && ++group.read === group.count) group = undefined;
          } else if (record.type === 'ack') {
            for (const [start, end] of record.ranges) {
              acks.push(start, end);
              maxSeq = Math.max(maxSeq, end);
            }
          } else if (record.type === 'unknown') {
            report.unreadableRecords++;
          }
        }
        segment.bytes = reader.position;
      } finally {
        reader.close();
      }
      segment.live = count;
      if (count > 0) {
        segment.acked = new Uint8Array(Math.ceil((segment.lastSeq - segment.firstSeq + 1) / 8));
        segment.contiguous = contiguous;
      }
      this.#segments.push(segment);
      this.#bytes += segment.bytes;
    }
    this.#applyAcks(acks);
    this.#nextSeq = maxSeq + 1;
    for (const segment of this.#segments) this.#live += segment.live;
    this.#backlog = this.#live;
    report.pendingEvents = this.#live;
    const firstLive = this.#segments.find((s) => s.live > 0);
    if (firstLive !== undefined) this.#setCursor(firstLive, 0);
    this.#collect();
    report.segments = this.#segments.length;
    return report;
  }

  #applyAcks(flat: readonly number[]): void {
    // Segments with events, in sequence order (segments are written in order).
    const withEvents = this.#segments.filter((s) => s.acked !== undefined);
    for (let i = 0; i < flat.length; i += 2) {
      const start = flat[i]!;
      const end = flat[i + 1]!;
      let lo = 0;
      let hi = withEvents.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (withEvents[mid]!.lastSeq < start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < withEvents.length; k++) {
        const segment = withEvents[k]!;
        if (segment.firstSeq > end) break;
        const from = Math.max(start, segment.firstSeq) - segment.firstSeq;
        const to = Math.min(end, segment.lastSeq) - segment.firstSeq;
        for (let bit = from; bit <= to; bit++) setBit(segment.acked!, bit);
      }
    }
    for (const segment of withEvents) {
      if (segment.contiguous === false) continue;
      segment.live = Math.max(0, segment.live - popcount(segment.acked!));
    }
  }
}

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
}

function isSet(bits: Uint8Array, i: number): boolean {
  return i >= 0 && i >> 3 < bits.length && (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}

function popcount(bits: Uint8Array): number {
  let n = 0;
  for (let byte of bits) {
    while (byte !== 0) {
      byte &= byte - 1;
      n++;
    }
  }
  return n;
}
