// The planning run: due images (new, stale, DB updated: the DB version asked of the Trivy server at
// every run), dedup by digest through the queue claim,
// images gone -> findings resolved once, a failed inventory source not taken for an empty
// cluster, and the SQS enqueue (batches of 10, FIFO dedup ids, failures release the claim).
import t from 'tap';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  dueReason,
  MemoryScanQueue,
  MemoryStateStore,
  runPlan,
  SqsScanQueue,
  TrivyRunner,
  emptyCounts,
  type DbInfo,
  type ImageRecord,
  type InventorySource,
  type WorkloadImage,
  type ScanRequest,
  type SlackWebhooks,
} from '../src/index.js';
import { FakeSource } from './support/fake-source.js';
import { deps, digestOf, TestClock } from './support/harness.js';
import { SlackReceiver } from './support/slack-receiver.js';
import { TrivyServer } from './support/trivy-server.js';

const hour = 3_600_000;

const row = (name: string, cluster = 'prod', team: string | null = 'payments', digest: string | null = digestOf(name)): WorkloadImage => ({
  platform: 'ecs',
  cluster,
  workload: `service:${name}`,
  namespace: null,
  team,
  image: `registry.example/${name}:1`,
  digest,
  repository: `registry.example/${name}`,
});

function planner(store: MemoryStateStore, clock: TestClock, sources: InventorySource[], queue = new MemoryScanQueue(), webhooks: SlackWebhooks | null = null) {
  const d = deps({ store, clock, webhooks });
  const run = (trivyDb?: () => Promise<DbInfo>) =>
    runPlan({
      sources,
      store,
      queue,
      events: d.events,
      notifier: d.notifier,
      now: clock.now,
      leaseMs: 2 * hour,
      maxEnqueue: 100,
      maxAgeMs: 24 * hour,
      dbRescanMinAgeMs: 6 * hour,
      ...(trivyDb ? { trivyDb } : {}),
    });
  return { d, run, queue };
}

t.test('due reasons', async (t) => {
  const policy = { maxAgeMs: 24 * hour, dbRescanMinAgeMs: 6 * hour };
  const now = Date.parse('2026-11-23T04:00:00Z');
  const image = (lastScannedAt: string | null, dbUpdatedAt: string | null) => ({ lastScannedAt, dbUpdatedAt }) as ImageRecord;
  t.equal(dueReason(image(null, null), now, policy, null), 'new');
  t.equal(dueReason(image('2026-11-22T04:00:00.000Z', 'x'), now, policy, 'x'), 'stale');
  t.equal(dueReason(image('2026-11-22T04:00:00.001Z', 'x'), now, policy, 'x'), null);
  t.equal(dueReason(image('2026-11-22T22:00:00.000Z', '2026-11-22T00:00:00Z'), now, policy, '2026-11-22T18:00:00Z'), 'db_updated');
  t.equal(dueReason(image('2026-11-23T01:00:00.000Z', '2026-11-22T00:00:00Z'), now, policy, '2026-11-22T18:00:00Z'), null, 'too recent for a DB rescan');
});

t.test('plan: new images enqueued once, unpinned reported, lease respected, stale after max age', async (t) => {
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const source = new FakeSource('ecs', 'prod', [row('a'), row('a'), row('b', 'prod', 'web'), row('c', 'prod', null, null)]);
  const p = planner(store, clock, [source]);
  const first = await p.run();
  t.same(first.enqueued.map((r) => r.digest).sort(), [digestOf('a'), digestOf('b')].sort(), 'one request per digest');
  t.match(
    first.enqueued.find((r) => r.digest === digestOf('a')),
    { schema: 'scan-request/1', imageRef: `registry.example/a@${digestOf('a')}`, owner: 'payments', reason: 'new' },
  );
  t.equal(p.d.sink.ofType('image_unpinned').length, 1);
  t.match(p.d.sink.ofType('image_unpinned')[0], { image: 'registry.example/c:1', platform: 'ecs', cluster: 'prod' });
  t.match(p.d.sink.ofType('plan_finished')[0], {
    runningImages: 2,
    unpinnedImages: 1,
    due: 2,
    enqueued: 2,
    alreadyQueued: 0,
    reasons: { new: 2 },
    neverScanned: 2,
  });
  t.equal(first.coverage.summary.neverScanned, 2);

  clock.advance(hour);
  const second = await p.run();
  t.equal(second.enqueued.length, 0, 'still queued within the lease: not enqueued twice');
  t.match(p.d.sink.ofType('plan_finished')[1], { due: 2, alreadyQueued: 2 });

  // The worker scans a: recorded; then a is not due until it is stale.
  await store.recordScan(digestOf('a'), {
    scannedAt: clock.now().toISOString(),
    scanId: 's',
    dbUpdatedAt: '2026-11-22T18:00:00.000Z',
    trivyVersion: '0.57.1',
    openCounts: emptyCounts(),
  });
  clock.advance(2 * hour);
  const third = await p.run();
  t.same(
    third.enqueued.map((r) => [r.digest, r.reason]),
    [[digestOf('b'), 'new']],
    'b again after the lease; a is fresh',
  );
  clock.advance(24 * hour);
  const fourth = await p.run();
  t.same(
    fourth.enqueued.map((r) => [r.digest, r.reason]).sort(),
    [
      [digestOf('a'), 'stale'],
      [digestOf('b'), 'new'],
    ].sort(),
  );
});

t.test('a DB update makes every image due at the next run: the planner asks the Trivy server', async (t) => {
  const server = await new TrivyServer().start();
  t.teardown(() => server.close());
  const trivy = new TrivyRunner({ path: 'trivy', server: server.url, cacheDir: null, timeoutMs: 60_000 });
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const p = planner(store, clock, [new FakeSource('ecs', 'prod', [row('a'), row('b'), row('c')])]);
  await p.run(() => trivy.dbInfo());
  // Every image scanned an hour later with the DB of the time; the server has a newer one since.
  clock.advance(hour);
  const usedDb = '2026-11-22T18:00:00.000Z';
  for (const name of ['a', 'b', 'c'])
    await store.recordScan(digestOf(name), {
      scannedAt: clock.now().toISOString(),
      scanId: `s-${name}`,
      dbUpdatedAt: usedDb,
      trivyVersion: '0.57.1',
      openCounts: emptyCounts(),
    });
  server.dbUpdatedAt = '2026-11-23T00:12:05Z';
  clock.advance(7 * hour);

  const withoutAsking = await p.run();
  t.equal(withoutAsking.enqueued.length, 0, 'from the scans alone no newer DB is known: nothing due (the behaviour before)');
  t.match(p.d.sink.ofType('plan_finished').at(-1), { due: 0, dbUpdatedAt: usedDb, dbSource: 'scans' });

  const asking = await p.run(() => trivy.dbInfo());
  t.same(
    asking.enqueued.map((r) => [r.digest, r.reason]).sort(),
    ['a', 'b', 'c'].map((n) => [digestOf(n), 'db_updated']).sort(),
    'every image, without waiting for a scan to record the new DB',
  );
  t.match(p.d.sink.ofType('plan_finished').at(-1), {
    due: 3,
    enqueued: 3,
    reasons: { db_updated: 3 },
    dbUpdatedAt: '2026-11-23T00:12:05.000Z',
    dbSource: 'server',
  });
  t.same(server.requests, ['GET /version', 'GET /version'], 'asked once per run');

  // The server unreachable: an error event, and the run goes on with what the scans recorded.
  server.failWith = 503;
  clock.advance(hour);
  const unreachable = await p.run(() => trivy.dbInfo());
  t.equal(unreachable.enqueued.length, 0, 'claimed by the previous run (lease)');
  t.match(p.d.sink.ofType('error').at(-1), { stage: 'db', code: 'trivy_failed', message: /\/version answered 503/, cluster: null, retried: false });
  t.match(p.d.sink.ofType('plan_finished').at(-1), { dbUpdatedAt: usedDb, dbSource: 'scans' });
});

t.test('images gone: findings resolved once and notified once; a failed source hides nothing', async (t) => {
  const receiver = await new SlackReceiver().start();
  t.teardown(() => receiver.close());
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const prod = new FakeSource('ecs', 'prod', [row('a')]);
  const eks = new FakeSource('eks', 'eks-prod', [{ ...row('k'), platform: 'eks', cluster: 'eks-prod' }]);
  const p = planner(store, clock, [prod, eks], new MemoryScanQueue(), { default: `${receiver.url}/hook`, teams: {} });
  await p.run();
  const finding = {
    digest: digestOf('a'),
    fingerprint: 'f1',
    vulnerabilityId: 'CVE-2024-45491',
    pkgName: 'libexpat1',
    installedVersion: '2.5.0-1',
    fixedVersion: null,
    severity: 'CRITICAL' as const,
    vendorStatus: 'affected',
    target: 't',
    title: null,
    status: 'notified' as const,
    firstSeenAt: '',
    lastSeenAt: '',
    notifiedAt: '2026-11-23T04:00:00.000Z',
    resolvedAt: null,
    resolvedNotifiedAt: null,
    resolvedReason: null,
    ignoreStatement: null,
    ignoreExpiresAt: null,
    history: [],
  };
  await store.putFindings([finding, { ...finding, digest: digestOf('k'), fingerprint: 'f2' }]);

  // EKS listing fails and prod no longer runs a: a is gone, k is not (its cluster was not listed).
  prod.rows = [];
  eks.fail = new Error('Unauthorized');
  clock.advance(hour);
  await p.run();
  t.equal((await store.getImage(digestOf('a')))?.running, false);
  t.equal((await store.getImage(digestOf('k')))?.running, true, 'not gone: its cluster failed to list');
  t.match(p.d.sink.ofType('error')[0], { stage: 'inventory', code: 'eks_failed', cluster: 'eks-prod' });
  const resolved = (await store.listFindings(digestOf('a')))[0]!;
  t.match(resolved, { status: 'resolved', resolvedReason: 'image_gone' });
  t.ok(resolved.resolvedNotifiedAt);
  t.equal(receiver.delivered.length, 1);
  t.match(receiver.delivered[0]!.body.text, /1 resolved:\n• CRITICAL CVE-2024-45491 in libexpat1 \(image no longer running\)/);
  t.match(p.d.sink.ofType('finding_resolved')[0], { reason: 'image_gone', scanId: null, digest: digestOf('a') });

  clock.advance(hour);
  await p.run();
  t.equal(receiver.delivered.length, 1, 'resolved is reported once');
  t.equal(p.d.sink.ofType('finding_resolved').length, 1);
  t.notOk(
    (await p.run()).coverage.images.some((i) => i.digest === digestOf('a')),
    'coverage lists running images only',
  );
});

t.test('SQS enqueue: batches of 10, FIFO dedup by digest, failed entries release the claim', async (t) => {
  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  const batches: { QueueUrl?: string; Entries?: { Id?: string; MessageBody?: string; MessageDeduplicationId?: string; MessageGroupId?: string }[] }[] = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: (typeof batches)[number]) => {
    batches.push(input);
    // In the first run the entry for image-3 fails (a throttled entry, as SendMessageBatch reports per entry).
    const failed = (input.Entries ?? []).filter((e) => batches.length <= 3 && JSON.parse(e.MessageBody!).digest === digestOf('image-3'));
    return { Successful: [], Failed: failed.map((e) => ({ Id: e.Id!, Code: 'ThrottlingException', Message: 'Rate exceeded', SenderFault: false })) };
  });
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan.fifo';
  const queue = new SqsScanQueue({ client: new SQSClient({ region: 'eu-west-1' }), queueUrl });
  const source = new FakeSource(
    'ecs',
    'prod',
    Array.from({ length: 23 }, (_, i) => row(`image-${i}`)),
  );
  const p = planner(store, clock, [source], queue as unknown as MemoryScanQueue);
  const result = await p.run();
  t.same(
    batches.map((b) => b.Entries!.length),
    [10, 10, 3],
  );
  const entries = batches.flatMap((b) => b.Entries!);
  t.equal(new Set(entries.map((e) => e.MessageDeduplicationId)).size, 23);
  for (const e of entries) {
    const body = JSON.parse(e.MessageBody!) as ScanRequest;
    t.equal(e.MessageDeduplicationId, body.digest.slice(7), 'dedup id = digest hex');
    t.equal(e.MessageGroupId, body.digest.slice(7));
  }
  t.equal(result.enqueued.length, 22);
  t.equal((await store.getImage(digestOf('image-3')))?.lastQueuedAt, null, 'claim released: the next run enqueues it');
  t.match(p.d.sink.ofType('error')[0], { stage: 'enqueue', code: 'enqueue_failed', message: /1 scan requests not sent: ThrottlingException/ });
  clock.advance(60_000);
  const again = await p.run();
  t.same(
    again.enqueued.map((r) => r.digest),
    [digestOf('image-3')],
  );
});

t.test('a standard queue gets no FIFO attributes', async (t) => {
  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  const queue = new SqsScanQueue({
    client: new SQSClient({ region: 'eu-west-1' }),
    queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan',
  });
  const digest = digestOf('x');
  await queue.send([{ schema: 'scan-request/1', digest, imageRef: `r@${digest}`, owner: null, reason: 'new', planId: 'p', plannedAt: '' }]);
  const entry = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!;
  t.equal(entry.MessageDeduplicationId, undefined);
  t.equal(entry.MessageGroupId, undefined);
});
