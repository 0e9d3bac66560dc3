// The production code paths end to end, in-process: the planning run (as EventBridge Scheduler's
// RunTask starts it) with an EKS cluster behind the Kubernetes stand-in, DynamoDB on dynalite and
// SQS mocked; then the worker consuming what the planner sent, scanning with the stand-in trivy. A
// scan that fails is written on the image in DynamoDB, and the next planning run reports it FAILING.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { mockClient } from 'aws-sdk-client-mock';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { commonVariables, loadConfig } from '@netsidecar/config';
import { createRegistry, Readiness, silentLogger } from '@netsidecar/telemetry';
import { eventually } from '@netsidecar/test-support/eventually';
import { DynamoStateStore, runPlanningRun, scanVariables, startWorker, decodeEksToken } from '../src/index.js';
import { startDynamo } from './support/dynamo.js';
import { digestOf, fakeTrivy, MemorySink, Scenario, tempDir } from './support/harness.js';
import { KubeServer } from './support/kube-server.js';

const digest = digestOf('web');

async function setup(t: Test) {
  const dir = await tempDir(t);
  const db = await startDynamo(t);
  const store = new DynamoStateStore(db);
  const kube = await new KubeServer().start();
  t.teardown(() => kube.close());
  kube.namespaces = [{ metadata: { name: 'web', labels: { team: 'web' } } }];
  kube.pods = [
    {
      metadata: { name: 'w', namespace: 'web' },
      spec: { containers: [{ name: 'app', image: 'registry.example/web:1' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'app', image: 'registry.example/web:1', imageID: `registry.example/web@${digest}`, ready: true, restartCount: 0 }],
      },
    },
  ];
  const tokens: string[] = [];
  kube.acceptToken = (token) => (tokens.push(token), true);

  // The SDK's default credential chain (environment variables here) feeds the EKS token signer.
  const saved = { ...process.env };
  t.teardown(() => {
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'FAKE_TRIVY_SCENARIO']) delete process.env[key];
    Object.assign(process.env, saved);
  });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'eu-west-1' });

  const scenario = new Scenario(join(dir, 'scenario.json'));
  await scenario.save();
  process.env.FAKE_TRIVY_SCENARIO = scenario.path;

  const env = {
    NETSIDECAR_DATA_DIR: dir,
    NETSIDECAR_SCAN_EKS_CLUSTERS: `eks-prod=${kube.url}`,
    NETSIDECAR_SCAN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan',
    NETSIDECAR_SCAN_TRIVY_PATH: fakeTrivy,
  };
  const config = loadConfig({ ...commonVariables, ...scanVariables }, { env, ownPrefix: 'NETSIDECAR_SCAN_' });
  const sink = new MemorySink();
  const context = () => ({ config, logger: silentLogger, registry: createRegistry('scan'), readiness: new Readiness(), sink, logGroup: '/netsidecar/scan' });

  const sqs = mockClient(SQSClient);
  t.teardown(() => sqs.restore());
  const queue: Message[] = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => {
    for (const entry of input.Entries)
      queue.push({ MessageId: entry.Id, ReceiptHandle: `rh-${entry.Id}`, Body: entry.MessageBody, Attributes: { ApproximateReceiveCount: '1' } });
    return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })), Failed: [] };
  });
  sqs.on(ReceiveMessageCommand).callsFake(async () => {
    const messages = queue.splice(0);
    if (messages.length === 0) await new Promise((r) => setTimeout(r, 10));
    return { Messages: messages };
  });
  sqs.on(DeleteMessageCommand).resolves({});

  const plan = () => runPlanningRun(context(), { store, sqs: new SQSClient({ region: 'eu-west-1' }) });
  /** The worker until one scan ended (finished or failed; a deadline on the wait), then stopped. */
  const work = async () => {
    const ended = () => sink.ofType('scan_finished').length + sink.ofType('error').filter((e) => e.stage !== 'inventory').length;
    const before = ended();
    const worker = await startWorker(context(), { store, sqs: new SQSClient({ region: 'eu-west-1' }) });
    try {
      await eventually(() => ended() > before, { timeoutMs: 60_000, intervalMs: 20, what: 'a scan to end' });
    } finally {
      await worker.stop();
    }
  };
  return { dir, store, scenario, sink, sqs, queue, tokens, plan, work };
}

t.test('plan -> SQS -> worker -> DynamoDB', async (t) => {
  const s = await setup(t);
  await s.scenario.set(digest, 'ok', [
    { VulnerabilityID: 'CVE-2024-2511', PkgName: 'libssl3', InstalledVersion: '3.0.11-1', FixedVersion: '3.0.13-1', Severity: 'HIGH' },
  ]);

  await s.plan();
  t.equal(s.tokens.length, 2, 'bearer token on namespace and pod lists');
  const url = new URL(decodeEksToken(s.tokens[0]!));
  t.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
  t.match(url.searchParams.get('X-Amz-Credential'), /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/sts\/aws4_request$/);
  t.equal(s.queue.length, 1);
  t.match(JSON.parse(s.queue[0]!.Body!), { digest, owner: 'web', reason: 'new', imageRef: `registry.example/web@${digest}` });
  t.match(await readFile(join(s.dir, 'coverage', 'coverage.md'), 'utf8'), /\| web \| registry\.example\/web \|.*\*\*NEVER SCANNED\*\* \|/);
  t.match(s.sink.ofType('plan_finished')[0], { enqueued: 1, runningImages: 1, dbSource: 'trivy', dbUpdatedAt: '2026-11-22T18:00:00.000Z' });

  await s.work();
  t.same(s.sink.ofType('error'), []);
  t.equal(s.sqs.commandCalls(DeleteMessageCommand).length, 1, 'message deleted after the scan');
  const findings = await s.store.listFindings(digest);
  t.match(findings, [{ vulnerabilityId: 'CVE-2024-2511', status: 'new', severity: 'HIGH' }]);
  t.match(await s.store.getImage(digest), { owner: 'web', trivyVersion: '0.57.1', openCounts: { HIGH: 1 }, lastScanError: null, failedAttempts: 0 });
});

t.test('a scan that times out: written on the image in DynamoDB, FAILING in the next planning run', async (t) => {
  const s = await setup(t);
  await s.scenario.set(digest, 'timeout');
  await s.plan();
  await s.work();
  t.match(s.sink.ofType('error'), [{ stage: 'scan', code: 'trivy_timeout', digest, retried: true }]);
  t.equal(s.sqs.commandCalls(DeleteMessageCommand).length, 0, 'the message stays for SQS to deliver again');
  const image = await s.store.getImage(digest);
  t.match(image, {
    lastScannedAt: null,
    lastScanErrorCode: 'trivy_timeout',
    lastScanError: /context deadline exceeded/,
    failedAttempts: 1,
    failingSince: /Z$/,
  });

  await s.plan();
  t.match(s.sink.ofType('image_coverage').at(-1), {
    digest,
    flag: 'failing',
    failedAttempts: 1,
    failingSince: image!.failingSince,
    lastScanErrorCode: 'trivy_timeout',
  });
  t.match(s.sink.ofType('coverage_summary').at(-1), { runningImages: 1, failing: 1, neverScanned: 0, fresh: 0 });
  t.match(
    await readFile(join(s.dir, 'coverage', 'coverage.md'), 'utf8'),
    /\| web \| registry\.example\/web \|.*\*\*FAILING\*\* since \S+Z, 1 failed attempt, last \S+Z: trivy_timeout \|/,
  );
});
