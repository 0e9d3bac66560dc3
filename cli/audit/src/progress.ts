/**
 * One status line on stderr, rewritten at most 4 times a second, only when stderr is a terminal:
 * piped or in CI the CLI stays quiet (the issue: "stays quiet when not a TTY").
 */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Progress {
  private last = 0;
  private shown = false;
  readonly enabled: boolean;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = out.isTTY === true;
  }

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const t = this.now();
    if (!force && t - this.last < 250) return;
    this.last = t;
    this.shown = true;
    this.out.write(`\r\x1b[2K${text.slice(0, 120)}`);
  }

  /** Clears the line so that what follows starts clean. */
  done(): void {
    if (!this.enabled || !this.shown) return;
    this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}

export const count = (n: number): string => n.toLocaleString('en-US');
