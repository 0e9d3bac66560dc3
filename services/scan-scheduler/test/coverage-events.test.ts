// The coverage report as scan/1 events (the planner task's files vanish in AWS): one image_coverage
// per running image per run with the right flag, a coverage_summary whose totals match, bounded
// lists, and image_unpinned tied to the run. Asserted on what the sink received.
import t from 'tap';
import {
  emptyCounts,
  imageCoverageEvent,
  MemoryScanQueue,
  MemoryStateStore,
  noFailure,
  runPlan,
  type InventorySource,
  type WorkloadImage,
} from '../src/index.js';
import { FakeSource } from './support/fake-source.js';
import { deps, digestOf, TestClock } from './support/harness.js';

const hour = 3_600_000;

const row = (name: string, workload = `service:${name}`, team: string | null = 'payments', digest: string | null = digestOf(name)): WorkloadImage => ({
  platform: 'ecs',
  cluster: 'prod',
  workload,
  namespace: null,
  team,
  image: `registry.example/${name}:1`,
  digest,
  repository: `registry.example/${name}`,
});

function setup(sources: InventorySource[]) {
  const store = new MemoryStateStore();
  const clock = new TestClock();
  const d = deps({ store, clock });
  const run = () =>
    runPlan({
      sources,
      store,
      queue: new MemoryScanQueue(),
      events: d.events,
      notifier: d.notifier,
      now: clock.now,
      leaseMs: 2 * hour,
      maxEnqueue: 100,
      maxAgeMs: 24 * hour,
      dbRescanMinAgeMs: 6 * hour,
    });
  return { store, clock, d, run };
}

t.test('one image_coverage per running image with never_scanned / stale / fresh flags, and a matching summary', async (t) => {
  const fleet = Array.from({ length: 25 }, (_, i) => row('fleet', `service:fleet-${String(i).padStart(2, '0')}`, 'web'));
  const source = new FakeSource('ecs', 'prod', [
    row('never'),
    row('fresh'),
    row('fresh'),
    row('stale', 'service:stale', 'data'),
    ...fleet,
    row('latest', 'service:x', null, null),
  ]);
  const { store, clock, d, run } = setup([source]);
  const first = await run();
  t.equal(d.sink.ofType('image_coverage').length, 4, 'first run: one event per running image');
  t.ok(d.sink.ofType('image_coverage').every((e) => e.flag === 'never_scanned' && e.planId === first.planId));

  // fresh: scanned an hour ago; stale: scanned 30 h ago with open findings; fleet: 25 h ago.
  clock.advance(2 * hour);
  const counts = { ...emptyCounts(), CRITICAL: 1, HIGH: 2, LOW: 4 };
  await store.recordScan(digestOf('fresh'), {
    scannedAt: new Date(clock.ms - hour).toISOString(),
    scanId: 's1',
    dbUpdatedAt: '2026-11-23T00:00:00.000Z',
    trivyVersion: '0.57.1',
    openCounts: emptyCounts(),
  });
  await store.recordScan(digestOf('stale'), {
    scannedAt: new Date(clock.ms - 30 * hour).toISOString(),
    scanId: 's2',
    dbUpdatedAt: '2026-11-21T00:00:00.000Z',
    trivyVersion: '0.57.1',
    openCounts: counts,
  });
  await store.recordScan(digestOf('fleet'), {
    scannedAt: new Date(clock.ms - 25 * hour).toISOString(),
    scanId: 's3',
    dbUpdatedAt: null,
    trivyVersion: null,
    openCounts: { ...emptyCounts(), HIGH: 1 },
  });
  const second = await run();

  const all = d.sink.parsed();
  const ofRun = all.filter((e) => e.planId === second.planId);
  const coverage = ofRun.filter((e) => e.type === 'image_coverage');
  t.equal(coverage.length, 4, 'exactly one image_coverage per running image');
  t.same(new Set(coverage.map((e) => e.digest)), new Set(['never', 'fresh', 'stale', 'fleet'].map(digestOf)));
  const by = (name: string) => coverage.find((e) => e.digest === digestOf(name))!;
  t.equal(by('never').flag, 'never_scanned');
  t.equal(by('never').lastScannedAt, null);
  t.equal(by('fresh').flag, null, 'fresh: no flag');
  t.equal(by('stale').flag, 'stale');
  t.equal(by('fleet').flag, 'stale');
  t.match(by('stale'), {
    schema: 'scan/1',
    repository: 'registry.example/stale',
    imageRef: `registry.example/stale@${digestOf('stale')}`,
    owner: 'data',
    plannedAt: '2026-11-23T06:00:00.000Z',
    references: ['registry.example/stale:1'],
    referencesTotal: 1,
    platforms: ['ecs'],
    clusters: ['ecs/prod'],
    clustersTotal: 1,
    workloads: ['ecs/prod/service:stale'],
    workloadsTotal: 1,
    firstSeenAt: '2026-11-23T04:00:00.000Z',
    lastSeenAt: '2026-11-23T06:00:00.000Z',
    lastScannedAt: '2026-11-22T00:00:00.000Z',
    dbUpdatedAt: '2026-11-21T00:00:00.000Z',
    trivyVersion: '0.57.1',
    openFindings: { CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 4, UNKNOWN: 0 },
  });
  t.equal(by('fresh').workloadsTotal, 1, 'two rows of one workload are one place');

  // Bounded: 25 workloads -> 20 listed + the total; every event small.
  t.equal(by('fleet').workloads.length, 20);
  t.equal(by('fleet').workloadsTotal, 25);
  t.equal(by('fleet').workloads[0], 'ecs/prod/service:fleet-00');
  const largest = Math.max(...d.sink.events.map((event) => Buffer.byteLength(event.message)));
  t.ok(largest < 4 * 1024, `every event well under the sink's limit (largest ${largest} bytes)`);

  const summaries = ofRun.filter((e) => e.type === 'coverage_summary');
  t.equal(summaries.length, 1, 'one summary per run');
  t.match(summaries[0], {
    runningImages: 4,
    fresh: 1,
    neverScanned: 1,
    stale: 2,
    failing: 0,
    unpinned: 1,
    openFindings: { CRITICAL: 1, HIGH: 3, MEDIUM: 0, LOW: 4, UNKNOWN: 0 },
    imagesWithCriticalOrHigh: 2,
    maxAgeHours: 24,
    inventoryErrors: 0,
    plannedAt: '2026-11-23T06:00:00.000Z',
  });
  // The totals are the events' own: an auditor can recount them.
  const flags = coverage.map((e) => e.flag);
  t.equal(summaries[0]!.runningImages, coverage.length);
  t.equal(summaries[0]!.neverScanned, flags.filter((f) => f === 'never_scanned').length);
  t.equal(summaries[0]!.stale, flags.filter((f) => f === 'stale').length);
  t.equal(summaries[0]!.fresh, flags.filter((f) => f === null).length);
  t.same(summaries[0]!.openFindings, second.coverage.summary.openFindings, 'same figures as coverage.json');
  t.match(
    ofRun.find((e) => e.type === 'plan_finished'),
    { neverScanned: 1, staleImages: 2 },
  );

  // Unpinned workloads: image_unpinned tied to the same run.
  t.match(
    ofRun.filter((e) => e.type === 'image_unpinned'),
    [{ platform: 'ecs', cluster: 'prod', workload: 'service:x', image: 'registry.example/latest:1', plannedAt: '2026-11-23T06:00:00.000Z' }],
  );

  // Order within the run: coverage rows, then the summary, then plan_finished.
  const types = ofRun.map((e) => e.type).filter((type) => type !== 'image_unpinned');
  t.same(types, ['image_coverage', 'image_coverage', 'image_coverage', 'image_coverage', 'coverage_summary', 'plan_finished']);
  t.ok(ofRun.every((e) => e.schema === 'scan/1'));
  t.ok(d.sink.events.filter((e) => JSON.parse(e.message).planId === second.planId).every((e) => e.logStream === 'planner'));
});

t.test('images no longer running get no image_coverage; a failed source is counted in the summary', async (t) => {
  const prod = new FakeSource('ecs', 'prod', [row('a'), row('b')]);
  const eks = new FakeSource('eks', 'eks-prod', []);
  const { clock, d, run } = setup([prod, eks]);
  await run();
  prod.rows = [row('a')];
  eks.fail = new Error('Unauthorized');
  clock.advance(hour);
  const second = await run();
  const ofRun = d.sink.parsed().filter((e) => e.planId === second.planId);
  t.same(
    ofRun.filter((e) => e.type === 'image_coverage').map((e) => e.digest),
    [digestOf('a')],
    'b is gone: not in the coverage',
  );
  t.match(
    ofRun.find((e) => e.type === 'coverage_summary'),
    { runningImages: 1, neverScanned: 1, stale: 0, fresh: 0, unpinned: 0, inventoryErrors: 1 },
  );
});

t.test('an image whose last scans failed is failing, whatever its last good scan; the summary counts it apart', async (t) => {
  const source = new FakeSource('ecs', 'prod', [row('fresh'), row('broken'), row('never-ok'), row('recovered')]);
  const { store, clock, d, run } = setup([source]);
  await run();
  clock.advance(2 * hour);
  const scanned = (name: string) =>
    store.recordScan(digestOf(name), {
      scannedAt: new Date(clock.ms - hour).toISOString(),
      scanId: `s-${name}`,
      dbUpdatedAt: '2026-11-23T00:00:00.000Z',
      trivyVersion: '0.57.1',
      openCounts: { ...emptyCounts(), CRITICAL: 1 },
    });
  for (const name of ['fresh', 'broken', 'recovered']) await scanned(name);
  // broken: scanned an hour ago (fresh by age), every attempt since timed out; never-ok: never a
  // successful scan, every attempt failed; recovered: failed, then scanned again.
  const failure = (name: string, minutesAgo: number, code: 'trivy_timeout' | 'trivy_failed') =>
    store.recordScanFailure(digestOf(name), { failedAt: new Date(clock.ms - minutesAgo * 60_000).toISOString(), code, message: `${code} message` });
  await failure('broken', 50, 'trivy_timeout');
  await failure('broken', 20, 'trivy_timeout');
  await failure('never-ok', 30, 'trivy_failed');
  await store.recordScan(digestOf('recovered'), {
    scannedAt: new Date(clock.ms - 10 * 60_000).toISOString(),
    scanId: 's-r2',
    dbUpdatedAt: null,
    trivyVersion: null,
    openCounts: emptyCounts(),
  });
  await failure('recovered', 40, 'trivy_failed');
  const second = await run();

  const ofRun = d.sink.parsed().filter((e) => e.planId === second.planId);
  const by = (name: string) => ofRun.find((e) => e.type === 'image_coverage' && e.digest === digestOf(name))!;
  t.match(
    by('broken'),
    {
      flag: 'failing',
      lastScannedAt: '2026-11-23T05:00:00.000Z',
      openFindings: { CRITICAL: 1 },
      failingSince: '2026-11-23T05:10:00.000Z',
      failedAttempts: 2,
      lastScanErrorCode: 'trivy_timeout',
      lastScanError: 'trivy_timeout message',
      lastScanFailedAt: '2026-11-23T05:40:00.000Z',
    },
    'not fresh with the findings of an older scan: failing since its first failed attempt',
  );
  t.match(
    by('never-ok'),
    { flag: 'failing', lastScannedAt: null, failedAttempts: 1, lastScanErrorCode: 'trivy_failed' },
    'tried and failed, not just never scanned',
  );
  t.match(by('fresh'), { flag: null, failingSince: null, failedAttempts: 0, lastScanErrorCode: null, lastScanError: null, lastScanFailedAt: null });
  t.match(by('recovered'), { flag: null, failedAttempts: 0 }, 'a failure older than the last success does not count');
  t.match(
    ofRun.find((e) => e.type === 'coverage_summary'),
    { runningImages: 4, fresh: 2, failing: 2, neverScanned: 0, stale: 0 },
  );
  t.match(
    ofRun.find((e) => e.type === 'plan_finished'),
    { failingImages: 2, neverScanned: 0, staleImages: 0 },
  );
  t.same(
    second.coverage.images
      .filter((i) => i.flag === 'failing')
      .map((i) => i.digest)
      .sort(),
    [digestOf('broken'), digestOf('never-ok')].sort(),
    'the files: the same rule',
  );
});

t.test('worst case: many long names still make one small event', async (t) => {
  const long = (i: number) => `${'x'.repeat(1000)}-${i}`;
  const digest = digestOf('huge');
  const event = imageCoverageEvent(
    {
      digest,
      repository: 'registry.example/huge',
      references: Array.from({ length: 50 }, (_, i) => long(i)),
      locations: Array.from({ length: 5000 }, (_, i) => ({ platform: 'eks' as const, cluster: long(i % 40), workload: long(i), namespace: 'ns' })),
      owner: 'web',
      running: true,
      firstSeenAt: '2026-11-01T00:00:00.000Z',
      lastSeenAt: '2026-11-23T04:00:00.000Z',
      lastScannedAt: null,
      lastQueuedAt: null,
      lastScanId: null,
      dbUpdatedAt: null,
      trivyVersion: null,
      ...noFailure(),
      openCounts: emptyCounts(),
    },
    { planId: 'plan-x', plannedAt: '2026-11-23T04:00:00.000Z', now: new Date('2026-11-23T04:00:00.000Z'), maxAgeMs: 24 * hour },
  );
  t.match(event, { workloadsTotal: 5000, clustersTotal: 40, referencesTotal: 50, flag: 'never_scanned' });
  t.equal(event.workloads.length, 20);
  t.equal(event.clusters.length, 20);
  t.equal(event.references.length, 20);
  t.ok(event.workloads.every((w) => w.length <= 300));
  const bytes = Buffer.byteLength(JSON.stringify({ schema: 'scan/1', time: '2026-11-23T04:00:00.000Z', ...event }));
  t.ok(bytes < 25_000, `under 25 KB (${bytes} bytes)`);
});
