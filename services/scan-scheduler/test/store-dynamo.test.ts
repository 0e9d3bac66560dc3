// The DynamoDB state store against dynalite on port 0: sightings that never touch scan fields, the
// conditional queue claim (dedup by digest), failed scans counted once each and cleared by a success
// (the memory store of local mode held to the same rule), findings written in batches of 25 and read
// back, and the whole scan path run twice doubling nothing.
import t, { type Test } from 'tap';
import { join } from 'node:path';
import {
  DynamoStateStore,
  emptyCounts,
  MemoryStateStore,
  scanImage,
  scanRequestSchema,
  type FindingRecord,
  type ScanRequest,
  type StateStore,
} from '../src/index.js';
import { startDynamo } from './support/dynamo.js';
import { deps, digestOf, Scenario, tempDir, TestClock, trivyRunner } from './support/harness.js';

const repo = 'registry.example/app';

t.test('sightings, scans and claims', async (t) => {
  const db = await startDynamo(t);
  const store = new DynamoStateStore(db);
  const digest = digestOf('a');
  const location = { platform: 'ecs' as const, cluster: 'prod', workload: 'service:a', namespace: null };
  await store.recordSighting({
    digest,
    repository: repo,
    references: [`${repo}:1`],
    locations: [location],
    owner: 'payments',
    seenAt: '2026-11-23T04:00:00.000Z',
  });
  let image = await store.getImage(digest);
  t.match(image, {
    digest,
    repository: repo,
    owner: 'payments',
    running: true,
    firstSeenAt: '2026-11-23T04:00:00.000Z',
    lastScannedAt: null,
    lastQueuedAt: null,
  });
  t.same(image?.locations, [location]);

  t.equal(await store.claimForQueue(digest, '2026-11-23T04:00:00.000Z', 3_600_000), true, 'first claim');
  t.equal(await store.claimForQueue(digest, '2026-11-23T04:30:00.000Z', 3_600_000), false, 'held within the lease');
  t.equal(await store.claimForQueue(digestOf('unknown'), '2026-11-23T04:30:00.000Z', 3_600_000), false, 'no such image');

  await store.recordScan(digest, {
    scannedAt: '2026-11-23T04:10:00.000Z',
    scanId: 's1',
    dbUpdatedAt: '2026-11-22T18:00:00.000Z',
    trivyVersion: '0.57.1',
    openCounts: { ...emptyCounts(), HIGH: 2 },
  });
  t.equal(await store.claimForQueue(digest, '2026-11-23T04:40:00.000Z', 3_600_000), true, 'scanned since the claim: free again');
  await store.releaseClaim(digest, '2026-11-23T04:40:00.000Z', '2026-11-23T04:00:00.000Z');
  t.equal((await store.getImage(digest))?.lastQueuedAt, '2026-11-23T04:00:00.000Z', 'claim released');
  await store.releaseClaim(digest, '2026-11-23T09:99', null);
  t.equal((await store.getImage(digest))?.lastQueuedAt, '2026-11-23T04:00:00.000Z', 'someone else’s claim is not released');
  t.equal(await store.claimForQueue(digest, '2026-11-23T05:00:00.001Z', 3_600_000), true, 'lease over');

  // A later sighting refreshes the inventory fields and leaves the scan fields alone.
  await store.recordSighting({ digest, repository: repo, references: [`${repo}:2`], locations: [], owner: 'web', seenAt: '2026-11-23T06:00:00.000Z' });
  image = await store.getImage(digest);
  t.match(image, {
    owner: 'web',
    firstSeenAt: '2026-11-23T04:00:00.000Z',
    lastSeenAt: '2026-11-23T06:00:00.000Z',
    lastScannedAt: '2026-11-23T04:10:00.000Z',
    dbUpdatedAt: '2026-11-22T18:00:00.000Z',
  });
  t.same(image?.openCounts, { ...emptyCounts(), HIGH: 2 });
  await store.markGone(digest);
  t.equal((await store.getImage(digest))?.running, false);
  t.equal((await store.listImages()).length, 1);
});

/** The failure rule, the same for DynamoDB (production) and the memory store (local mode). */
async function failedScans(t: Test, store: StateStore) {
  const digest = digestOf('failing');
  await store.recordSighting({ digest, repository: repo, references: [], locations: [], owner: null, seenAt: '2026-11-23T04:00:00.000Z' });
  const scanned = { scanId: 's1', dbUpdatedAt: '2026-11-22T18:00:00.000Z', trivyVersion: '0.57.1', openCounts: { ...emptyCounts(), HIGH: 1 } };
  await store.recordScan(digest, { ...scanned, scannedAt: '2026-11-23T04:10:00.000Z' });
  t.match(
    await store.getImage(digest),
    { lastScanError: null, lastScanErrorCode: null, lastScanFailedAt: null, failingSince: null, failedAttempts: 0 },
    'a fresh success: no failure',
  );

  const timeout = { code: 'trivy_timeout' as const, message: 'trivy image exited 1: ... context deadline exceeded' };
  await store.recordScanFailure(digest, { ...timeout, failedAt: '2026-11-23T05:00:00.000Z' });
  await store.recordScanFailure(digest, { ...timeout, failedAt: '2026-11-23T05:00:00.000Z' });
  t.match(
    await store.getImage(digest),
    {
      lastScanErrorCode: 'trivy_timeout',
      lastScanError: timeout.message,
      failingSince: '2026-11-23T05:00:00.000Z',
      lastScanFailedAt: '2026-11-23T05:00:00.000Z',
      failedAttempts: 1,
    },
    'the same failure written twice counts once',
  );
  await store.recordScanFailure(digest, { code: 'trivy_failed', message: 'DENIED', failedAt: '2026-11-23T05:15:00.000Z' });
  t.match(
    await store.getImage(digest),
    {
      lastScanErrorCode: 'trivy_failed',
      lastScanError: 'DENIED',
      failingSince: '2026-11-23T05:00:00.000Z',
      lastScanFailedAt: '2026-11-23T05:15:00.000Z',
      failedAttempts: 2,
    },
    'since the first failure; the last error',
  );
  await store.recordScanFailure(digest, { ...timeout, failedAt: '2026-11-23T05:10:00.000Z' });
  t.match(await store.getImage(digest), { failedAttempts: 2, lastScanErrorCode: 'trivy_failed' }, 'an older attempt written late changes nothing');
  t.match(
    await store.getImage(digest),
    { lastScannedAt: '2026-11-23T04:10:00.000Z', openCounts: { HIGH: 1 } },
    'the last successful scan and its findings stay',
  );

  await store.recordScan(digest, { ...scanned, scannedAt: '2026-11-23T06:00:00.000Z' });
  t.match(
    await store.getImage(digest),
    { lastScanError: null, lastScanErrorCode: null, lastScanFailedAt: null, failingSince: null, failedAttempts: 0 },
    'a success clears the failure',
  );
  await store.recordScanFailure(digest, { ...timeout, failedAt: '2026-11-23T05:30:00.000Z' });
  t.equal((await store.getImage(digest))?.failedAttempts, 0, 'an attempt that ended before the success changes nothing');
  await store.recordScanFailure(digest, { ...timeout, failedAt: '2026-11-23T07:00:00.000Z' });
  t.match(await store.getImage(digest), { failingSince: '2026-11-23T07:00:00.000Z', failedAttempts: 1 }, 'failing again: a new since');
  await store.recordScanFailure(digestOf('unknown'), { ...timeout, failedAt: '2026-11-23T07:00:00.000Z' });
  t.equal(await store.getImage(digestOf('unknown')), undefined, 'no image is created by a failure');
}

t.test('failed scans on DynamoDB', async (t) => failedScans(t, new DynamoStateStore(await startDynamo(t))));
t.test('failed scans in the memory store (local mode)', async (t) => failedScans(t, new MemoryStateStore()));

t.test('findings: batches of 25, pages, overwrite by fingerprint', async (t) => {
  const db = await startDynamo(t);
  const store = new DynamoStateStore(db);
  const digest = digestOf('b');
  const finding = (i: number): FindingRecord => ({
    digest,
    fingerprint: `fp-${String(i).padStart(3, '0')}`,
    vulnerabilityId: `CVE-2024-${1000 + i}`,
    pkgName: 'pkg'.repeat(200),
    installedVersion: '1.0',
    fixedVersion: null,
    severity: 'HIGH',
    vendorStatus: 'affected',
    target: 't',
    title: null,
    status: 'new',
    firstSeenAt: '2026-11-23T04:00:00.000Z',
    lastSeenAt: '2026-11-23T04:00:00.000Z',
    notifiedAt: null,
    resolvedAt: null,
    resolvedNotifiedAt: null,
    resolvedReason: null,
    ignoreStatement: null,
    ignoreExpiresAt: null,
    history: [{ at: '2026-11-23T04:00:00.000Z', status: 'new', scanId: 's', reason: null }],
  });
  const all = Array.from({ length: 120 }, (_, i) => finding(i));
  await store.putFindings(all);
  await store.putFindings(all);
  const read = await store.listFindings(digest);
  t.equal(read.length, 120);
  t.same(read[7], all[7], 'round trip, nulls included');
  await store.putFindings([{ ...all[0]!, status: 'notified' }]);
  t.equal((await store.listFindings(digest)).filter((f) => f.status === 'notified').length, 1);
  t.same(await store.listFindings(digestOf('other')), []);
});

t.test('the scan path on DynamoDB: twice is the same as once', async (t) => {
  const db = await startDynamo(t);
  const store = new DynamoStateStore(db);
  const dir = await tempDir(t);
  const scenario = new Scenario(join(dir, 'scenario.json'));
  const clock = new TestClock();
  const digest = digestOf('c');
  await store.recordSighting({ digest, repository: repo, references: [], locations: [], owner: null, seenAt: clock.now().toISOString() });
  await scenario.set(digest, 'ok', [
    { VulnerabilityID: 'CVE-2024-45491', PkgName: 'libexpat1', InstalledVersion: '2.5.0-1', FixedVersion: '2.5.0-1+deb12u1', Severity: 'CRITICAL' },
    { VulnerabilityID: 'CVE-2023-4039', PkgName: 'gcc-12-base', InstalledVersion: '12.2.0-14', Severity: 'LOW' },
  ]);
  const d = deps({ store, clock });
  const request: ScanRequest = {
    schema: scanRequestSchema,
    digest,
    imageRef: `${repo}@${digest}`,
    owner: null,
    reason: 'new' as const,
    planId: 'p',
    plannedAt: '',
  };
  const run = () => scanImage(request, 1, { ...d, store, trivy: trivyRunner(dir, scenario), now: clock.now, ignoreFile: null });
  t.equal(await run(), 'ok');
  const once = await store.listFindings(digest);
  t.equal(await run(), 'ok');
  const twice = await store.listFindings(digest);
  t.same(
    twice.map((f) => [f.fingerprint, f.status, f.history.length]),
    once.map((f) => [f.fingerprint, f.status, f.history.length]),
  );
  t.equal(twice.length, 2);
  t.same((await store.getImage(digest))?.openCounts, { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
});
