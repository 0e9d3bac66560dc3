import type { Logger } from '@netsidecar/telemetry';
import { sleep, type Timers } from '../timers.js';
import { backoffDelay } from './backoff.js';

export interface RetryContext {
  logger: Logger;
  timers: Timers;
  /** [0, 1) source for the jitter. */
  random: () => number;
  retryBaseMs: number;
  retryCapMs: number;
  /** Aborted when the sink stops: a wait ends at once with SinkStoppedError. */
  stop: AbortSignal;
}

/**
 * A run of failures of one operation on one destination: the wait before each new try (capped
 * full-jitter backoff, backoff.ts), and the operator's view of the run: its first failure, every
 * 10th, and the recovery.
 */
export class RetryRun {
  readonly #ctx: RetryContext;
  readonly #operation: string;
  readonly #where: Record<string, string>;
  #attempt = 0;

  constructor(ctx: RetryContext, operation: string, where: Record<string, string>) {
    this.#ctx = ctx;
    this.#operation = operation;
    this.#where = where;
  }

  /** Waits before the next try; `code` names the failure (see errorCode()), `err` gives its HTTP status. */
  async failed(code: string, err: unknown): Promise<void> {
    const attempt = this.#attempt++;
    const delay = backoffDelay(attempt, this.#ctx.random, this.#ctx.retryBaseMs, this.#ctx.retryCapMs);
    if (attempt % 10 === 0) {
      const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
      this.#ctx.logger.warn('cloudwatch call failed; retrying', {
        operation: this.#operation,
        ...this.#where,
        code,
        ...(status === undefined ? {} : { status }),
        attempt: attempt + 1,
        retryInMs: delay,
      });
    }
    await sleep(this.#ctx.timers, delay, this.#ctx.stop);
  }

  /** The operation went through: a run of failures, if any, is over. */
  succeeded(): void {
    if (this.#attempt > 0) {
      this.#ctx.logger.info('cloudwatch call succeeded after retries', { operation: this.#operation, ...this.#where, failures: this.#attempt });
    }
    this.#attempt = 0;
  }
}
