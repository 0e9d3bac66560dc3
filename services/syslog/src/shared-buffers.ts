/**
 * SharedArrayBuffers of one size, handed out and taken back: the parse pool's batch buffers (the
 * messages, read by a worker) and output buffers (the events, written by a worker). A new one per
 * batch is memory the kernel zero-fills and V8 counts as external, and under a TCP load with two
 * workers that made the main thread allocate for most batches and run a mark-compact about every
 * 100 ms. A buffer of another size (grown for a huge message) is not kept.
 */
export class SharedBuffers {
  private readonly spare: Uint8Array[] = [];

  constructor(readonly bytes: number) {}

  /** A buffer of `bytes`: a spare one, or a new one. */
  take(): Uint8Array {
    return this.spare.pop() ?? sharedBytes(this.bytes);
  }

  /** Takes back the buffer under `view` once nobody reads or writes it, keeping at most `keep` spare. */
  give(view: Uint8Array, keep: number): void {
    const buffer = view.buffer;
    if (buffer.byteLength === this.bytes && this.spare.length < keep) this.spare.push(new Uint8Array(buffer));
  }
}

/** A new zero-filled buffer of at least `capacity` bytes, in whole pages. */
export function sharedBytes(capacity: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.ceil(capacity / 4096) * 4096));
}
