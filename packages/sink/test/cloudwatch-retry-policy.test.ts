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
import { backoffDelay, RETRY_BASE_MS, RETRY_CAP_MS, unknownErrorDelay } from '../src/cloudwatch/retry/backoff.js';
import { classifyError, errorCode, reasonFor } from '../src/cloudwatch/retry/classify-error.js';
import { REJECTING_EXCEPTIONS, RETRYABLE_ERROR_NAMES, RETRYABLE_EXCEPTIONS, RETRYABLE_NETWORK_CODES } from '../src/cloudwatch/retry/error-lists.js';
import { rejectedReasons } from '../src/cloudwatch/request/rejected-events.js';
import { RequestTimeoutError } from '../src/cloudwatch/request/call.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

t.test('full-jitter backoff: base 100 ms, doubling, capped at 30 s', async (t) => {
  t.equal(RETRY_BASE_MS, 100);
  t.equal(RETRY_CAP_MS, 30_000);
  const almostOne = () => 0.999999;
  t.same(
    [0, 1, 2, 3].map((n) => backoffDelay(n, almostOne)),
    [99, 199, 399, 799],
  );
  t.equal(backoffDelay(9, almostOne), 29_999, '100 * 2^9 = 51.2 s is capped');
  t.equal(backoffDelay(10_000, almostOne), 29_999, 'huge attempt numbers neither overflow nor exceed the cap');
  t.equal(
    backoffDelay(5, () => 0),
    0,
    'full jitter starts at zero',
  );
  t.equal(
    backoffDelay(2, () => 0.5, 10, 1000),
    20,
  );
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

t.test('the lists are the gate: a failure on none of them is unknown, neither retried fast nor rejected', async (t) => {
  const unknown = [
    Object.assign(new Error('x'), { name: 'BrandNewException', $fault: 'client', ...meta(400) }), // a 4xx outside the model
    Object.assign(new Error('x'), { name: 'KMSInvalidStateException', ...meta(400) }), // about the destination, not the events
    Object.assign(new Error('x'), { name: 'UnknownOperationException', ...meta(400) }), // a wrong endpoint
    Object.assign(new Error('x'), { name: 'NotImplemented', ...meta(501) }), // a 5xx that does not pass
    new TypeError("Cannot read properties of undefined (reading 'x')"), // a bug, no answer
    new Error('anything'),
  ];
  for (const err of unknown) t.equal(classifyError(err).kind, 'unknown', `${err.name}: ${err.message}`);
  t.same(classifyError(new TypeError('x')), { kind: 'unknown', code: 'TypeError' }, 'the code names what to put on a list');
});

t.test('retry and reject lists: credentials wait, a refused request is bisected, event text never decides', async (t) => {
  for (const name of ['MissingAuthenticationTokenException', 'InvalidClientTokenId', 'ExpiredTokenException']) {
    t.equal(classifyError(Object.assign(new Error('x'), { name, ...meta(403) })).kind, 'retry', name);
  }
  t.same(classifyError(Object.assign(new Error('too large'), { name: 'RequestEntityTooLargeException', ...meta(413) })), {
    kind: 'reject',
    code: 'RequestEntityTooLargeException',
    reason: 'request_entity_too_large',
  });
  // CloudWatch's message can quote an event: a logged "socket hang up" must not turn a refusal into a retry loop.
  const quoting = new InvalidParameterException({ message: "Value 'socket hang up: network error' at 'logEvents.1.member.message'", ...meta(400) });
  t.equal(classifyError(quoting).kind, 'reject');
  t.equal(classifyError(new Error('socket hang up')).kind, 'retry', 'without an answer, the message patterns apply');
  const reject = [...REJECTING_EXCEPTIONS];
  t.same(
    reject.filter((name) => RETRYABLE_EXCEPTIONS.has(name) || RETRYABLE_ERROR_NAMES.has(name)),
    [],
    'no name on both lists',
  );
  t.same(classifyError(Object.assign(new Error('x'), { name: 'ValidationException' })).kind, 'unknown', 'a reject name needs a 4xx answer');
});

t.test('an unknown failure waits long: [cap / 2, cap) from the first one', async (t) => {
  t.equal(
    unknownErrorDelay(() => 0),
    15_000,
  );
  t.equal(
    unknownErrorDelay(() => 0.999999),
    29_999,
  );
  t.equal(
    unknownErrorDelay(() => 0.5, 1_000),
    750,
  );
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
