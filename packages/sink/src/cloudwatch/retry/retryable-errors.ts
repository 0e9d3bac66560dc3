/**
 * Which failures of a CloudWatch Logs call are retried, forever, with backoff. Kept apart and
 * explicit (as undici's retry handler does) so a reviewer can see the whole policy at once.
 * `classify-error.ts` applies it; anything else that CloudWatch answered with a 4xx is "the
 * request is wrong" and is never retried as it is.
 */

/** Exception names (the `__type` of the answer) that say "not now" rather than "not this". */
export const RETRYABLE_EXCEPTIONS: ReadonlySet<string> = new Set([
  // Throttling: CloudWatch's per-account PutLogEvents quota, and the generic AWS names.
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  // Server side.
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalServerException',
  'InternalFailure',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  // Another control-plane call on the same resource (two tasks creating the same group).
  'OperationAbortedException',
  // A quota (number of log groups): fixed by an operator, and the events must wait for them.
  'LimitExceededException',
  'ServiceQuotaExceededException',
  // Credentials and permissions. These are about the task, not the events: the fix is an IAM
  // policy or a credential refresh. Giving up would drop every event of the service, so they
  // wait in the spool (and the error counter shows the code) until it is fixed.
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'UnrecognizedClientException',
  'AccessDeniedException',
  'AccessDenied',
  'CredentialsProviderError',
  // Sequence tokens are ignored since 2023; should one still come back, trying again is right.
  'InvalidSequenceTokenException',
]);

/** `err.code` of Node.js network errors that mean the request may not have been handled. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', // includes Node's "socket hang up": the peer closed before answering
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND', // DNS, e.g. while the VPC resolver restarts
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENOBUFS',
  'EPROTO', // TLS record errors on a broken connection
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Error names raised by the SDK or by us when a request took too long or was cut. */
export const RETRYABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'AbortError', // our per-request timeout aborted it
  'TimeoutError', // the SDK's requestHandler timeouts
  'RequestTimeoutError', // ours, see request/call.ts
]);

/** Messages of network errors that carry no code (older Node versions, some SDK paths). */
export const RETRYABLE_MESSAGES: readonly RegExp[] = [/socket hang up/i, /ECONNRESET/, /network ?error/i, /connection (reset|closed)/i];

/** HTTP statuses that are retried whatever the exception name. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
