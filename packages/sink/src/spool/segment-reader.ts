import * as fs from 'node:fs';
import { crc32 } from './crc32.js';
import { FRAME_HEADER_BYTES, MAX_PAYLOAD_BYTES } from './record-format.js';

/** Reads are this size, so that scanning a segment costs few system calls. */
const CHUNK_BYTES = 1024 * 1024; // 1 MiB

export type FrameResult =
  { kind: 'frame'; offset: number; payload: Buffer } | { kind: 'end' } | { kind: 'torn'; offset: number; reason: 'short' | 'length' | 'checksum' };

/**
 * Reads frames one after the other from a segment file, synchronously (the spool runs on the
 * event loop and its reads are from the page cache in the common case). `limit` is how many bytes
 * of the file are valid to read: the file size at replay, the end of the last complete append at
 * run time. A returned payload is only valid until the next call.
 */
export class SegmentReader {
  #fd: number;
  /** Reused read buffer, and the view of it that holds file bytes from `#bufStart`. */
  #backing: Buffer = Buffer.alloc(0);
  #buf: Buffer = Buffer.alloc(0);
  #bufStart = 0;
  position: number;

  constructor(path: string, start: number) {
    this.#fd = fs.openSync(path, 'r');
    this.position = start;
  }

  next(limit: number): FrameResult {
    const offset = this.position;
    if (offset >= limit) return { kind: 'end' };
    if (offset + FRAME_HEADER_BYTES > limit) return { kind: 'torn', offset, reason: 'short' };
    if (!this.#ensure(offset, offset + FRAME_HEADER_BYTES, limit)) return { kind: 'torn', offset, reason: 'short' };
    const at = offset - this.#bufStart;
    const length = this.#buf.readUInt32LE(at);
    const checksum = this.#buf.readUInt32LE(at + 4);
    if (length === 0 || length > MAX_PAYLOAD_BYTES) return { kind: 'torn', offset, reason: 'length' };
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > limit || !this.#ensure(offset, end, limit)) return { kind: 'torn', offset, reason: 'short' };
    const from = offset + FRAME_HEADER_BYTES - this.#bufStart;
    const payload = this.#buf.subarray(from, from + length);
    if (crc32(payload) !== checksum) return { kind: 'torn', offset, reason: 'checksum' };
    this.position = end;
    return { kind: 'frame', offset, payload };
  }

  close(): void {
    fs.closeSync(this.#fd);
  }

  /** Makes bytes [from, to) available in the buffer; false when the file is shorter. */
  #ensure(from: number, to: number, limit: number): boolean {
    if (from >= this.#bufStart && to <= this.#bufStart + this.#buf.length) return true;
    const size = Math.min(Math.max(CHUNK_BYTES, to - from), limit - from);
    if (this.#backing.length < size || this.#backing.length > 4 * CHUNK_BYTES) this.#backing = Buffer.allocUnsafe(Math.max(size, CHUNK_BYTES));
    const read = readFully(this.#fd, this.#backing, size, from);
    this.#buf = this.#backing.subarray(0, read);
    this.#bufStart = from;
    return read >= to - from;
  }
}

function readFully(fd: number, buf: Buffer, size: number, position: number): number {
  let total = 0;
  while (total < size) {
    const n = fs.readSync(fd, buf, total, size - total, position + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}
