/**
 * RFC 6587 framing for syslog over TCP and TLS. The first byte of a connection decides its framing,
 * as rsyslog's imtcp does: a digit means octet-counting (`<len> <msg>`), anything else means
 * non-transparent framing (messages end with LF; a CR before it is dropped).
 *
 * Frames are handed out as Buffers; they may be slices of the socket's chunk (no copy), so the
 * receiver must finish with them before the next push.
 */
export type FrameProblem = 'message_too_large' | 'framing_error' | 'truncated_frame';

export interface FrameSink {
  frame(frame: Buffer): void;
  problem(reason: FrameProblem): void;
}

type Mode = 'unknown' | 'octet' | 'lf';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

export class FrameDecoder {
  private mode: Mode = 'unknown';
  private pending: Buffer = Buffer.alloc(0);
  /** Octet-counting: bytes still expected for the current frame, or -1 while reading a length. */
  private expected = -1;
  /** LF framing: true while skipping the rest of a line that was too long. */
  private discarding = false;
  private broken = false;
  private readonly maxLengthDigits: number;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly out: FrameSink,
  ) {
    this.maxLengthDigits = String(maxMessageBytes).length;
  }

  get framing(): Mode {
    return this.mode;
  }

  /** True while a frame has begun and not ended: its bytes are held here until the rest arrives. */
  get holdsFrame(): boolean {
    return this.pending.length > 0 || this.expected >= 0;
  }

  /** Bytes held for the unfinished frame (at most the largest message plus its length digits). */
  get heldBytes(): number {
    return this.pending.length;
  }

  /** Feeds bytes; returns false when the stream cannot be trusted any more and the connection must close. */
  push(chunk: Buffer): boolean {
    if (this.broken) return false;
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    if (this.mode === 'unknown') {
      const first = firstNonWhitespace(data);
      if (first === -1) return true;
      this.mode = data[first]! >= 0x30 && data[first]! <= 0x39 ? 'octet' : 'lf';
    }
    const ok = this.mode === 'octet' ? this.octet(data) : this.lf(data);
    if (!ok) this.broken = true;
    return ok;
  }

  /** The peer closed: a last LF-framed message without its LF is still a message (rsyslog agrees). */
  end(): void {
    if (this.broken) return;
    if (this.mode === 'lf' && this.pending.length > 0 && !this.discarding) {
      const line = trimCr(this.pending);
      if (line.length > 0) this.out.frame(line);
    } else if (this.mode === 'octet' && (this.expected >= 0 || hasContent(this.pending))) {
      this.out.problem('truncated_frame');
    }
    this.pending = Buffer.alloc(0);
  }

  private octet(data: Buffer): boolean {
    let offset = 0;
    while (offset < data.length) {
      if (this.expected < 0) {
        // Reading `MSG-LEN SP`. Whitespace between frames is tolerated (some senders add LF).
        while (offset < data.length && isWhitespace(data[offset]!)) offset++;
        let length = 0;
        let digits = 0;
        let end = offset;
        while (end < data.length && data[end]! >= 0x30 && data[end]! <= 0x39) {
          length = length * 10 + (data[end]! - 0x30);
          end++;
          if (++digits > this.maxLengthDigits + 1) break;
        }
        if (end === data.length && digits <= this.maxLengthDigits + 1) {
          this.pending = Buffer.from(data.subarray(offset)); // the length continues in the next chunk
          return true;
        }
        const tooManyDigits = digits > this.maxLengthDigits + 1;
        if (!tooManyDigits && (digits === 0 || data[end] !== SP)) {
          this.out.problem('framing_error');
          return false;
        }
        if (tooManyDigits || length > this.maxMessageBytes) {
          // A length we will not buffer. Skipping it would trust the same length that may be garbage,
          // so the connection is closed; the sender reconnects.
          this.out.problem('message_too_large');
          return false;
        }
        this.expected = length;
        offset = end + 1;
      }
      const available = data.length - offset;
      if (available < this.expected) {
        this.pending = Buffer.from(data.subarray(offset));
        return true;
      }
      const frame = data.subarray(offset, offset + this.expected);
      offset += this.expected;
      this.expected = -1;
      this.out.frame(frame);
    }
    return true;
  }

  private lf(data: Buffer): boolean {
    let offset = 0;
    for (;;) {
      const newline = data.indexOf(LF, offset);
      if (newline === -1) break;
      if (this.discarding) {
        this.discarding = false;
      } else {
        const line = trimCr(data.subarray(offset, newline));
        if (line.length > this.maxMessageBytes) this.out.problem('message_too_large');
        else if (line.length > 0) this.out.frame(line);
      }
      offset = newline + 1;
    }
    const rest = data.length - offset;
    if (rest === 0) return true;
    if (this.discarding) return true;
    if (rest > this.maxMessageBytes) {
      // Bounded memory: a line that never ends is counted once and skipped up to its LF.
      this.out.problem('message_too_large');
      this.discarding = true;
      return true;
    }
    this.pending = Buffer.from(data.subarray(offset));
    return true;
  }
}

function isWhitespace(byte: number): boolean {
  return byte === SP || byte === LF || byte === CR || byte === 0x09 || byte === 0x00;
}

function firstNonWhitespace(data: Buffer): number {
  for (let i = 0; i < data.length; i++) if (!isWhitespace(data[i]!)) return i;
  return -1;
}

function hasContent(data: Buffer): boolean {
  return firstNonWhitespace(data) !== -1;
}

function trimCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}
