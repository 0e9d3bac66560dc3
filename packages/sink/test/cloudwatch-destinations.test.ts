// Log groups and streams that do not exist yet, events CloudWatch will not store, and events it
// refuses: all end delivered or counted with a reason code, never lost silently, never looping.
import t from 'tap';
import { InvalidParameterException, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GROUP, START, alongside, flushed, harness, precreate, received, writeEvents } from './support/cloudwatch-harness.js';

const DAY = 86_400_000;

t.test('nothing exists: the stream, then the group, are created, and the events follow', async (t) => {
  const h = await harness(t);
  const expected = writeEvents(h, ['rtr-a'], 50);
  await flushed(h);
  t.same(received(h, 'rtr-a'), expected.get('rtr-a'));
  t.same(h.fake.streams(), [{ logGroup: GROUP, logStream: 'rtr-a' }]);
  t.same(
    h.fake.calls().map((c) => `${c.operation} ${c.error ?? c.status}`),
    ['PutLogEvents ResourceNotFoundException', 'CreateLogStream ResourceNotFoundException', 'CreateLogGroup 200', 'CreateLogStream 200', 'PutLogEvents 200'],
  );
  t.equal(h.fake.calls('PutRetentionPolicy').length, 0, "retention is the infrastructure's business: never set");
  t.same(h.fake.retentionPolicies(), {});
});

t.test('the group exists, a new device stream does not: only the stream is created', async (t) => {
  const h = await harness(t);
  h.fake.createLogGroup(GROUP);
  h.fake.fault('CreateLogStream', { kind: 'throttle' });
  const expected = writeEvents(h, ['rtr-new'], 10);
  await flushed(h);
  t.same(received(h, 'rtr-new'), expected.get('rtr-new'));
  t.equal(h.fake.calls('CreateLogGroup').length, 0);
  t.equal(h.fake.calls('CreateLogStream').length, 2, 'throttled once, retried');
  t.equal(h.fake.calls('PutRetentionPolicy').length, 0);
});

t.test('another task created the stream first: ResourceAlreadyExistsException is success', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  // Our put saw the stream missing; by the time we create it, the other task has.
  h.fake.fault('PutLogEvents', { kind: 'resource-not-found' });
  const expected = writeEvents(h, ['rtr-a'], 20);
  await flushed(h);
  t.same(received(h, 'rtr-a'), expected.get('rtr-a'));
  t.equal(await h.metric('netsidecar_cloudwatch_errors_total', { code: 'ResourceAlreadyExistsException' }), 1);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 20);
});

t.test('two sinks racing to create the same group and stream: each event once', async (t) => {
  const a = await harness(t);
  const b = await harness(t, {}, alongside(a)); // same fake, clock and in-flight count; its own spool
  const ea = writeEvents(a, ['shared'], 30, 'a');
  const eb = writeEvents(b, ['shared'], 30, 'b');
  let done = 0;
  void a.sink.flush().then(() => done++);
  void b.sink.flush().then(() => done++);
  await a.until(() => done === 2, 'both flushes');
  const got = received(a, 'shared');
  t.same(
    got.filter((m) => m.includes('"tag":"a"')),
    ea.get('shared'),
  );
  t.same(
    got.filter((m) => m.includes('"tag":"b"')),
    eb.get('shared'),
  );
  t.equal(got.length, 60);
  t.same(a.fake.streams(), [{ logGroup: GROUP, logStream: 'shared' }]);
  t.equal(a.fake.calls('PutRetentionPolicy').length, 0);
});

t.test('too old and too new events are counted by reason and logged without their content', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  const at = (timestamp: number, message: string) => h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp, message });
  for (let i = 0; i < 3; i++) at(START - 15 * DAY + i, `{"secret":"old-${i}"}`);
  for (let i = 0; i < 5; i++) at(START + i, `{"n":${i}}`);
  for (let i = 0; i < 2; i++) at(START + 3 * 3_600_000 + i, `{"secret":"new-${i}"}`);
  await flushed(h);
  t.same(
    received(h, 'rtr-a'),
    [0, 1, 2, 3, 4].map((i) => `{"n":${i}}`),
  );
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'too_old' }), 3);
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'too_new' }), 2);
  t.equal(await h.metric('netsidecar_sink_events_total', { outcome: 'delivered' }), 5);
  t.equal(h.sink.queuedEvents(), 0, 'rejected events are settled, not retried');
  const warnings = h.logs.filter((l) => l.msg === 'cloudwatch rejected events');
  t.same(
    warnings.map((w) => w.rejected),
    [{ too_old: 3 }, { too_new: 2 }],
  );
  t.notMatch(JSON.stringify(h.logs), /secret/, 'no event content in the operational log');
});

t.test('events older than the group retention are counted as expired', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  // The infrastructure sets retention (here 1 day); the sink never does.
  await h.client.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 1 }));
  h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START - 2 * DAY, message: 'expired' });
  h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START - 2 * DAY + 1, message: 'expired too' });
  await flushed(h);
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'expired' }), 2);
  t.same(received(h, 'rtr-a'), []);
  t.equal(h.fake.calls('PutRetentionPolicy').length, 1, "only the test's own call");
});

t.test('a batch CloudWatch refuses is bisected: only the bad event is rejected, with a reason code', async (t) => {
  const h = await harness(t);
  precreate(h, ['rtr-a']);
  const send = h.client.send.bind(h.client);
  let puts = 0;
  h.client.send = ((command: unknown, options: unknown) => {
    if (command instanceof PutLogEventsCommand) {
      puts++;
      if (command.input.logEvents!.some((e) => e.message!.includes('poison'))) {
        return Promise.reject(new InvalidParameterException({ message: "Value 'poison' is bad", $metadata: { httpStatusCode: 400 } }));
      }
    }
    return (send as (c: unknown, o: unknown) => Promise<unknown>)(command, options);
  }) as typeof h.client.send;
  const messages = Array.from({ length: 64 }, (_, i) => (i === 37 ? '{"poison":true}' : `{"i":${i}}`));
  messages.forEach((message, i) => h.sink.write({ logGroup: GROUP, logStream: 'rtr-a', timestamp: START + i, message }));
  await flushed(h);
  t.same(
    received(h, 'rtr-a'),
    messages.filter((m) => !m.includes('poison')),
    'all others delivered, in order',
  );
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'invalid_parameter' }), 1);
  t.ok(puts <= 2 * Math.log2(64) + 2, `bisection, not one call per event (${puts} calls)`);
  const refused = h.logs.filter((l) => l.msg === 'cloudwatch refused an event');
  t.equal(refused.length, 1);
  t.match(refused[0], { reason: 'invalid_parameter', code: 'InvalidParameterException', logStream: 'rtr-a' });
  t.notMatch(JSON.stringify(h.logs), /poison/, 'neither the event nor the error message (which quotes it) is logged');
});

t.test('events CloudWatch could never take are rejected at write() with a reason, not sent', async (t) => {
  const h = await harness(t);
  const bad = [
    { logGroup: GROUP, logStream: 'rtr-a', timestamp: START, message: '' },
    { logGroup: GROUP, logStream: 'a:b', timestamp: START, message: 'x' },
    { logGroup: 'bad group name!', logStream: 'rtr-a', timestamp: START, message: 'x' },
    { logGroup: GROUP, logStream: 'rtr-a', timestamp: Number.NaN, message: 'x' },
  ];
  for (const event of bad) t.equal(h.sink.write(event), 'ok');
  await flushed(h);
  t.equal(await h.metric('netsidecar_sink_rejected_events_total', { reason: 'invalid_event' }), 4);
  t.equal(h.fake.calls().length, 0);
  t.equal(h.sink.queuedEvents(), 0);
});
