/**
 * Where the file sink keeps the bytes `writeLines` gives it: the caller reuses its buffer once the
 * call returns (the syslog parse pool hands the same shared buffers to its workers again), so the
 * lines are copied, back to back, into chunks the sink owns.
 *
 * Chunks are reused: a flush takes the chunks filled since the last one (`seal`) and gives them back
 * (`recycle`) once all their lines are on disk. A buffer allocated per call, or per flush, is
 * external memory V8 counts, and under a TCP load that alone made the main thread run a full
 * mark-compact about every 100 ms. Chunks whose lines wait for a failing file are not given back:
 * they are garbage once those lines are written.
 */
export class ByteArena {
  private current: Buffer | null = null;
  private used = 0;
  /** The chunks filled since the last `seal`, the current one last. */
  private filled: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly chunkBytes = defaultChunkBytes,
    private readonly maxSpareChunks = defaultMaxSpareChunks,
  ) {}

  /** A copy of `bytes`, valid until the chunk holding it is recycled. */
  copy(bytes: Uint8Array): Uint8Array {
    if (bytes.length > this.chunkBytes) {
      // Larger than a chunk (a huge message): a buffer of its own, never reused.
      const own = Buffer.allocUnsafeSlow(bytes.length);
      own.set(bytes);
      return own;
    }
    if (this.current === null || this.used + bytes.length > this.current.length) {
      this.current = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
      this.used = 0;
      this.filled.push(this.current);
    }
    const start = this.used;
    this.current.set(bytes, start);
    this.used += bytes.length;
    return this.current.subarray(start, this.used);
  }

  /** The chunks holding everything copied so far; later copies go to other chunks. */
  seal(): Buffer[] {
    const chunks = this.filled;
    this.filled = [];
    this.current = null;
    return chunks;
  }

  /** Chunks from `seal` whose lines are all written: their room is used again. */
  recycle(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) if (this.spare.length < this.maxSpareChunks) this.spare.push(chunk);
  }
}

/** 256 KiB: a flush of the file sink is 1 MiB or less, so a handful per flush. */
const defaultChunkBytes = 256 * 1024;
/** Enough for the high-water mark's 8 MiB of lines between two flushes. */
const defaultMaxSpareChunks = 32;
