import t from 'tap';
import {
  InvalidParameterException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  DataAlreadyAcceptedException,
  AccessDeniedException,
} from '@aws-sdk/client-cloudwatch-logs';
import { backoffDelay, RETRY_BASE_MS, RETRY_CAP_MS } from '../src/cloudwatch/retry/backoff.js';
import { classifyError, errorCode, reasonFor } from '../src/cloudwatch/retry/classify-error.js';
import { RETRYABLE_NETWORK_CODES } from '../src/cloudwatch/retry/retryable-errors.js';
import { rejectedReasons } from '../src/cloudwatch/request/rejected-events.js';
import { RequestTimeoutError } from '../src/cloudwatch/request/call.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

t.test('full-jitter backoff: base 100 ms, doubling, capped at 30 s', async (t) => {
  t.equal(RETRY_BASE_MS, 100);
  t.equal(RETRY_CAP_MS, 30_000);
  const almostOne = () => 0.999999;
  t.same([0, 1, 2, 3].map((n) => backoffDelay(n, almostOne)), [99, 199, 399, 799]);
  t.equal(backoffDelay(9, almostOne), 29_999, '100 * 2^9 = 51.2 s is capped');
  t.equal(backoffDelay(10_000, almostOne), 29_999, 'huge attempt numbers neither overflow nor exceed the cap');
  t.equal(backoffDelay(5, () => 0), 0, 'full jitter starts at zero');
  t.equal(backoffDelay(2, () => 0.5, 10, 1000), 20);
});

t.test('retryable: throttling, 5xx, timeouts, network errors, auth', async (t) => {
  const retry = [
    new ThrottlingException({ message: 'Rate exceeded', ...meta(400) }),
    new ServiceUnavailableException({ message: 'down', ...meta(503) }),
    Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure', $fault: 'server', ...meta(500) }),
    Object.assign(new Error('odd'), { name: 'SomethingNew', ...meta(502) }),
    Object.assign(new Error('slow down'), { name: 'Whatever', ...meta(429) }),
    new RequestTimeoutError('PutLogEvents', 10_000),
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
    new AccessDeniedException({ message: 'no', ...meta(400) }),
    Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    new SyntaxError('Unexpected end of JSON input'), // a response cut in its body: no verdict on the events
  ];
  for (const err of retry) t.equal(classifyError(err).kind, 'retry', `${(err as Error).name}: ${(err as Error).message}`);
  for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']) t.ok(RETRYABLE_NETWORK_CODES.has(code), code);
});

t.test('special cases: missing, already exists, already accepted', async (t) => {
  t.equal(classifyError(new ResourceNotFoundException({ message: 'x', ...meta(400) })).kind, 'missing');
  t.equal(classifyError(new ResourceAlreadyExistsException({ message: 'x', ...meta(400) })).kind, 'exists');
  t.equal(classifyError(new DataAlreadyAcceptedException({ message: 'x', ...meta(400) })).kind, 'accepted');
});

t.test('not retryable: other 4xx answers, with a reason code', async (t) => {
  t.same(classifyError(new InvalidParameterException({ message: "Value 'secret' at ...", ...meta(400) })), {
    kind: 'reject',
    code: 'InvalidParameterException',
    reason: 'invalid_parameter',
  });
  t.same(classifyError(Object.assign(new Error('x'), { name: 'ValidationException', ...meta(400) })), {
    kind: 'reject',
    code: 'ValidationException',
    reason: 'validation',
  });
  t.equal(reasonFor('SerializationException'), 'serialization');
  t.equal(reasonFor('KMSInvalidStateException'), 'kms_invalid_state');
});

t.test('error codes for the metric label are bounded', async (t) => {
  t.equal(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' })), 'ECONNRESET');
  t.equal(errorCode(new ThrottlingException({ message: 'x', ...meta(400) })), 'ThrottlingException');
  t.equal(errorCode(new Error('socket hang up')), 'ECONNRESET');
  t.equal(errorCode(new Error('anything')), 'unknown');
  t.equal(errorCode('a string'), 'unknown');
  t.equal(errorCode(Object.assign(new Error('x'), { name: 'has spaces and "quotes"' })), 'unknown');
});

t.test('rejectedLogEventsInfo: exclusive ends, inclusive start, each event counted once', async (t) => {
  t.equal(rejectedReasons(undefined, 5), undefined);
  t.equal(rejectedReasons({}, 5), undefined);
  t.same(rejectedReasons({ tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 }, 5), ['too_old', 'too_old', undefined, undefined, 'too_new']);
  t.same(rejectedReasons({ expiredLogEventEndIndex: 3, tooOldLogEventEndIndex: 1 }, 4), ['too_old', 'expired', 'expired', undefined]);
  t.same(rejectedReasons({ tooNewLogEventStartIndex: -3, tooOldLogEventEndIndex: 99 }, 2), ['too_old', 'too_old'], 'indexes clamped');
});
