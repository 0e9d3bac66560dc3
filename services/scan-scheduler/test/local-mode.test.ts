// Local mode as a developer runs it: one process, a static inventory file, local state in a JSON
// file, `trivy` found on PATH (the stand-in), the coverage report on stdout, events in the file sink.
import t from 'tap';
import { spawn } from 'node:child_process';
import { runLocal } from '../src/index.js';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestOf, fixtures, Scenario, tempDir } from './support/harness.js';

const local = resolve(dirname(fileURLToPath(import.meta.url)), '../src/local.ts');
const example = resolve(dirname(fileURLToPath(import.meta.url)), '../examples/inventory.json');

/** In-process (fast); `spawnLocal` runs the real command once. */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runLocal({ argv: args, env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

function spawnLocal(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_')));
  // The same TypeScript loader tap gives this test, so the source runs as `node dist/local.js` would.
  const child = spawn(process.execPath, [...process.execArgv, local, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

t.test('plan + scan + coverage in one command', async (t) => {
  const dir = await tempDir(t);
  const scenario = new Scenario(join(dir, 'scenario.json'));
  const python = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  await scenario.set(python, 'ok', [
    { VulnerabilityID: 'CVE-2024-45491', PkgName: 'libexpat1', InstalledVersion: '2.5.0-1', FixedVersion: '2.5.0-1+deb12u1', Severity: 'CRITICAL' },
  ]);
  const env = {
    PATH: `${fixtures}:${process.env.PATH ?? ''}`,
    NETSIDECAR_DATA_DIR: dir,
    NETSIDECAR_SINK_FLUSH_INTERVAL: '10ms',
    FAKE_TRIVY_SCENARIO: scenario.path,
  };
  const first = await run(['--inventory', example], env);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /# Image scan coverage/);
  t.match(first.stdout, /running images: 2\n- never scanned: 0/);
  t.match(first.stdout, /open findings: CRITICAL 1, HIGH 0/);
  t.match(first.stdout, /\| payments \| public\.ecr\.aws\/docker\/library\/python \| `sha256:9f86d081884` \| ecs\/prod\/service:payments-api \| 2026|\d{4}-/);
  t.match(first.stdout, /## UNPINNED[\s\S]*\| web \| eks \| eks-prod \| web\/ReplicaSet\/cache-55f \| redis:7\.4 \|/);
  const state = JSON.parse(await readFile(join(dir, 'scan-state.json'), 'utf8')) as { images: unknown[]; findings: { status: string }[] };
  t.equal(state.images.length, 2);
  t.same(
    state.findings.map((f) => f.status),
    ['new'],
    'no Slack configured: stays new',
  );
  const coverage = JSON.parse(await readFile(join(dir, 'coverage', 'coverage.json'), 'utf8')) as { summary: { runningImages: number } };
  t.equal(coverage.summary.runningImages, 2);
  const streams = await readdir(join(dir, 'logs', 'netsidecar', 'scan'));
  t.same(streams.sort(), ['planner.jsonl', 'worker.jsonl']);
  const worker = (await readFile(join(dir, 'logs', 'netsidecar', 'scan', 'worker.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; schema: string });
  const count = (type: string) => worker.filter((e) => e.type === type).length;
  t.same([count('scan_started'), count('finding_new'), count('scan_finished'), count('error')], [2, 1, 2, 0]);
  t.ok(worker.every((e) => e.schema === 'scan/1'));

  // Second run: nothing is due (scanned just now), nothing new.
  const second = await run(['--inventory', example], env);
  t.equal(second.code, 0, second.stderr);
  const again = JSON.parse(await readFile(join(dir, 'scan-state.json'), 'utf8')) as { findings: { history: unknown[] }[] };
  t.equal(again.findings[0]!.history.length, 1);
});

t.test("failing scans: exit 1, the images FAILING with the error code, Trivy's own timeout as trivy_timeout", async (t) => {
  const dir = await tempDir(t);
  const scenario = new Scenario(join(dir, 'scenario.json'));
  const denied = digestOf('denied');
  const slow = digestOf('slow');
  await scenario.set(denied, 'fail');
  await scenario.set(slow, 'timeout');
  const inventory = join(dir, 'inventory.json');
  await writeFile(
    inventory,
    JSON.stringify({
      workloads: [
        { image: `registry.example/denied@${denied}`, team: 'web' },
        { image: `registry.example/slow@${slow}`, team: 'data' },
      ],
    }),
  );
  // The real command: a process with its exit code, its state file and its report.
  const env = {
    PATH: process.env.PATH ?? '',
    NETSIDECAR_DATA_DIR: dir,
    NETSIDECAR_SCAN_TRIVY_PATH: join(fixtures, 'trivy'),
    FAKE_TRIVY_SCENARIO: scenario.path,
  };
  const result = await spawnLocal(['--inventory', inventory, '--json'], env);
  t.equal(result.code, 1, result.stderr);
  const coverage = JSON.parse(result.stdout) as { summary: Record<string, unknown>; images: Record<string, unknown>[] };
  const at = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/;
  t.match(coverage.images, [
    {
      owner: 'data',
      flag: 'failing',
      lastScannedAt: null,
      failedAttempts: 1,
      failingSince: at,
      lastScanFailedAt: at,
      lastScanErrorCode: 'trivy_timeout',
      lastScanError: /context deadline exceeded/,
    },
    { owner: 'web', flag: 'failing', lastScannedAt: null, failedAttempts: 1, failingSince: at, lastScanErrorCode: 'trivy_failed', lastScanError: /DENIED/ },
  ]);
  t.match(coverage.summary, { runningImages: 2, failing: 2, neverScanned: 0 });
  const state = JSON.parse(await readFile(join(dir, 'scan-state.json'), 'utf8')) as { images: Record<string, unknown>[] };
  t.match(
    state.images.find((i) => i.digest === slow),
    { lastScanErrorCode: 'trivy_timeout', lastScanError: /context deadline exceeded/, failedAttempts: 1 },
    'lastScanError written',
  );
  const errors = (await readFile(join(dir, 'logs', 'netsidecar', 'scan', 'worker.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.type === 'error');
  t.same(
    errors.map((e) => [e.digest, e.code]).sort(),
    [
      [denied, 'trivy_failed'],
      [slow, 'trivy_timeout'],
    ].sort(),
  );
  const markdown = await readFile(join(dir, 'coverage', 'coverage.md'), 'utf8');
  t.match(markdown, /- failing \(last scan attempts failed\): 2/);
  t.match(markdown, /\| data \| registry\.example\/slow \|.*\| never \|.*\| \*\*FAILING\*\* since \S+Z, 1 failed attempt, last \S+Z: trivy_timeout \|/);

  // The second run retries both (never scanned successfully): two failed attempts, since the first.
  const again = await run(['--inventory', inventory, '--json'], env);
  t.equal(again.code, 1);
  const images = (JSON.parse(again.stdout) as { images: Record<string, unknown>[] }).images;
  const first = coverage.images.find((i) => i.owner === 'data')!;
  t.match(
    images.find((i) => i.owner === 'data'),
    { flag: 'failing', failedAttempts: 2, failingSince: first.failingSince, lastScanErrorCode: 'trivy_timeout' },
  );
});

t.test('a new Trivy DB: the next run rescans every image (db_updated), before any scan recorded it', async (t) => {
  const dir = await tempDir(t);
  const scenario = new Scenario(join(dir, 'scenario.json'));
  await scenario.save();
  const env = {
    PATH: `${fixtures}:${process.env.PATH ?? ''}`,
    NETSIDECAR_DATA_DIR: dir,
    NETSIDECAR_SINK_FLUSH_INTERVAL: '10ms',
    NETSIDECAR_SCAN_DB_RESCAN_MIN_AGE: '0ms',
    FAKE_TRIVY_SCENARIO: scenario.path,
  };
  t.equal((await run(['--inventory', example], env)).code, 0);
  const second = await run(['--inventory', example], env);
  t.equal(second.code, 0);
  t.match(second.stderr, /"scanned":0/, 'the same DB: nothing to rescan');

  scenario.dbUpdatedAt = '2026-11-23T00:12:05Z';
  await scenario.save();
  const third = await run(['--inventory', example], env);
  t.equal(third.code, 0, third.stderr);
  t.match(third.stderr, /"scanned":2/);
  const lines = async (stream: string) =>
    (await readFile(join(dir, 'logs', 'netsidecar', 'scan', `${stream}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(
    (await lines('worker')).filter((e) => e.type === 'scan_started').map((e) => e.reason),
    ['new', 'new', 'db_updated', 'db_updated'],
  );
  t.match(
    (await lines('planner')).filter((e) => e.type === 'plan_finished').map((e) => [e.dbSource, e.dbUpdatedAt]),
    [
      ['trivy', '2026-11-22T18:00:00.000Z'],
      ['trivy', '2026-11-22T18:00:00.000Z'],
      ['trivy', '2026-11-23T00:12:05.000Z'],
    ],
  );
  const state = JSON.parse(await readFile(join(dir, 'scan-state.json'), 'utf8')) as { images: { dbUpdatedAt: string }[] };
  t.same(
    state.images.map((i) => i.dbUpdatedAt),
    ['2026-11-23T00:12:05.000Z', '2026-11-23T00:12:05.000Z'],
  );
});

t.test('usage and bad configuration', async (t) => {
  const usage = await run([], {});
  t.equal(usage.code, 2);
  t.match(usage.stderr, /usage: node dist\/local\.js --inventory FILE/);
  const bad = await run(['--inventory', example], { NETSIDECAR_SCAN_SEVERITIES: 'SEVERE' });
  t.equal(bad.code, 2);
  t.match(bad.stderr, /NETSIDECAR_SCAN_SEVERITIES: expected severities among/);
});
