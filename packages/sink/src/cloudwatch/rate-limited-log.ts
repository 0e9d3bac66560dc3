import type { Logger } from '@netsidecar/telemetry';

/** Logs the 1st, 10th, 100th... occurrence of a message, so a flood cannot flood the log. */
export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #counts = new Map<string, number>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    const n = (this.#counts.get(msg) ?? 0) + 1;
    this.#counts.set(msg, n);
    if (Number.isInteger(Math.log10(n))) this.#logger[level](msg, { ...fields, occurrences: n });
  }
}
