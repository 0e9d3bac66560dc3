import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AuditError } from '../errors.js';

/**
 * Writes text to a stream and waits for 'drain' when it is full, so a million-event export holds a
 * buffer, not the export. Small writes are joined into 64 KiB chunks (a write() per line showed
 * in profiles).
 */
export class TextWriter {
  private chunk: string[] = [];
  private size = 0;
  private failed: Error | undefined = undefined;
  bytes = 0;
  /** SHA-256 of everything written, when asked for (`toFile(path, true)`). */
  readonly hash: Hash | undefined;

  constructor(
    private readonly out: Writable,
    private readonly name: string,
    /** End the stream at `end()`: true for files we opened, false for stdout. */
    private readonly own = false,
    hashed = false,
  ) {
    this.hash = hashed ? createHash('sha256') : undefined;
    out.on('error', (err) => (this.failed = err));
  }

  static toFile(path: string, hashed = false): TextWriter {
    return new TextWriter(createWriteStream(path, { flags: 'wx' }), path, true, hashed);
  }

  async write(text: string): Promise<void> {
    this.chunk.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) await this.push();
  }

  private async push(): Promise<void> {
    if (this.failed) throw new AuditError('AUDIT_IO', `cannot write ${this.name}: ${this.failed.message}`);
    if (this.chunk.length === 0) return;
    const text = this.chunk.join('');
    this.chunk = [];
    this.size = 0;
    const data = Buffer.from(text, 'utf8');
    this.bytes += data.length;
    this.hash?.update(data);
    if (!this.out.write(data)) {
      // once() rejects when 'error' comes first, and removes its listeners either way.
      await once(this.out, 'drain').catch((err: Error) => (this.failed ??= err));
    }
    this.check();
  }

  private check(): void {
    const failed = this.failed;
    if (failed) throw new AuditError('AUDIT_IO', `cannot write ${this.name}: ${failed.message}`);
  }

  /** Flushes; ends the stream when it is ours. */
  async end(): Promise<void> {
    await this.push();
    if (!this.own) return;
    await new Promise<void>((resolve, reject) => {
      this.out.end((err?: Error | null) => (err ? reject(new AuditError('AUDIT_IO', `cannot write ${this.name}: ${err.message}`)) : resolve()));
    });
  }
}
