// The SQS consumer with aws-sdk-client-mock (README.md says why not a wire-level server): it never
// asks for more messages than free slots (the concurrency cap), deletes a message only when its
// scan is done, leaves `retry` messages for SQS to redeliver, drops malformed bodies, and the
// running/cap gauges read what runs.
import t from 'tap';
import { Clock } from '@tapjs/clock';
import { mockClient } from 'aws-sdk-client-mock';
import { eventually } from '@netsidecar/test-support/eventually';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { silentLogger, createRegistry } from '@netsidecar/telemetry';
import { createScanMetrics, SqsConsumer, scanRequestSchema, type ScanRequest } from '../src/index.js';
import { digestOf } from './support/harness.js';

const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan';
const body = (name: string) => {
  const digest = digestOf(name);
  return JSON.stringify({
    schema: scanRequestSchema,
    digest,
    imageRef: `registry.example/${name}@${digest}`,
    owner: 'web',
    reason: 'stale',
    planId: 'p',
    plannedAt: '',
  });
};
const message = (name: string, receiveCount = 1, raw?: string): Message => ({
  MessageId: name,
  ReceiptHandle: `rh-${name}`,
  Body: raw ?? body(name),
  Attributes: { ApproximateReceiveCount: String(receiveCount) },
});

function deferred() {
  let resolve!: (v: 'ok' | 'retry') => void;
  const promise = new Promise<'ok' | 'retry'>((r) => (resolve = r));
  return { promise, resolve };
}

t.test('cap, delete on ok, keep on retry, malformed dropped, metrics', async (t) => {
  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  const inbox: Message[] = [message('a'), message('b', 3), message('c'), message('bad', 1, '{"not":"a request"}')];
  const asked: number[] = [];
  sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number; MessageSystemAttributeNames?: string[] }) => {
    asked.push(input.MaxNumberOfMessages);
    t.same(input.MessageSystemAttributeNames, ['ApproximateReceiveCount']);
    return { Messages: inbox.splice(0, input.MaxNumberOfMessages) };
  });
  sqs.on(DeleteMessageCommand).resolves({});

  const pending = new Map<string, ReturnType<typeof deferred>>();
  const handled: [string, number][] = [];
  const results: string[] = [];
  let consumer!: SqsConsumer;
  const registry = createRegistry('scan');
  createScanMetrics(registry, 2, () => consumer.runningScans);
  consumer = new SqsConsumer({
    client: new SQSClient({ region: 'eu-west-1' }),
    queueUrl,
    concurrency: 2,
    logger: silentLogger,
    waitTimeSeconds: 0,
    handle: (request: ScanRequest, attempt: number) => {
      handled.push([request.imageRef.split('/')[1]!.split('@')[0]!, attempt]);
      const d = deferred();
      pending.set(request.imageRef.split('/')[1]!.split('@')[0]!, d);
      return d.promise;
    },
    onMessage: (result) => results.push(result),
  });

  t.equal(await consumer.pollOnce(), 2);
  t.same(asked, [2], 'asks for as many as the cap allows');
  t.equal(consumer.runningScans, 2);
  const metrics = await registry.getMetricsAsJSON();
  const value = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value;
  t.equal(value('netsidecar_scan_running'), 2);
  t.equal(value('netsidecar_scan_concurrency_cap'), 2);
  t.equal(value('netsidecar_scan_running_ratio'), 1, 'at the cap: the 100% alarm');
  t.equal(await consumer.pollOnce(), 0, 'no slot, no receive');
  t.same(asked, [2]);

  pending.get('a')!.resolve('ok');
  pending.get('b')!.resolve('retry');
  await consumer.idle();
  t.same(
    handled,
    [
      ['a', 1],
      ['b', 3],
    ],
    'the receive count is the attempt',
  );
  t.same(
    sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle),
    ['rh-a'],
    'only the finished scan is deleted',
  );

  t.equal(await consumer.pollOnce(), 2, 'c and the malformed one');
  t.same(asked, [2, 2]);
  pending.get('c')!.resolve('ok');
  await consumer.idle();
  t.same(
    sqs
      .commandCalls(DeleteMessageCommand)
      .map((c) => c.args[0].input.ReceiptHandle)
      .sort(),
    ['rh-a', 'rh-bad', 'rh-c'],
  );
  t.same(results.sort(), ['deleted', 'deleted', 'malformed', 'retried']);
});

t.test('the poll loop: stop() waits for the scan in flight', async (t) => {
  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  const inbox = [message('a')];
  sqs.on(ReceiveMessageCommand).callsFake(async () => {
    const messages = inbox.splice(0);
    if (messages.length === 0) await new Promise((r) => setTimeout(r, 5)); // an empty long poll
    return { Messages: messages };
  });
  sqs.on(DeleteMessageCommand).resolves({});
  const d = deferred();
  let started!: () => void;
  const scanStarted = new Promise<void>((r) => (started = r));
  const consumer = new SqsConsumer({
    client: new SQSClient({ region: 'eu-west-1' }),
    queueUrl,
    concurrency: 1,
    logger: silentLogger,
    waitTimeSeconds: 0,
    handle: () => {
      started();
      return d.promise;
    },
  });
  consumer.start();
  await scanStarted;
  let stopped = false;
  const stopping = consumer.stop().then(() => (stopped = true));
  await new Promise((r) => setImmediate(r));
  t.equal(stopped, false, 'still draining');
  d.resolve('ok');
  await stopping;
  t.equal(sqs.commandCalls(DeleteMessageCommand).length, 1, 'finished and deleted before stop resolved');
});

t.test('a long scan keeps its message invisible (heartbeat), and stops extending when done', async (t) => {
  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message('slow')] });
  sqs.on(DeleteMessageCommand).resolves({});
  let beats = 0;
  sqs.on(ChangeMessageVisibilityCommand).callsFake((input: { ReceiptHandle: string; VisibilityTimeout: number }) => {
    t.equal(input.ReceiptHandle, 'rh-slow');
    t.equal(input.VisibilityTimeout, 120);
    beats++;
    return {};
  });
  // The heartbeat runs on a fake clock: one beat per interval, and "none after" is the clock moved
  // far past the interval with no timer left, not a real-time wait.
  const clock = new Clock();
  const pending = () => [...clock.timers.values()].reduce((n, timers) => n + timers.length, 0);
  const d = deferred();
  const consumer = new SqsConsumer({
    client: new SQSClient({ region: 'eu-west-1' }),
    queueUrl,
    concurrency: 1,
    logger: silentLogger,
    waitTimeSeconds: 0,
    heartbeatMs: 5,
    heartbeatVisibilitySeconds: 120,
    timers: clock,
    handle: () => d.promise,
  });
  await consumer.pollOnce();
  await eventually(() => pending() === 1, { timeoutMs: 10_000, what: 'the scan started, its heartbeat armed' });
  const settled = () => new Promise((resolve) => setImmediate(resolve)); // the beat's send is a microtask away
  clock.advance(4);
  await settled();
  t.equal(beats, 0, 'no heartbeat before the interval');
  clock.advance(1);
  await settled();
  t.equal(beats, 1, 'one at the interval');
  clock.advance(5);
  await settled();
  t.equal(beats, 2, 'and one per interval');
  d.resolve('ok');
  await consumer.idle();
  t.equal(pending(), 0, 'the scan finished: no heartbeat timer left');
  clock.advance(1_000);
  await settled();
  t.equal(beats, 2, 'no heartbeat after the scan finished');
  t.equal(sqs.commandCalls(DeleteMessageCommand).length, 1);
});
