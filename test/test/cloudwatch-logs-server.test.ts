import { request } from 'node:http';
import t, { type Test } from 'tap';
import {
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  paginateDescribeLogStreams,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  type CloudWatchLogsClient,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_EVENT_MESSAGE_BYTES,
  cloudWatchLogsClientFor,
  startFakeCloudWatchLogs,
  type FakeCloudWatchLogs,
} from '@netsidecar/test-support';

// Every test runs the real SDK client against the fake over real HTTP on 127.0.0.1.

const NOW = Date.UTC(2026, 10, 22, 23, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GROUP = '/netsidecar/syslog';
const STREAM = 'rtr-tyo-1';

interface Setup {
  fake: FakeCloudWatchLogs;
  client: CloudWatchLogsClient;
  clock: { now: number };
}

async function setup(t: Test, seed = true): Promise<Setup> {
  const clock = { now: NOW };
  const fake = await startFakeCloudWatchLogs({ now: () => clock.now });
  const client = cloudWatchLogsClientFor(fake);
  t.teardown(async () => {
    client.destroy();
    await fake.close();
  });
  if (seed) {
    fake.createLogGroup(GROUP);
    fake.createLogStream(GROUP, STREAM);
  }
  return { fake, client, clock };
}

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the call to fail, it succeeded');
}

const put = (client: CloudWatchLogsClient, logEvents: InputLogEvent[], logStreamName = STREAM, logGroupName = GROUP) =>
  client.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));

const at = (...timestamps: number[]): InputLogEvent[] => timestamps.map((timestamp, i) => ({ timestamp, message: `m${i}` }));

/** A PutLogEvents the client gives up on once the fake has it; resolves when the fake is done with it. */
async function putAbandoned(fake: FakeCloudWatchLogs, client: CloudWatchLogsClient): Promise<void> {
  const arrived = fake.nextCall('PutLogEvents');
  const abort = new AbortController();
  const sent = failure(client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: at(NOW) }), { abortSignal: abort.signal }));
  await arrived;
  abort.abort();
  await sent;
  await fake.settled();
}

/** A raw request, for what the SDK never sends wrong. */
function rawPost(endpoint: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKIDFAKE/20261122/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00';

t.test('round trip with the real SDK: groups, streams, events, retention, deletion', async (t) => {
  const { fake, client } = await setup(t, false);
  await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));

  const out = await client.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: STREAM,
      sequenceToken: 'not-a-valid-token', // ignored, as AWS does now
      logEvents: [
        { timestamp: NOW - 2000, message: 'first' },
        { timestamp: NOW - 1000, message: 'señal' },
      ],
    }),
  );
  t.type(out.nextSequenceToken, 'string');
  t.equal(out.rejectedLogEventsInfo, undefined);
  t.same(fake.events(GROUP, STREAM), [
    { timestamp: NOW - 2000, message: 'first', ingestionTime: NOW },
    { timestamp: NOW - 1000, message: 'señal', ingestionTime: NOW },
  ]);
  t.same(fake.streams(), [{ logGroup: GROUP, logStream: STREAM }]);
  const [call] = fake.calls('PutLogEvents');
  t.match(call, { operation: 'PutLogEvents', status: 200, eventCount: 2, bytes: 5 + 6 + 2 * 26, applied: true, at: NOW });
  t.equal(call?.fault, undefined);

  const got = await client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }));
  t.same(
    got.events?.map((e) => e.message),
    ['first', 'señal'],
  );

  const streams = await client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
  t.match(streams.logStreams, [
    { logStreamName: STREAM, creationTime: NOW, firstEventTimestamp: NOW - 2000, lastEventTimestamp: NOW - 1000, lastIngestionTime: NOW },
  ]);
  t.match(streams.logStreams?.[0]?.arn, /^arn:aws:logs:us-east-1:\d{12}:log-group:\/netsidecar\/syslog:log-stream:rtr-tyo-1$/);

  t.same(fake.retentionPolicies(), {});
  await client.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 365 }));
  t.same(fake.retentionPolicies(), { [GROUP]: 365 });
  const badRetention = await failure(client.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 2 })));
  t.ok(badRetention instanceof InvalidParameterException, badRetention.name);
  const groups = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/netsidecar/' }));
  t.match(groups.logGroups, [{ logGroupName: GROUP, retentionInDays: 365, creationTime: NOW, storedBytes: 11 }]);

  t.notOk('kmsKeyId' in (groups.logGroups?.[0] ?? {}), 'no key given, none described');
  const key = 'arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
  await client.send(new CreateLogGroupCommand({ logGroupName: '/netsidecar/keyed', kmsKeyId: key }));
  const keyed = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/netsidecar/keyed' }));
  t.equal(keyed.logGroups?.[0]?.kmsKeyId, key, 'the key given to CreateLogGroup is described');
  const badKey = await failure(client.send(new CreateLogGroupCommand({ logGroupName: '/netsidecar/badkey', kmsKeyId: 'alias/netsidecar' })));
  t.ok(badKey instanceof InvalidParameterException, `a key that is not an ARN: ${badKey.name}`);
  await client.send(new DeleteLogGroupCommand({ logGroupName: '/netsidecar/keyed' }));

  const dupGroup = await failure(client.send(new CreateLogGroupCommand({ logGroupName: GROUP })));
  t.ok(dupGroup instanceof ResourceAlreadyExistsException, dupGroup.name);
  t.equal(dupGroup.$metadata.httpStatusCode, 400);
  const dupStream = await failure(client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM })));
  t.ok(dupStream instanceof ResourceAlreadyExistsException, dupStream.name);
  const badStream = await failure(client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: '2001:db8::1' })));
  t.ok(badStream instanceof InvalidParameterException, badStream.name);

  await client.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
  t.same(fake.streams(), []);
  t.same(fake.retentionPolicies(), {});
  const gone = await failure(client.send(new DeleteLogGroupCommand({ logGroupName: GROUP })));
  t.ok(gone instanceof ResourceNotFoundException, gone.name);
});

t.test('the envelope: SigV4 header, target, content type, JSON', async (t) => {
  const { fake } = await setup(t);
  const json = 'application/x-amz-json-1.1';
  const target = 'Logs_20140328.DescribeLogGroups';

  let res = await rawPost(fake.endpoint, { 'content-type': json, 'x-amz-target': target }, '{}');
  t.equal(res.status, 403);
  t.equal(res.body['__type'], 'MissingAuthenticationTokenException');

  res = await rawPost(fake.endpoint, { 'content-type': json, 'x-amz-target': target, authorization: 'Bearer x' }, '{}');
  t.equal(res.status, 400);
  t.equal(res.body['__type'], 'IncompleteSignatureException');

  res = await rawPost(fake.endpoint, { 'content-type': json, 'x-amz-target': 'Logs_20140328.PutSubscriptionFilter', authorization: SIGNED }, '{}');
  t.equal(res.status, 400);
  t.equal(res.body['__type'], 'UnknownOperationException');

  res = await rawPost(fake.endpoint, { 'content-type': json, 'x-amz-target': target, authorization: SIGNED }, '{"limit":');
  t.equal(res.status, 400);
  t.equal(res.body['__type'], 'SerializationException');

  res = await rawPost(fake.endpoint, { 'content-type': 'application/json', 'x-amz-target': target, authorization: SIGNED }, '{}');
  t.equal(res.status, 400);
  t.equal(res.body['__type'], 'SerializationException');

  res = await rawPost(fake.endpoint, { 'content-type': json, 'x-amz-target': target, authorization: SIGNED }, '{}');
  t.equal(res.status, 200);
  t.match(res.body, { logGroups: [{ logGroupName: GROUP }] });

  t.same(
    fake.calls().map((c) => [c.operation, c.status, c.error]),
    [
      ['DescribeLogGroups', 403, 'MissingAuthenticationTokenException'],
      ['DescribeLogGroups', 400, 'IncompleteSignatureException'],
      ['PutSubscriptionFilter', 400, 'UnknownOperationException'],
      ['DescribeLogGroups', 400, 'SerializationException'],
      ['DescribeLogGroups', 400, 'SerializationException'],
      ['DescribeLogGroups', 200, undefined],
    ],
  );
});

t.test('PutLogEvents: the log group and the log stream must exist', async (t) => {
  const { fake, client } = await setup(t);
  const noGroup = await failure(put(client, at(NOW), STREAM, '/nope'));
  t.ok(noGroup instanceof ResourceNotFoundException, noGroup.name);
  t.match(noGroup.message, /log group does not exist/);
  t.equal(noGroup.$metadata.httpStatusCode, 400);
  const noStream = await failure(put(client, at(NOW), 'nope'));
  t.ok(noStream instanceof ResourceNotFoundException, noStream.name);
  t.match(noStream.message, /log stream does not exist/);
  t.same(
    fake.calls('PutLogEvents').map((c) => [c.status, c.error, c.applied]),
    [
      [400, 'ResourceNotFoundException', false],
      [400, 'ResourceNotFoundException', false],
    ],
  );
});

t.test('PutLogEvents: empty batch and empty message are InvalidParameterException', async (t) => {
  const { fake, client } = await setup(t);
  const empty = await failure(put(client, []));
  t.ok(empty instanceof InvalidParameterException, empty.name);
  t.match(empty.message, /logEvents.*length greater than or equal to 1/);
  const blank = await failure(put(client, [{ timestamp: NOW, message: '' }]));
  t.ok(blank instanceof InvalidParameterException, blank.name);
  t.same(fake.events(GROUP, STREAM), []);
});

t.test('PutLogEvents: at most 10,000 events', async (t) => {
  const { fake, client } = await setup(t);
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ timestamp: NOW, message: String(i) }));
  const tooMany = await failure(put(client, many(MAX_BATCH_EVENTS + 1)));
  t.ok(tooMany instanceof InvalidParameterException, tooMany.name);
  t.match(tooMany.message, /less than or equal to 10000/);
  t.equal(fake.events(GROUP, STREAM).length, 0);
  await put(client, many(MAX_BATCH_EVENTS));
  t.equal(fake.events(GROUP, STREAM).length, 10_000);
  t.equal(fake.calls('PutLogEvents')[0]?.eventCount, 10_001);
});

t.test('PutLogEvents: batch size counts UTF-8 bytes + 26 per event, limit 1,048,576', async (t) => {
  const { fake, client } = await setup(t);
  // 'é' is 1 UTF-16 unit but 2 UTF-8 bytes: a limit counted in characters would accept more.
  const wide = 'é'.repeat(200_000);
  const narrowBytes = MAX_BATCH_BYTES - 2 * 26 - 400_000;
  const exact = [
    { timestamp: NOW, message: wide },
    { timestamp: NOW, message: 'a'.repeat(narrowBytes) },
  ];
  const over = [exact[0]!, { timestamp: NOW, message: 'a'.repeat(narrowBytes + 1) }];
  const tooLarge = await failure(put(client, over));
  t.ok(tooLarge instanceof InvalidParameterException, tooLarge.name);
  t.match(tooLarge.message, /1048577 bytes exceeds limit of 1048576/);
  t.equal(fake.calls('PutLogEvents')[0]?.bytes, 1_048_577);
  t.equal(fake.events(GROUP, STREAM).length, 0);
  await put(client, exact);
  t.equal(fake.events(GROUP, STREAM).length, 2);
});

t.test('PutLogEvents: one event is at most 1 MB (1,048,550 message bytes + 26)', async (t) => {
  const { fake, client } = await setup(t);
  t.equal(MAX_EVENT_MESSAGE_BYTES, 1_048_550);
  const tooBig = await failure(put(client, [{ timestamp: NOW, message: 'x'.repeat(MAX_EVENT_MESSAGE_BYTES + 1) }]));
  t.ok(tooBig instanceof InvalidParameterException, tooBig.name);
  t.match(tooBig.message, /Log event too large/);
  await put(client, [{ timestamp: NOW, message: 'x'.repeat(MAX_EVENT_MESSAGE_BYTES) }]);
  t.equal(fake.events(GROUP, STREAM)[0]?.message.length, MAX_EVENT_MESSAGE_BYTES);
});

t.test('PutLogEvents: events must be in chronological order (equal timestamps are fine)', async (t) => {
  const { fake, client } = await setup(t);
  const disorder = await failure(put(client, at(NOW, NOW - 1)));
  t.ok(disorder instanceof InvalidParameterException, disorder.name);
  t.match(disorder.message, /chronological order/);
  t.equal(fake.events(GROUP, STREAM).length, 0);
  await put(client, at(NOW - 1, NOW, NOW));
  t.equal(fake.events(GROUP, STREAM).length, 3);
});

t.test('PutLogEvents: kept events may span 24 hours, not more; rejected ones do not count', async (t) => {
  const { fake, client } = await setup(t);
  const wide = await failure(put(client, at(NOW - DAY - 1, NOW)));
  t.ok(wide instanceof InvalidParameterException, wide.name);
  t.match(wide.message, /cannot span more than 24 hours/);
  t.equal(fake.events(GROUP, STREAM).length, 0);
  await put(client, at(NOW - DAY, NOW));
  t.equal(fake.events(GROUP, STREAM).length, 2);
  // 15 days from first to last, but the first is too old: the kept span is 1 hour.
  const out = await put(client, at(NOW - 15 * DAY, NOW - HOUR, NOW));
  t.same(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
  t.equal(fake.events(GROUP, STREAM).length, 4);
});

t.test('PutLogEvents: too old and too new events are not stored, rejectedLogEventsInfo says which', async (t) => {
  const { fake, client } = await setup(t);
  const out = await put(client, [
    { timestamp: NOW - 15 * DAY, message: 'old-0' },
    { timestamp: NOW - 14 * DAY - 1, message: 'old-1' },
    { timestamp: NOW - 1000, message: 'kept-2' },
    { timestamp: NOW + 2 * HOUR, message: 'kept-3' }, // exactly 2 hours ahead is not "more than"
    { timestamp: NOW + 2 * HOUR + 1, message: 'new-4' },
    { timestamp: NOW + 3 * HOUR, message: 'new-5' },
  ]);
  t.same(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
  t.type(out.nextSequenceToken, 'string');
  t.same(
    fake.events(GROUP, STREAM).map((e) => e.message),
    ['kept-2', 'kept-3'],
  );

  const boundary = await put(client, at(NOW - 14 * DAY - 1, NOW - 14 * DAY));
  t.same(boundary.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });

  const allNew = await put(client, at(NOW + 3 * HOUR));
  t.same(allNew.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 0 });
  t.equal(fake.events(GROUP, STREAM).length, 3);
  t.same(
    fake.calls('PutLogEvents').map((c) => c.applied),
    [true, true, true],
  );
});

t.test('PutLogEvents: events older than the retention period are expired', async (t) => {
  const { fake, client } = await setup(t);
  await client.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 1 }));
  const out = await put(client, at(NOW - 2 * DAY, NOW - DAY - 1, NOW - 10));
  t.same(out.rejectedLogEventsInfo, { expiredLogEventEndIndex: 2 });
  t.same(
    fake.events(GROUP, STREAM).map((e) => e.timestamp),
    [NOW - 10],
  );
});

t.test('the injected clock decides ingestion time, creation time and what is too old', async (t) => {
  const { fake, client, clock } = await setup(t, false);
  clock.now = NOW + 5;
  fake.createLogGroup(GROUP);
  await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
  await put(client, at(NOW - DAY));
  clock.now = NOW + 20 * DAY;
  const late = await put(client, at(NOW - DAY));
  t.same(late.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
  t.same(fake.events(GROUP, STREAM), [{ timestamp: NOW - DAY, message: 'm0', ingestionTime: NOW + 5 }]);
  const groups = await client.send(new DescribeLogGroupsCommand({}));
  t.equal(groups.logGroups?.[0]?.creationTime, NOW + 5);
  const streams = await client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
  t.equal(streams.logStreams?.[0]?.creationTime, NOW + 5);
  t.same(
    fake.calls('PutLogEvents').map((c) => c.at),
    [NOW + 5, NOW + 20 * DAY],
  );
});

t.test('faults: throttle, service-unavailable, internal-error, resource-not-found, FIFO one per call', async (t) => {
  const { fake, client } = await setup(t);
  fake.fault('PutLogEvents', { kind: 'throttle' }, { kind: 'service-unavailable' }, { kind: 'internal-error' }, { kind: 'resource-not-found' });

  const throttled = await failure(put(client, at(NOW)));
  t.ok(throttled instanceof ThrottlingException, throttled.name);
  t.equal(throttled.$metadata.httpStatusCode, 400);

  // Another operation is not affected by PutLogEvents' queue.
  await client.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));

  const unavailable = await failure(put(client, at(NOW)));
  t.ok(unavailable instanceof ServiceUnavailableException, unavailable.name);
  t.equal(unavailable.$metadata.httpStatusCode, 503);
  t.equal(unavailable.$fault, 'server');

  const internal = await failure(put(client, at(NOW)));
  t.ok(internal instanceof CloudWatchLogsServiceException, internal.name);
  t.equal(internal.name, 'InternalFailure');
  t.equal(internal.$metadata.httpStatusCode, 500);
  t.equal(internal.$fault, 'server');

  const notFound = await failure(put(client, at(NOW)));
  t.ok(notFound instanceof ResourceNotFoundException, notFound.name);
  t.match(notFound.message, /log stream/);

  t.same(fake.events(GROUP, STREAM), [], 'no faulted call stored anything');
  await put(client, at(NOW));
  t.equal(fake.events(GROUP, STREAM).length, 1);
  t.same(
    fake.calls('PutLogEvents').map((c) => [c.fault, c.status, c.error, c.applied, c.eventCount]),
    [
      ['throttle', 400, 'ThrottlingException', false, 1],
      ['service-unavailable', 503, 'ServiceUnavailableException', false, 1],
      ['internal-error', 500, 'InternalFailure', false, 1],
      ['resource-not-found', 400, 'ResourceNotFoundException', false, 1],
      [undefined, 200, undefined, true, 1],
    ],
  );
});

t.test('faults: error answers with any exception name and status, as an exception outside the model', async (t) => {
  const { fake, client } = await setup(t);
  fake.fault('PutLogEvents', { kind: 'error', type: 'BrandNewException', status: 400 }, { kind: 'error', type: 'NotImplemented', status: 501 });
  const unknown = await failure(put(client, at(NOW)));
  t.ok(unknown instanceof CloudWatchLogsServiceException, unknown.name);
  t.equal(unknown.name, 'BrandNewException');
  t.equal(unknown.$metadata.httpStatusCode, 400);
  const server = await failure(put(client, at(NOW)));
  t.equal(server.name, 'NotImplemented');
  t.equal(server.$metadata.httpStatusCode, 501);
  t.same(fake.events(GROUP, STREAM), [], 'nothing applied');
  t.same(
    fake.calls('PutLogEvents').map((c) => [c.fault, c.status, c.error]),
    [
      ['error', 400, 'BrandNewException'],
      ['error', 501, 'NotImplemented'],
    ],
  );
});

t.test('faults: drop-before stores nothing, drop-after stores the events, both look like network errors', async (t) => {
  const { fake, client } = await setup(t);
  fake.fault('PutLogEvents', { kind: 'drop-before' }, { kind: 'drop-after' });

  const before = await failure(put(client, at(NOW)));
  t.notOk(before instanceof CloudWatchLogsServiceException, `network error, got ${before.name}`);
  t.match(before, { code: /^(ECONNRESET|EPIPE)$/ });
  t.same(fake.events(GROUP, STREAM), []);

  const after = await failure(put(client, [{ timestamp: NOW, message: 'ambiguous' }]));
  t.notOk(after instanceof CloudWatchLogsServiceException, `network error, got ${after.name}`);
  t.match(after, { code: /^(ECONNRESET|EPIPE)$/ });
  t.same(
    fake.events(GROUP, STREAM).map((e) => e.message),
    ['ambiguous'],
    'applied although the client saw an error',
  );

  t.same(
    fake.calls('PutLogEvents').map((c) => [c.fault, c.status, c.applied]),
    [
      ['drop-before', 0, false],
      ['drop-after', 0, true],
    ],
  );
  await put(client, at(NOW));
  t.equal(fake.events(GROUP, STREAM).length, 2, 'the client recovers on a new connection');
});

t.test('faults: hang until the client gives up, never applied', async (t) => {
  const { fake, client } = await setup(t);
  fake.fault('PutLogEvents', { kind: 'hang' });
  const arrived = fake.nextCall('PutLogEvents');
  const abort = new AbortController();
  const sent = failure(client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: at(NOW) }), { abortSignal: abort.signal }));
  t.match(await arrived, { operation: 'PutLogEvents', fault: 'hang', status: 0 });
  abort.abort();
  const error = await sent;
  t.equal(error.name, 'AbortError');
  await fake.settled();
  t.same(fake.events(GROUP, STREAM), []);
  t.match(fake.calls('PutLogEvents'), [{ fault: 'hang', status: 0, applied: false }]);
});

t.test('faults: hang with ms is a slow answer, applied unless the client left first', async (t) => {
  const { fake, client } = await setup(t);
  fake.fault('PutLogEvents', { kind: 'hang', ms: 20 }, { kind: 'hang', ms: 60_000 });
  await put(client, [{ timestamp: NOW, message: 'slow' }]);
  t.same(
    fake.events(GROUP, STREAM).map((e) => e.message),
    ['slow'],
  );

  await putAbandoned(fake, client); // does not wait the 60 s: the hang ends when the client hangs up
  t.equal(fake.events(GROUP, STREAM).length, 1);
  t.same(
    fake.calls('PutLogEvents').map((c) => [c.fault, c.status, c.applied]),
    [
      ['hang', 200, true],
      ['hang', 0, false],
    ],
  );
});

t.test('faults: close() ends a hung request, the client sees a network error', async (t) => {
  const fake = await startFakeCloudWatchLogs({ now: () => NOW });
  const client = cloudWatchLogsClientFor(fake);
  t.teardown(() => client.destroy());
  fake.createLogGroup(GROUP);
  fake.createLogStream(GROUP, STREAM);
  fake.fault('PutLogEvents', { kind: 'hang' });
  const arrived = fake.nextCall();
  const sent = failure(put(client, at(NOW)));
  await arrived;
  await fake.close();
  const error = await sent;
  t.notOk(error instanceof CloudWatchLogsServiceException, `network error, got ${error.name}`);
  t.same(fake.events(GROUP, STREAM), []);
  await fake.close(); // idempotent
});

t.test('outages last until lifted; queued faults come first; an operation outage beats "*"', async (t) => {
  const { fake, client } = await setup(t);
  fake.outage('*', 'service-unavailable');
  t.ok((await failure(client.send(new DescribeLogGroupsCommand({})))) instanceof ServiceUnavailableException);
  t.ok((await failure(put(client, at(NOW)))) instanceof ServiceUnavailableException);
  fake.outage('PutLogEvents', 'throttle');
  t.ok((await failure(put(client, at(NOW)))) instanceof ThrottlingException);
  fake.fault('PutLogEvents', { kind: 'resource-not-found' });
  t.ok((await failure(put(client, at(NOW)))) instanceof ResourceNotFoundException);
  t.ok((await failure(put(client, at(NOW)))) instanceof ThrottlingException, 'the outage resumes after the queue');
  fake.outage('PutLogEvents', 'drop-before');
  t.notOk((await failure(put(client, at(NOW)))) instanceof CloudWatchLogsServiceException);
  fake.outage('PutLogEvents', null);
  t.ok((await failure(put(client, at(NOW)))) instanceof ServiceUnavailableException, 'the "*" outage still holds');
  fake.outage('*', null);
  await put(client, at(NOW));
  await client.send(new DescribeLogGroupsCommand({}));
  t.equal(fake.events(GROUP, STREAM).length, 1);
});

t.test('latency: calls that meet no fault wait, then are applied; a queued fault comes first', async (t) => {
  const { fake, client } = await setup(t);
  fake.latency('PutLogEvents', 60_000);
  fake.fault('PutLogEvents', { kind: 'throttle' });
  t.ok((await failure(put(client, at(NOW)))) instanceof ThrottlingException, 'the fault answers at once');
  await putAbandoned(fake, client); // the client left: the slow call ends unapplied
  fake.latency('PutLogEvents', 20);
  await put(client, at(NOW));
  fake.latency('PutLogEvents', null);
  t.same(
    fake.calls('PutLogEvents').map((c) => [c.fault, c.status, c.applied, c.logGroup, c.logStream]),
    [
      ['throttle', 400, false, GROUP, STREAM],
      [undefined, 0, false, GROUP, STREAM],
      [undefined, 200, true, GROUP, STREAM],
    ],
    'each call records the group and stream it names',
  );
  t.equal(fake.events(GROUP, STREAM).length, 1);
  t.throws(() => fake.latency('PutLogEvent', 10), TypeError);
  t.throws(() => fake.latency('*', -1), TypeError);
});

t.test('fault scripts with typos throw at once', async (t) => {
  const { fake } = await setup(t);
  t.throws(() => fake.fault('putLogEvents', { kind: 'throttle' }), TypeError);
  t.throws(() => fake.fault('PutLogEvents', { kind: 'explode' } as never), TypeError);
  t.throws(() => fake.fault('PutLogEvents', { kind: 'error', type: 'Bad Name', status: 400 }), TypeError);
  t.throws(() => fake.fault('PutLogEvents', { kind: 'error', type: 'Fine', status: 200 }), TypeError);
  t.throws(() => fake.outage('PutLogEvent', 'throttle'), TypeError);
  t.throws(() => fake.outage('*', 'internal-error' as never), TypeError);
});

t.test('GetLogEvents: pages forward from the head, backward from the tail, [startTime, endTime)', async (t) => {
  const { client } = await setup(t);
  const base = NOW - HOUR;
  // Two batches, the second older than the first: the stream is still read in timestamp order.
  await put(
    client,
    Array.from({ length: 5 }, (_, i) => ({ timestamp: base + (i + 5) * 1000, message: `e${i + 5}` })),
  );
  await put(
    client,
    Array.from({ length: 5 }, (_, i) => ({ timestamp: base + i * 1000, message: `e${i}` })),
  );
  const all = Array.from({ length: 10 }, (_, i) => `e${i}`);

  const pages: string[][] = [];
  for await (const page of paginateGetLogEvents(
    { client, pageSize: 3, stopOnSameToken: true },
    { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true },
  )) {
    pages.push(page.events?.map((e) => e.message ?? '') ?? []);
    if (pages.length > 20) break; // a token that does not advance must fail the test, not hang it
  }
  t.same(pages, [['e0', 'e1', 'e2'], ['e3', 'e4', 'e5'], ['e6', 'e7', 'e8'], ['e9'], []]);

  const tail = await client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 3 }));
  t.same(
    tail.events?.map((e) => e.message),
    all.slice(7),
  );
  const earlier = await client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, limit: 3, nextToken: tail.nextBackwardToken }));
  t.same(
    earlier.events?.map((e) => e.message),
    all.slice(4, 7),
  );

  const range = await client.send(
    new GetLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: STREAM,
      startFromHead: true,
      startTime: base + 2000,
      endTime: base + 5000,
    }),
  );
  t.same(
    range.events?.map((e) => e.message),
    ['e2', 'e3', 'e4'],
    'start inclusive, end exclusive',
  );

  const bad = await failure(client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, nextToken: 'garbage' })));
  t.ok(bad instanceof InvalidParameterException, bad.name);
  const missing = await failure(client.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'nope' })));
  t.ok(missing instanceof ResourceNotFoundException, missing.name);
});

t.test('FilterLogEvents: interleaves streams by time, pages, filters by names, time and terms', async (t) => {
  const { fake, client } = await setup(t);
  fake.createLogStream(GROUP, 'a');
  fake.createLogStream(GROUP, 'b');
  const base = NOW - HOUR;
  await put(
    client,
    [0, 2, 4, 6].map((i) => ({ timestamp: base + i, message: `a${i}${i === 4 ? ' ERROR disk full' : ''}` })),
    'a',
  );
  await put(
    client,
    [1, 3, 5, 7].map((i) => ({ timestamp: base + i, message: `b${i}${i === 5 ? ' ERROR disk' : ''}` })),
    'b',
  );
  // Equal timestamps across streams, to show that paging neither loses nor repeats them.
  const tied = [
    { timestamp: base + 9, message: 'a9' },
    { timestamp: base + 9, message: 'a9bis' },
    { timestamp: base + 10, message: 'a10' },
  ];
  await put(client, tied, 'a');
  await put(client, [{ timestamp: base + 9, message: 'b9' }], 'b');

  const messages: string[] = [];
  let pages = 0;
  for await (const page of paginateFilterLogEvents({ client, pageSize: 1 }, { logGroupName: GROUP })) {
    if (++pages > 20) break; // a token that does not advance must fail the test, not hang it
    for (const e of page.events ?? []) messages.push(e.message!.split(' ')[0]!);
  }
  t.same(messages, ['a0', 'b1', 'a2', 'b3', 'a4', 'b5', 'a6', 'b7', 'a9', 'a9bis', 'b9', 'a10']);
  t.equal(pages, 12, 'no empty trailing page: no nextToken once everything was returned');

  const page = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2 }));
  t.match(page.events, [{ logStreamName: 'a', timestamp: base, ingestionTime: NOW, eventId: /^\d+$/ }, { logStreamName: 'b' }]);

  const onlyB = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['b'] }));
  t.same(
    onlyB.events?.map((e) => e.message?.split(' ')[0]),
    ['b1', 'b3', 'b5', 'b7', 'b9'],
  );

  const timed = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, startTime: base + 2, endTime: base + 4 }));
  t.same(
    timed.events?.map((e) => e.timestamp),
    [base + 2, base + 3, base + 4],
    'start and end both inclusive',
  );

  const quoted = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"ERROR disk"' }));
  t.same(
    quoted.events?.map((e) => e.message),
    ['a4 ERROR disk full', 'b5 ERROR disk'],
  );
  const excluded = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: 'ERROR -full' }));
  t.same(
    excluded.events?.map((e) => e.message),
    ['b5 ERROR disk'],
  );
  const json = await failure(client.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.a = 1 }' })));
  t.ok(json instanceof InvalidParameterException, json.name);
  const both = await failure(client.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['a'], logStreamNamePrefix: 'a' })));
  t.ok(both instanceof InvalidParameterException, both.name);
});

t.test('DescribeLogStreams and DescribeLogGroups: prefix and paging', async (t) => {
  const { fake, client } = await setup(t, false);
  fake.createLogGroup('/netsidecar/ntp');
  fake.createLogGroup('/netsidecar/syslog');
  fake.createLogGroup('/other');
  for (const name of ['dev-3', 'dev-1', 'dev-2', 'other']) fake.createLogStream('/netsidecar/syslog', name);

  const names: string[][] = [];
  for await (const page of paginateDescribeLogStreams({ client, pageSize: 2 }, { logGroupName: '/netsidecar/syslog', logStreamNamePrefix: 'dev-' })) {
    names.push(page.logStreams?.map((s) => s.logStreamName ?? '') ?? []);
  }
  t.same(names, [['dev-1', 'dev-2'], ['dev-3']]);

  const groups = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/netsidecar/', limit: 1 }));
  t.same(
    groups.logGroups?.map((g) => g.logGroupName),
    ['/netsidecar/ntp'],
  );
  const rest = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/netsidecar/', limit: 1, nextToken: groups.nextToken }));
  t.same(
    rest.logGroups?.map((g) => g.logGroupName),
    ['/netsidecar/syslog'],
  );
  t.equal(rest.nextToken, undefined);

  const missing = await failure(client.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' })));
  t.ok(missing instanceof ResourceNotFoundException, missing.name);
});

t.test('the SDK finds the fake through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', async (t) => {
  const { fake } = await setup(t);
  const saved = process.env['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'];
  process.env['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'] = fake.endpoint;
  t.teardown(() => {
    if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'];
    else process.env['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'] = saved;
  });
  const client = cloudWatchLogsClientFor({ endpoint: fake.endpoint }, { endpoint: undefined });
  t.teardown(() => client.destroy());
  // Guard: never let a misconfigured client reach the real AWS.
  client.middlewareStack.add(
    (next) => async (args) => {
      const hostname = (args.request as { hostname?: string }).hostname;
      if (hostname !== '127.0.0.1') throw new Error(`refusing to send to ${hostname}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'onlyLoopback' },
  );
  await client.send(new DescribeLogGroupsCommand({}));
  t.equal(fake.calls('DescribeLogGroups').length, 1);
});
