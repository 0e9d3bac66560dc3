import {
  isRetryableStatus,
  RETRYABLE_ERROR_NAMES,
  RETRYABLE_EXCEPTIONS,
  RETRYABLE_MESSAGES,
  RETRYABLE_NETWORK_CODES,
} from './retryable-errors.js';

/**
 * What to do after a failed call:
 * - `retry`: the same request later (see retryable-errors.ts), forever.
 * - `missing`: ResourceNotFoundException: create the log group and stream, then retry.
 * - `exists`: ResourceAlreadyExistsException: a create lost a race, which is success.
 * - `accepted`: DataAlreadyAcceptedException (pre-2023 sequence tokens): already stored.
 * - `reject`: CloudWatch answered 4xx with anything else: this request will never pass; the
 *   sender bisects the batch down to the single events CloudWatch refuses, counted with `reason`.
 *
 * A failure without an HTTP answer that is not on the lists (a credential lookup that failed, a
 * response cut in the middle of its body) never reached a verdict on the events, so it is
 * retried too: giving up on it would drop events for a reason that is not theirs.
 */
export type ErrorClass =
  | { kind: 'retry' | 'missing' | 'exists' | 'accepted'; code: string }
  | { kind: 'reject'; code: string; reason: string };

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

export function classifyError(err: unknown): ErrorClass {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const errno = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const code = errorCode(err);

  if (name === 'ResourceNotFoundException') return { kind: 'missing', code };
  if (name === 'ResourceAlreadyExistsException') return { kind: 'exists', code };
  if (name === 'DataAlreadyAcceptedException') return { kind: 'accepted', code };
  if (RETRYABLE_EXCEPTIONS.has(name) || RETRYABLE_EXCEPTIONS.has(errno)) return { kind: 'retry', code };
  if (RETRYABLE_NETWORK_CODES.has(errno) || RETRYABLE_ERROR_NAMES.has(name)) return { kind: 'retry', code };
  if (status !== undefined && isRetryableStatus(status)) return { kind: 'retry', code };
  if (e.$retryable !== undefined && e.$retryable !== false) return { kind: 'retry', code };
  if (status !== undefined && status >= 400) return { kind: 'reject', code, reason: reasonFor(name || `http_${status}`) };
  if (RETRYABLE_MESSAGES.some((re) => re.test(message))) return { kind: 'retry', code };
  return { kind: 'retry', code };
}

/**
 * A bounded label value for `netsidecar_cloudwatch_errors_total{code}`: the exception name or
 * errno code when it looks like one, else `unknown` (no free text in labels).
 */
export function errorCode(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  for (const candidate of [e.code, e.name]) {
    if (typeof candidate === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(candidate) && candidate !== 'Error') return candidate;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  return 'unknown';
}

/** `InvalidParameterException` → `invalid_parameter`: the reason code of a refused event. */
export function reasonFor(name: string): string {
  const base = name.replace(/Exception$/, '').replace(/[^A-Za-z0-9]+/g, '_');
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return snake === '' ? 'unknown' : snake.slice(0, 48);
}
