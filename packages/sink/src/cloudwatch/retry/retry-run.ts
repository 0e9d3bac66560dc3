import type { Logger } from '@netsidecar/telemetry';
import type { SinkMetrics } from '../metrics.js';
import { sleep, type Timers } from '../timers.js';
import { DRAIN_RETRY_CAP_MS, backoffDelay, unknownErrorDelay } from './backoff.js';
import type { ErrorClass } from './classify-error.js';

export interface RetryContext {
  logger: Logger;
  timers: Timers;
  /** [0, 1) source for the jitter. */
  random: () => number;
  retryBaseMs: number;
  retryCapMs: number;
  metrics: SinkMetrics;
  /** Aborted when the sink stops: a wait ends at once with SinkStoppedError. */
  stop: AbortSignal;
  /**
   * Aborted when the drain starts (close()): a wait under way ends at once and the call is tried
   * again; from then on every wait is short (at most DRAIN_RETRY_CAP_MS), known failure or not.
   */
  drain: AbortSignal;
}

/**
 * A run of failures of one operation on one destination: the wait before each new try, and the
 * operator's view of the run. A known failure waits a capped full-jitter backoff (backoff.ts) and
 * is logged as a warning at its first occurrence and every 10th; an unknown one (on none of the
 * lists of error-lists.ts) waits long, and each one is counted and logged as an error. During a
 * drain every wait is a short backoff (capped at DRAIN_RETRY_CAP_MS), and the drain's start ends
 * the waits under way: a task that is going away tries until its deadline instead of sleeping.
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

  /** Waits before the next try. `err` (when there is one) gives the HTTP status for the log. */
  async failed(failure: Pick<ErrorClass, 'kind' | 'code'>, err: unknown): Promise<void> {
    const { logger, random, retryBaseMs, retryCapMs } = this.#ctx;
    const attempt = this.#attempt++;
    const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
    const fields = { operation: this.#operation, ...this.#where, code: failure.code, ...(status === undefined ? {} : { status }), attempt: attempt + 1 };
    const draining = this.#ctx.drain.aborted;
    let delay: number;
    if (failure.kind === 'unknown') {
      delay = draining ? backoffDelay(attempt, random, retryBaseMs, DRAIN_RETRY_CAP_MS) : unknownErrorDelay(random, retryCapMs);
      this.#ctx.metrics.unknownErrors.inc({ operation: this.#operation });
      // No error message: CloudWatch's can quote an event. The code names the error to list.
      const retrying = draining ? 'retrying soon: the sink is draining' : 'retrying after a long wait';
      logger.error(`cloudwatch call failed with an error the retry policy does not list; events kept in the spool, ${retrying}`, {
        ...fields,
        retryInMs: delay,
      });
    } else {
      delay = backoffDelay(attempt, random, retryBaseMs, draining ? Math.min(retryCapMs, DRAIN_RETRY_CAP_MS) : retryCapMs);
      if (attempt % 10 === 0) logger.warn('cloudwatch call failed; retrying', { ...fields, retryInMs: delay });
    }
    // A wait that starts before the drain is ended by it; one during the drain is short already.
    await sleep(this.#ctx.timers, delay, this.#ctx.stop, draining ? undefined : this.#ctx.drain);
  }

  /** The operation went through: a run of failures, if any, is over. */
  succeeded(): void {
    if (this.#attempt > 0) {
      this.#ctx.logger.info('cloudwatch call succeeded after retries', { operation: this.#operation, ...this.#where, failures: this.#attempt });
    }
    this.#attempt = 0;
  }
}
