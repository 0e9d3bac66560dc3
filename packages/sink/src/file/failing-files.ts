/**
 * Files of the file sink whose last write failed, with the lines they hold until a write succeeds.
 * One file that cannot be written (a directory or a read-only file where it should be, a name the
 * file system refuses) must not hold back the others: it is retried on its own, with backoff, while
 * every other file is written at each flush. Its lines stay in memory, in order, within a share of
 * the sink's memory limit (`FileSink` refuses new events for failing files beyond it).
 */
export interface Lines {
  /** The log stream the file belongs to. */
  stream: string;
  /** Lines with their `\n`: text, or the UTF-8 bytes of an encoded event. */
  lines: (string | Uint8Array)[];
  bytes: number;
  events: number;
}

export interface FailingFile {
  held: Lines;
  /** The error code of the last attempt (`EISDIR`, `EACCES`, `ENOSPC`...). */
  code: string;
  /** Failed attempts in a row. */
  attempts: number;
  /** Epoch ms of the next attempt. */
  retryAt: number;
}

export class FailingFiles {
  private readonly files = new Map<string, FailingFile>();
  /** Totals of what failing files hold. */
  bytes = 0;
  events = 0;

  constructor(
    private readonly firstDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** New lines of a failing file wait behind the ones it holds; false when `path` is not failing. */
  append(path: string, more: Lines): boolean {
    const file = this.files.get(path);
    if (!file) return false;
    for (const line of more.lines) file.held.lines.push(line);
    file.held.bytes += more.bytes;
    file.held.events += more.events;
    this.bytes += more.bytes;
    this.events += more.events;
    return true;
  }

  /** A write of `held` to `path` failed: hold its lines, next attempt after a doubling delay. */
  hold(path: string, held: Lines, code: string, attempts: number, now: number): void {
    const retryAt = now + Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** (attempts - 1));
    this.files.set(path, { held, code, attempts, retryAt });
    this.bytes += held.bytes;
    this.events += held.events;
  }

  /** Takes out the files due for another attempt (all of them when `all`); a new failure puts them back with `hold`. */
  takeDue(now: number, all: boolean): [string, FailingFile][] {
    const due = [...this.files].filter(([, file]) => all || file.retryAt <= now);
    for (const [path, file] of due) {
      this.files.delete(path);
      this.bytes -= file.held.bytes;
      this.events -= file.held.events;
    }
    return due;
  }

  /** Epoch ms of the next attempt of any failing file, or null when none fails. */
  nextRetryAt(): number | null {
    let next: number | null = null;
    for (const file of this.files.values()) if (next === null || file.retryAt < next) next = file.retryAt;
    return next;
  }

  entries(): IterableIterator<[string, FailingFile]> {
    return this.files.entries();
  }
}
