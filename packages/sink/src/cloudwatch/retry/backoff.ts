/**
 * Capped exponential backoff with full jitter (Marc Brooker, "Exponential Backoff And Jitter",
 * AWS Architecture Blog, 2015): the wait before retry n is uniform in [0, min(cap, base * 2^n)).
 * Full jitter spreads the retries of many tasks that failed together (an outage ending), which is
 * what CloudWatch's per-account throttling needs.
 */
export const RETRY_BASE_MS = 100; // 100 ms: the ceiling of the first wait
export const RETRY_CAP_MS = 30_000; // 30 s: no wait is longer, however long the outage
/**
 * During a drain (close()) no wait is longer than this: the deadline is near and a task that is
 * going away has better use for its seconds than sleeping; the jitter still spreads the retries.
 */
export const DRAIN_RETRY_CAP_MS = 1_000; // 1 s

/** Milliseconds to wait before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, random: () => number, baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 40));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait after a failure the retry policy does not know (classify-error.ts): in
 * [cap / 2, cap), from the first one. Long, because the same request may fail the same way for
 * good; jittered, so the streams that met it together do not come back together.
 */
export function unknownErrorDelay(random: () => number, capMs = RETRY_CAP_MS): number {
  return Math.floor(capMs / 2 + random() * (capMs / 2));
}
