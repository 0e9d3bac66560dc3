// `node dist/main.js plan` as EventBridge Scheduler's RunTask starts it: a process that reads its
// configuration, reaches DynamoDB through the standard AWS_ENDPOINT_URL_DYNAMODB, asks the Trivy
// server for its DB version, runs one plan, drains the file sink and exits 0 (no cluster configured:
// nothing runs, so SQS is not called). It opens no health port, so a port in use cannot fail it;
// exit 1 is kept for a run that could not work at all, and what it wrote before is still drained.
// Exit 2 on bad configuration, whether the runtime reads it at start or the work asks for it.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamo } from './support/dynamo.js';
import { tempDir } from './support/harness.js';
import { TrivyServer } from './support/trivy-server.js';

const main = resolve(dirname(fileURLToPath(import.meta.url)), '../src/main.ts');

function plan(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_')));
  const child = spawn(process.execPath, [...process.execArgv, main, 'plan'], {
    env: {
      ...clean,
      NETSIDECAR_SCAN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

/** A port of 127.0.0.1 held open by this test (listening), or one just closed (nothing there). */
async function port(t: { teardown(fn: () => unknown): void }, keep: boolean): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  if (keep) t.teardown(() => new Promise((done) => server.close(done)));
  else await new Promise((done) => server.close(done));
  return port;
}

async function events(dir: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(dir, 'logs', 'netsidecar', 'scan', 'planner.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

// Both runs at once: each process pays the TypeScript loader's start-up, which dominates on a busy machine.
t.test('plan as a process: a finished run exits 0 whatever its health port; a run that cannot work exits 1; bad configuration exits 2', async (t) => {
  const [ok, broken, misconfigured] = await Promise.all([finishedRun(t), unreachableStore(t), missingQueue(t)]);
  await ok();
  await broken();
  await misconfigured();
});

/** A variable the work needs is missing: exit 2 and one line naming it, as a bad value at start gives. */
async function missingQueue(t: Test) {
  const dir = await tempDir(t);
  const result = await plan({ NETSIDECAR_DATA_DIR: dir, NETSIDECAR_SCAN_QUEUE_URL: '' });
  return async () => {
    t.equal(result.code, 2, result.stderr);
    t.match(result.stderr, /^netsidecar-scan: NETSIDECAR_SCAN_QUEUE_URL: required for plan and worker$/m);
    t.match(result.stderr, /"msg":"drained".*"exitCode":2/);
  };
}

/** The DB version from the Trivy server stand-in, no health port opened, exit 0. */
async function finishedRun(t: Test) {
  const dir = await tempDir(t);
  const db = await startDynamo(t);
  const endpoint = await db.client.config.endpoint!();
  const trivy = await new TrivyServer().start();
  t.teardown(() => trivy.close());
  // The configured health port is taken: a planner that listened on it would fail with EADDRINUSE.
  const taken = await port(t, true);
  const result = await plan({
    NETSIDECAR_DATA_DIR: dir,
    NETSIDECAR_SCAN_HEALTH_PORT: String(taken),
    NETSIDECAR_SCAN_TRIVY_SERVER: trivy.url,
    AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint.hostname}:${endpoint.port}`,
  });
  return async () => {
    t.equal(result.code, 0, result.stderr);
    t.match(result.stderr, /"msg":"planning run finished"/);
    t.match(result.stderr, /"msg":"drained".*"exitCode":0/);
    t.notMatch(result.stderr, /healthPort|EADDRINUSE/);
    t.same(trivy.requests, ['GET /version'], 'asked once, at the run');
    const planner = await events(dir);
    t.match(planner, [
      { schema: 'scan/1', type: 'coverage_summary', runningImages: 0, neverScanned: 0, stale: 0, failing: 0 },
      { schema: 'scan/1', type: 'plan_finished', runningImages: 0, enqueued: 0, dbUpdatedAt: '2026-11-23T00:12:05.000Z', dbSource: 'server' },
    ]);
    t.equal(planner.length, 2, 'nothing runs: the summary is the whole coverage');
    t.match(await readFile(join(dir, 'coverage', 'coverage.md'), 'utf8'), /running images: 0/);
  };
}

/** The state store unreachable: exit 1, "could not run", and the events it wrote before drained. */
async function unreachableStore(t: Test) {
  const dir = await tempDir(t);
  const result = await plan({
    NETSIDECAR_DATA_DIR: dir,
    // An EKS cluster that does not answer either: its error event comes before the store is read.
    NETSIDECAR_SCAN_EKS_CLUSTERS: `eks-prod=http://127.0.0.1:${await port(t, false)}`,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await port(t, false)}`,
    AWS_MAX_ATTEMPTS: '1',
  });
  return async () => {
    t.equal(result.code, 1, result.stderr);
    t.match(result.stderr, /netsidecar-scan: could not run: /);
    t.match(result.stderr, /"msg":"drained".*"exitCode":1/);
    t.match(await events(dir), [{ schema: 'scan/1', type: 'error', stage: 'inventory', code: 'eks_failed', cluster: 'eks-prod' }]);
  };
}
