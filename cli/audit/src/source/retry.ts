import { AuditError } from '../errors.js';

/**
 * Retries of CloudWatch Logs and S3 reads. The SDK's own retries are off (maxAttempts 1) so that this is
 * the one policy, with an explicit list (as undici's retry handler): throttling and server trouble
 * are retried with full-jitter backoff and a cap; anything else fails at once. Exhaustion is a
 * clear AUDIT_THROTTLED, never a partial answer that looks complete.
 */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'LimitExceededException', // Logs Insights: too many concurrent queries
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'TimeoutError',
  'SlowDown', // S3
  'InternalError', // S3
  'ServiceUnavailable', // S3
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export interface RetryPolicy {
  maxAttempts: number; // 8
  baseMs: number; // 200 ms
  capMs: number; // 10 s
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy = (): RetryPolicy => ({
  maxAttempts: 8,
  baseMs: 200,
  capMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

export function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string; $metadata?: unknown } | null;
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  return e?.name ?? 'Error';
}

/** One API call of a source, counted by operation (retries included) and retried by the policy. */
export function countedCalls(policy: RetryPolicy, counts: Record<string, number>, onRetry?: (operation: string) => void) {
  return <T>(operation: string, send: () => Promise<T>): Promise<T> =>
    withRetry(
      operation,
      policy,
      () => {
        counts[operation] = (counts[operation] ?? 0) + 1;
        return send();
      },
      () => onRetry?.(operation),
    );
}

export async function withRetry<T>(operation: string, policy: RetryPolicy, call: () => Promise<T>, onRetry?: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const name = errorName(err);
      if (err instanceof AuditError) throw err;
      if (name === 'CredentialsProviderError') {
        throw new AuditError('AUDIT_NO_CREDENTIALS', `no AWS credentials: ${(err as Error).message}`);
      }
      if (!RETRYABLE_ERRORS.has(name)) {
        throw new AuditError('AUDIT_AWS_ERROR', `${operation} failed: ${name}: ${(err as Error).message}`);
      }
      if (attempt >= policy.maxAttempts) {
        throw new AuditError(
          'AUDIT_THROTTLED',
          `${operation} still failing with ${name} after ${attempt} attempts over the backoff; nothing was written as complete. Try again later or a smaller range`,
        );
      }
      onRetry?.();
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      await policy.sleep(Math.floor(policy.random() * ceiling));
    }
  }
}
