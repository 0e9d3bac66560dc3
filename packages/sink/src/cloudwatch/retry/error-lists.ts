/**
 * The retry policy's lists: the gate, as in undici's retry handler. A failed CloudWatch Logs call
 * is retried (forever, with capped backoff) only when its exception name, error code, error name,
 * message or HTTP status is on a retry list; its batch is bisected and the refused events rejected
 * only when its exception is on the reject list. A failure on no list is *unknown*: its events
 * stay in memory and in the spool, the call is tried again after a long wait (a capped backoff
 * from the first failure), and each one is counted and logged as an error, so that someone looks
 * at it and puts it on the list where it belongs. `classify-error.ts` applies the lists.
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
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
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
  // The answer could not be read (JSON.parse of a body cut short or not JSON, with the SDK's
  // $response attached): no verdict on the events was received.
  'SyntaxError',
]);

/** Messages of network errors that carry no code (older Node versions, some SDK paths). */
export const RETRYABLE_MESSAGES: readonly RegExp[] = [/socket hang up/i, /ECONNRESET/, /network ?error/i, /connection (reset|closed)/i];

/** HTTP statuses that are retried whatever the exception name: too many requests, and the server faults that pass. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Exception names of a 4xx answer that say "this request is wrong": the batch is bisected down to
 * the single events CloudWatch refuses, which are rejected with a reason code (request/deliver.ts).
 * Only names that judge the request's content belong here: a 4xx about the caller or the
 * destination (credentials, a KMS key, an unknown operation behind a wrong endpoint) would reject
 * every event for a fault that is not theirs.
 */
export const REJECTING_EXCEPTIONS: ReadonlySet<string> = new Set([
  'InvalidParameterException', // CloudWatch Logs: a parameter (an event, a name) is not valid
  'ValidationException', // the common AWS name for input that fails the API's constraints
  'SerializationException', // the request body does not fit the operation's shape
  'RequestEntityTooLargeException', // 413: smaller halves pass
]);
