// The worker against the stand-in `trivy` executable: a clean scan, the same report twice (nothing
// doubled), a failing scan, Trivy's own timeout and malformed reports (clear error, message retried,
// no finding touched, the failure written on the image until a scan succeeds); and the DB version
// asked of `trivy version` or of a Trivy server's `GET /version`.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTrivyTimeout, MemoryStateStore, scanImage, scanRequestSchema, TrivyRunner, type ScanRequest } from '../src/index.js';
import { deps, digestOf, fakeTrivy, Scenario, tempDir, TestClock, trivyRunner } from './support/harness.js';
import { TrivyServer } from './support/trivy-server.js';

const repo = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api';

async function setup(t: { teardown(fn: () => unknown): void }) {
  const dir = await tempDir(t);
  const scenario = new Scenario(join(dir, 'scenario.json'));
  await scenario.save();
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const digest = digestOf('payments-api:1');
  await store.recordSighting({ digest, repository: repo, references: [`${repo}:1.4.2`], locations: [], owner: 'payments', seenAt: clock.now().toISOString() });
  const d = deps({ store, clock });
  const request: ScanRequest = {
    schema: scanRequestSchema,
    digest,
    imageRef: `${repo}@${digest}`,
    owner: 'payments',
    reason: 'new',
    planId: 'p',
    plannedAt: clock.now().toISOString(),
  };
  const run = (attempt = 1) => scanImage(request, attempt, { ...d, store, trivy: trivyRunner(dir, scenario), now: clock.now, ignoreFile: null });
  return { dir, scenario, store, clock, digest, d, run };
}

const vulns = [
  { VulnerabilityID: 'CVE-2024-45491', PkgName: 'libexpat1', InstalledVersion: '2.5.0-1', FixedVersion: '2.5.0-1+deb12u1', Severity: 'CRITICAL' as const },
  { VulnerabilityID: 'CVE-2024-2511', PkgName: 'libssl3', InstalledVersion: '3.0.11-1', FixedVersion: '3.0.13-1', Severity: 'HIGH' as const },
  { VulnerabilityID: 'CVE-2023-4039', PkgName: 'gcc-12-base', InstalledVersion: '12.2.0-14', Severity: 'LOW' as const },
];

t.test('a scan records findings, the DB version and the command line', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', vulns);
  t.equal(await s.run(), 'ok', JSON.stringify(s.d.sink.ofType('error')));
  const findings = await s.store.listFindings(s.digest);
  t.equal(findings.length, 3);
  t.same(findings.map((f) => f.status).sort(), ['new', 'new', 'new']);
  const image = await s.store.getImage(s.digest);
  t.equal(image?.dbUpdatedAt, '2026-11-22T18:00:00.000Z');
  t.equal(image?.trivyVersion, '0.57.1');
  t.same(image?.openCounts, { CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
  const calls = (await readFile(join(s.dir, 'trivy-calls.log'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
  const scan = calls.find((c) => c[0] === 'image')!;
  t.same(scan.slice(0, 7), ['image', '--format', 'json', '--scanners', 'vuln', '--image-src', 'remote']);
  t.equal(scan[scan.length - 1], `${repo}@${s.digest}`);
  t.equal(s.d.sink.ofType('finding_new').length, 3);
  const finished = s.d.sink.ofType('scan_finished')[0]!;
  t.match(finished, { schema: 'scan/1', result: 'ok', findingsTotal: 3, newCount: 3, counts: { CRITICAL: 1, HIGH: 1 } });
});

t.test('the same report twice (a retried message) doubles nothing', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', vulns);
  await s.run();
  const first = await s.store.listFindings(s.digest);
  s.clock.advance(60_000);
  t.equal(await s.run(2), 'ok');
  const second = await s.store.listFindings(s.digest);
  t.equal(second.length, 3);
  for (const f of second) t.equal(f.history.length, 1, `${f.vulnerabilityId}: one history entry`);
  t.same(
    second.map((f) => f.firstSeenAt),
    first.map((f) => f.firstSeenAt),
  );
  t.equal(s.d.sink.ofType('finding_new').length, 3, 'no second finding_new');
});

t.test('a fix resolves the finding once', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'ok', vulns);
  await s.run();
  await s.scenario.set(s.digest, 'ok', vulns.slice(1));
  await s.run();
  await s.run();
  const resolved = (await s.store.listFindings(s.digest)).filter((f) => f.status === 'resolved');
  t.equal(resolved.length, 1);
  t.equal(resolved[0]!.resolvedReason, 'fixed');
  t.equal(s.d.sink.ofType('finding_resolved').length, 1);
});

const expectedCode = { fail: 'trivy_failed', timeout: 'trivy_timeout', malformed: 'report_malformed', garbage: 'report_malformed' } as const;
for (const mode of ['fail', 'timeout', 'malformed', 'garbage'] as const) {
  t.test(`a ${mode} scan is retried, touches no finding, and is written on the image as ${expectedCode[mode]}`, async (t) => {
    const s = await setup(t);
    await s.scenario.set(s.digest, 'ok', vulns);
    await s.run();
    const before = await s.store.listFindings(s.digest);
    const imageBefore = (await s.store.getImage(s.digest))!;
    s.clock.advance(3_600_000);
    await s.scenario.set(s.digest, mode, []);
    t.equal(await s.run(2), 'retry');
    t.same(await s.store.listFindings(s.digest), before, 'findings unchanged (not resolved by an empty/failed scan)');
    const image = (await s.store.getImage(s.digest))!;
    t.same(
      [image.lastScannedAt, image.lastScanId, image.dbUpdatedAt, image.openCounts],
      [imageBefore.lastScannedAt, imageBefore.lastScanId, imageBefore.dbUpdatedAt, imageBefore.openCounts],
      'the last successful scan stays: still due, its findings still open',
    );
    const error = s.d.sink.ofType('error')[0]!;
    t.equal(error.code, expectedCode[mode]);
    t.equal(error.retried, true);
    t.equal(error.digest, s.digest);
    if (mode === 'fail') t.match(error.message, /exited 1: .*DENIED/);
    if (mode === 'timeout') t.match(error.message, /exited 1: .*context deadline exceeded/);
    if (mode === 'malformed') t.match(error.message, /Vulnerabilities\[0\]\.Severity missing/);
    t.match(image, {
      lastScanErrorCode: expectedCode[mode],
      lastScanError: error.message,
      failingSince: s.clock.now().toISOString(),
      lastScanFailedAt: s.clock.now().toISOString(),
      failedAttempts: 1,
    });
    t.match(await s.d.registry.getSingleMetricAsString('netsidecar_scan_scans_total'), new RegExp(`result="${expectedCode[mode]}"[^}]*} 1$`, 'm'));
    t.notOk(JSON.stringify(s.d.sink.parsed()).includes('finding_resolved'));
  });
}

t.test('failing since the first failed attempt, counted until a scan succeeds', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'timeout');
  await s.run(1);
  const since = s.clock.now().toISOString();
  s.clock.advance(15 * 60_000);
  await s.scenario.set(s.digest, 'fail');
  await s.run(2);
  t.match(await s.store.getImage(s.digest), {
    lastScannedAt: null,
    failingSince: since,
    failedAttempts: 2,
    lastScanErrorCode: 'trivy_failed',
    lastScanFailedAt: s.clock.now().toISOString(),
  });
  s.clock.advance(15 * 60_000);
  await s.scenario.set(s.digest, 'ok', vulns);
  t.equal(await s.run(3), 'ok');
  t.match(await s.store.getImage(s.digest), {
    lastScannedAt: s.clock.now().toISOString(),
    lastScanError: null,
    lastScanErrorCode: null,
    failingSince: null,
    lastScanFailedAt: null,
    failedAttempts: 0,
  });
});

t.test("Trivy's own --timeout is trivy_timeout; a registry that does not answer is not", async (t) => {
  const quiet =
    '2026-11-23T04:10:00Z\tFATAL\tFatal error\trun error: image scan error: scan error: scan failed: failed analysis: analyze error: timeout: context deadline exceeded\n';
  t.equal(isTrivyTimeout(quiet), true, 'with --quiet: the FATAL line alone');
  t.equal(
    isTrivyTimeout(`2026-11-23T04:10:00Z\tWARN\tProvide a higher timeout value, see https://aquasecurity.github.io/trivy/v0.57/docs/configuration/\n${quiet}`),
    true,
  );
  t.equal(
    isTrivyTimeout(
      'FATAL\tFatal error\tremote error: Get "https://registry.example/v2/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\n',
    ),
    false,
    "Go's HTTP client timeout",
  );
  t.equal(isTrivyTimeout('FATAL\tFatal error\tremote error: GET https://registry.example/v2/: DENIED: denied\n'), false);
});

t.test('a hung trivy is killed at the timeout', async (t) => {
  const s = await setup(t);
  await s.scenario.set(s.digest, 'hang');
  const runner = new TrivyRunner({
    path: fakeTrivy,
    server: null,
    cacheDir: null,
    timeoutMs: 100,
    killGraceMs: 100,
    env: { ...process.env, FAKE_TRIVY_SCENARIO: s.scenario.path },
  });
  await t.rejects(runner.scan(`${repo}@${s.digest}`), { code: 'trivy_timeout', message: /killed after 200 ms/ });
});

t.test('a missing trivy executable is a clear error', async (t) => {
  const s = await setup(t);
  const runner = new TrivyRunner({ path: join(s.dir, 'no-such-trivy'), server: null, cacheDir: null, timeoutMs: 1000 });
  await t.rejects(runner.scan(`${repo}@${s.digest}`), { code: 'trivy_failed', message: /cannot run .*ENOENT/ });
  await t.rejects(runner.dbInfo(), { code: 'trivy_failed', message: /cannot run .*ENOENT/ });
});

t.test("the DB version: `trivy version --format json` standalone, the server's GET /version in client mode", async (t) => {
  const s = await setup(t);
  const standalone = trivyRunner(s.dir, s.scenario);
  t.same(await standalone.dbInfo(), { trivyVersion: '0.57.1', dbUpdatedAt: '2026-11-22T18:00:00.000Z', source: 'trivy' });
  s.scenario.dbUpdatedAt = null;
  await s.scenario.save();
  t.same(await standalone.dbInfo(), { trivyVersion: '0.57.1', dbUpdatedAt: null, source: 'trivy' }, 'no DB downloaded yet: unknown, not an error');

  const server = await new TrivyServer().start();
  t.teardown(() => server.close());
  // The executable is not run in client mode to learn the version: a missing one does not matter.
  const client = new TrivyRunner({ path: join(s.dir, 'no-such-trivy'), server: server.url, cacheDir: null, timeoutMs: 1000 });
  t.same(await client.dbInfo(), { trivyVersion: '0.57.1', dbUpdatedAt: '2026-11-23T00:12:05.000Z', source: 'server' });
  t.same(server.requests, ['GET /version']);
  server.failWith = 503;
  await t.rejects(client.dbInfo(), { code: 'trivy_failed', message: `trivy server ${server.url}/version answered 503` });
  await server.close();
  // Refused, or the kept-alive socket closed (UND_ERR_SOCKET): either way the server is not there.
  await t.rejects(client.dbInfo(), { code: 'trivy_failed', message: /^trivy server http:\/\/127\.0\.0\.1:\d+\/version: (ECONNREFUSED|UND_ERR_SOCKET)$/ });
});
