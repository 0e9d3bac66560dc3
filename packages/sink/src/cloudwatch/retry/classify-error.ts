import {
  REJECTING_EXCEPTIONS,
  RETRYABLE_ERROR_NAMES,
  RETRYABLE_EXCEPTIONS,
  RETRYABLE_MESSAGES,
  RETRYABLE_NETWORK_CODES,
  RETRYABLE_STATUSES,
} from './error-lists.js';

/**
 * What to do after a failed call. The lists in error-lists.ts are the gate: nothing is retried
 * or rejected for not being something else.
 * - `missing`: ResourceNotFoundException: create the log stream (and group), then try again.
 * - `exists`: ResourceAlreadyExistsException: a create lost a race, which is success.
 * - `accepted`: DataAlreadyAcceptedException (pre-2023 sequence tokens): already stored.
 * - `retry`: on a retry list: the same request again after a backoff wait, forever.
 * - `reject`: a 4xx answer on the reject list: this request will never pass; the sender bisects
 *   the batch down to the single events CloudWatch refuses, counted with `reason`.
 * - `unknown`: on no list. Neither retried like a known transient failure nor given up on: the
 *   events stay in the spool, the same request is tried again after a long wait, and the failure
 *   is counted and logged as an error (retry/retry-run.ts). Giving up would lose accepted events
 *   for a reason nobody has judged; retrying fast would hammer CloudWatch with something that may
 *   never pass.
 */
export type ErrorClass = { kind: 'retry' | 'missing' | 'exists' | 'accepted' | 'unknown'; code: string } | { kind: 'reject'; code: string; reason: string };

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
  const retryable =
    RETRYABLE_EXCEPTIONS.has(name) ||
    RETRYABLE_EXCEPTIONS.has(errno) ||
    RETRYABLE_NETWORK_CODES.has(errno) ||
    RETRYABLE_ERROR_NAMES.has(name) ||
    (status !== undefined && RETRYABLE_STATUSES.has(status)) ||
    // The SDK's own list of retryable errors (throttling and transient codes of its models).
    (e.$retryable !== undefined && e.$retryable !== false) ||
    // Only without an answer: CloudWatch's error messages can quote an event's text.
    (status === undefined && RETRYABLE_MESSAGES.some((re) => re.test(message)));
  if (retryable) return { kind: 'retry', code };
  if (REJECTING_EXCEPTIONS.has(name) && status !== undefined && status >= 400 && status < 500) {
    return { kind: 'reject', code, reason: reasonFor(name) };
  }
  return { kind: 'unknown', code };
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
