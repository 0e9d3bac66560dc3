// `node dist/main.js plan` as EventBridge Scheduler's RunTask starts it: a process that reads its
// configuration, reaches DynamoDB through the standard AWS_ENDPOINT_URL_DYNAMODB, runs one plan,
// drains the file sink and exits 0. (No cluster configured: nothing runs, so SQS is not called.)
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamo } from './support/dynamo.js';
import { tempDir } from './support/harness.js';

const main = resolve(dirname(fileURLToPath(import.meta.url)), '../src/main.ts');

t.test('plan: one run, then exit 0', async (t) => {
  const dir = await tempDir(t);
  const db = await startDynamo(t);
  const endpoint = await db.client.config.endpoint!();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_')));
  const child = spawn(process.execPath, [...process.execArgv, main, 'plan'], {
    env: {
      ...clean,
      NETSIDECAR_DATA_DIR: dir,
      NETSIDECAR_SCAN_HEALTH_PORT: '0',
      NETSIDECAR_SCAN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/netsidecar-scan',
      AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint.hostname}:${endpoint.port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  t.equal(code, 0, stderr);
  t.match(stderr, /"msg":"planning run finished"/);
  t.match(stderr, /"msg":"drained"/);
  const planner = (await readFile(join(dir, 'logs', 'netsidecar', 'scan', 'planner.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(planner, [
    { schema: 'scan/1', type: 'coverage_summary', runningImages: 0, neverScanned: 0, stale: 0 },
    { schema: 'scan/1', type: 'plan_finished', runningImages: 0, enqueued: 0 },
  ]);
  t.equal(planner.length, 2, 'nothing runs: the summary is the whole coverage');
  t.match(await readFile(join(dir, 'coverage', 'coverage.md'), 'utf8'), /running images: 0/);
});
