import { crc32 } from './crc32.js';
import { readVarint, varintLength, writeVarint } from './varint.js';

/**
 * The spool's on-disk format. A segment file is a sequence of frames:
 *
 *   u32 LE payload length | u32 LE CRC-32 of the payload | payload
 *
 * A crash can leave the last frame torn (short, or zero-filled by the filesystem): its length runs
 * past the end of the file or its CRC does not match. Readers stop at the first such frame and
 * report it; nothing after it in that segment is trusted. The CRC also catches bit rot.
 *
 * Payloads start with a type byte:
 *   0 segment header: the magic text `netsidecar-spool/1`, the format version.
 *   1 event:  f64 seq | f64 timestamp | u16 group length | group | u16 stream length | stream | message
 *             (strings in UTF-8; the message runs to the end of the payload)
 *   2 ack:    varint range count | per range: varint (start - previous end) | varint (end - start)
 *             (sorted inclusive ranges of acknowledged sequence numbers; "previous end" starts at 0)
 *   3 group:  f64 first seq | u32 count: the next `count` event frames, numbered from `first seq`,
 *             were appended as one unit (a sink's writeGroup, or a message split into parts). Replay
 *             keeps them only when all are there: a crash in the middle of their append drops all.
 *             Written in the same write(2) as its events, only for more than one event. Code that
 *             predates it skips it as an unreadable record and replays the events one by one.
 */

export const FRAME_HEADER_BYTES = 8;
/** Larger frames are taken as torn: no event (≤ 1 MiB) or ack record comes near it. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024; // 16 MiB
/** CloudWatch's per-event overhead, which the spool also uses as the unit of a queued event's size. */
export const EVENT_OVERHEAD_BYTES = 26;

export const RECORD_HEADER = 0;
export const RECORD_EVENT = 1;
export const RECORD_ACK = 2;
export const RECORD_GROUP = 3;

const MAGIC = Buffer.from('netsidecar-spool/1', 'latin1');
const EVENT_FIXED_BYTES = 1 + 8 + 8 + 2 + 2;
const GROUP_PAYLOAD_BYTES = 1 + 8 + 4;
/** Frame size of a group record. */
export const GROUP_FRAME_BYTES = FRAME_HEADER_BYTES + GROUP_PAYLOAD_BYTES;

export interface SpoolEventInput {
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
}

export interface SpooledEvent extends SpoolEventInput {
  seq: number;
  /** UTF-8 bytes of the message + 26, as CloudWatch counts a batch. */
  bytes: number;
}

function frame(payloadLength: number): Buffer {
  return Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadLength);
}

function seal(buf: Buffer, offset: number, payloadLength: number): void {
  buf.writeUInt32LE(payloadLength, offset);
  buf.writeUInt32LE(crc32(buf.subarray(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + payloadLength)), offset + 4);
}

export function encodeHeader(): Buffer {
  const buf = frame(1 + MAGIC.length);
  buf[FRAME_HEADER_BYTES] = RECORD_HEADER;
  MAGIC.copy(buf, FRAME_HEADER_BYTES + 1);
  seal(buf, 0, 1 + MAGIC.length);
  return buf;
}

/** An upper bound of the frame size of an event, without measuring its strings. */
export function eventFrameBound(event: SpoolEventInput): number {
  return FRAME_HEADER_BYTES + EVENT_FIXED_BYTES + 3 * (event.logGroup.length + event.logStream.length + event.message.length);
}

/** Frame size of an event. */
export function eventFrameBytes(event: SpoolEventInput): number {
  return FRAME_HEADER_BYTES + EVENT_FIXED_BYTES + Buffer.byteLength(event.logGroup) + Buffer.byteLength(event.logStream) + Buffer.byteLength(event.message);
}

/** Encodes `event` at `offset` of `buf` (room for `eventFrameBound`); returns the end offset. */
export function encodeEventInto(buf: Buffer, offset: number, seq: number, event: SpoolEventInput): number {
  let p = offset + FRAME_HEADER_BYTES;
  const start = p;
  buf[p++] = RECORD_EVENT;
  buf.writeDoubleLE(seq, p);
  p += 8;
  buf.writeDoubleLE(event.timestamp, p);
  p += 8;
  const g = buf.write(event.logGroup, p + 2, 'utf8');
  buf.writeUInt16LE(g, p);
  p += 2 + g;
  const s = buf.write(event.logStream, p + 2, 'utf8');
  buf.writeUInt16LE(s, p);
  p += 2 + s;
  p += buf.write(event.message, p, 'utf8');
  seal(buf, offset, p - start);
  return p;
}

/** Encodes a group record at `offset` of `buf` (room for GROUP_FRAME_BYTES); returns the end offset. */
export function encodeGroupInto(buf: Buffer, offset: number, firstSeq: number, count: number): number {
  const p = offset + FRAME_HEADER_BYTES;
  buf[p] = RECORD_GROUP;
  buf.writeDoubleLE(firstSeq, p + 1);
  buf.writeUInt32LE(count, p + 9);
  seal(buf, offset, GROUP_PAYLOAD_BYTES);
  return offset + GROUP_FRAME_BYTES;
}

/** Encodes sorted, disjoint inclusive ranges of sequence numbers. */
export function encodeAck(ranges: readonly (readonly [number, number])[]): Buffer {
  let length = 1 + varintLength(ranges.length);
  let prev = 0;
  for (const [start, end] of ranges) {
    length += varintLength(start - prev) + varintLength(end - start);
    prev = end;
  }
  const buf = frame(length);
  let p = FRAME_HEADER_BYTES;
  buf[p++] = RECORD_ACK;
  p = writeVarint(buf, p, ranges.length);
  prev = 0;
  for (const [start, end] of ranges) {
    p = writeVarint(buf, p, start - prev);
    p = writeVarint(buf, p, end - start);
    prev = end;
  }
  seal(buf, 0, length);
  return buf;
}

/** Turns a list of sequence numbers (any order, duplicates allowed) into sorted inclusive ranges. */
export function toRanges(seqs: readonly number[]): [number, number][] {
  const sorted = Float64Array.from(seqs).sort();
  const ranges: [number, number][] = [];
  for (const seq of sorted) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && seq <= last[1] + 1) last[1] = Math.max(last[1], seq);
    else ranges.push([seq, seq]);
  }
  return ranges;
}

export type DecodedRecord =
  | { type: 'header' }
  | { type: 'event'; event: SpooledEvent }
  | { type: 'ack'; ranges: [number, number][] }
  | { type: 'group'; firstSeq: number; count: number }
  | { type: 'unknown' };

/** Decodes a payload whose CRC matched. Malformed content is `unknown`, never an exception. */
export function decodePayload(payload: Buffer): DecodedRecord {
  const type = payload[0];
  if (type === RECORD_HEADER) {
    return payload.length === 1 + MAGIC.length && MAGIC.equals(payload.subarray(1)) ? { type: 'header' } : { type: 'unknown' };
  }
  if (type === RECORD_EVENT) {
    if (payload.length < EVENT_FIXED_BYTES) return { type: 'unknown' };
    let p = 1;
    const seq = payload.readDoubleLE(p);
    p += 8;
    const timestamp = payload.readDoubleLE(p);
    p += 8;
    const g = payload.readUInt16LE(p);
    p += 2;
    if (p + g + 2 > payload.length) return { type: 'unknown' };
    const logGroup = payload.toString('utf8', p, p + g);
    p += g;
    const s = payload.readUInt16LE(p);
    p += 2;
    if (p + s > payload.length) return { type: 'unknown' };
    const logStream = payload.toString('utf8', p, p + s);
    p += s;
    const message = payload.toString('utf8', p);
    if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isFinite(timestamp)) return { type: 'unknown' };
    return { type: 'event', event: { seq, timestamp, logGroup, logStream, message, bytes: payload.length - p + EVENT_OVERHEAD_BYTES } };
  }
  if (type === RECORD_ACK) {
    const count = readVarint(payload, 1);
    if (count === undefined) return { type: 'unknown' };
    const ranges: [number, number][] = [];
    let p = count.next;
    let prev = 0;
    for (let i = 0; i < count.value; i++) {
      const a = readVarint(payload, p);
      if (a === undefined) return { type: 'unknown' };
      const b = readVarint(payload, a.next);
      if (b === undefined) return { type: 'unknown' };
      const start = prev + a.value;
      const end = start + b.value;
      ranges.push([start, end]);
      prev = end;
      p = b.next;
    }
    return { type: 'ack', ranges };
  }
  if (type === RECORD_GROUP) {
    if (payload.length !== GROUP_PAYLOAD_BYTES) return { type: 'unknown' };
    const firstSeq = payload.readDoubleLE(1);
    const count = payload.readUInt32LE(9);
    if (!Number.isSafeInteger(firstSeq) || firstSeq < 0 || count < 2) return { type: 'unknown' };
    return { type: 'group', firstSeq, count };
  }
  return { type: 'unknown' };
}
