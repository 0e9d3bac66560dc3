import { findingEvent, imageFields, safeMessage, type ScanEvents } from '../events.js';
import { resolveGone } from '../findings/reconcile.js';
import { aggregateInventory } from '../inventory/aggregate.js';
import type { InventorySource, WorkloadImage } from '../inventory/types.js';
import type { Notifier } from '../notify/notifier.js';
import type { ScanQueue } from '../queue/scan-queue.js';
import { scanRequestSchema, type ScanRequest } from '../queue/scan-request.js';
import type { ImageRecord, StateStore } from '../state/records.js';
import { TrivyError, type DbInfo } from '../scan/trivy-runner.js';
import { claimHeld, newestDb, planDue, type DuePolicy } from './due.js';
import { buildCoverage, type Coverage } from '../report/coverage-report.js';
import { emitCoverage } from '../report/coverage-events.js';

export interface PlannerOptions extends DuePolicy {
  sources: readonly InventorySource[];
  store: StateStore;
  queue: ScanQueue;
  events: ScanEvents;
  notifier: Notifier;
  now: () => Date;
  leaseMs: number;
  maxEnqueue: number;
  /** Store writes in flight at once (DynamoDB UpdateItem is one item per call). */
  storeConcurrency?: number;
  /** Asks Trivy (or its server) which DB the scans use now; without it, only recorded scans tell. */
  trivyDb?: () => Promise<DbInfo>;
}

export interface PlanResult {
  planId: string;
  enqueued: ScanRequest[];
  coverage: Coverage;
  inventoryErrors: number;
  timings: { inventoryMs: number; storeMs: number; planMs: number; enqueueMs: number; totalMs: number };
}

/**
 * One planning run (README.md): inventory -> record sightings -> images gone -> due images ->
 * claim + enqueue -> coverage. An inventory source that fails is an `error` event; images last seen
 * in its cluster are then not taken for gone (a failed listing is not an empty cluster).
 */
export async function runPlan(options: PlannerOptions): Promise<PlanResult> {
  const started = options.now();
  const planId = `plan-${started.toISOString()}`;
  const at = started.toISOString();
  const mark = () => options.now().getTime();

  const rows: WorkloadImage[] = [];
  const failedClusters = new Set<string>();
  let inventoryErrors = 0;
  for (const source of options.sources) {
    try {
      rows.push(...(await source.collect()));
    } catch (err) {
      inventoryErrors++;
      failedClusters.add(`${source.platform}/${source.cluster}`);
      options.events.emit('planner', {
        type: 'error',
        stage: 'inventory',
        code: source.platform === 'ecs' ? 'ecs_failed' : 'eks_failed',
        message: `${source.name}: ${safeMessage(err)}`,
        cluster: source.cluster,
        retried: false,
      });
    }
  }
  const { images: running, unpinned } = aggregateInventory(rows);
  const tInventory = mark();
  for (const u of unpinned) options.events.emit('planner', { type: 'image_unpinned', planId, plannedAt: at, ...u });

  const before = new Map((await options.store.listImages()).map((image) => [image.digest, image]));
  await inParallel(running, options.storeConcurrency ?? 16, (image) =>
    options.store.recordSighting({
      digest: image.digest,
      repository: image.repository,
      references: image.references,
      locations: image.locations,
      owner: image.owner,
      seenAt: at,
    }),
  );

  // Gone: was running, is not now, and every cluster it ran in was listed successfully.
  const runningNow = new Set(running.map((image) => image.digest));
  const gone = [...before.values()].filter(
    (image) => image.running && !runningNow.has(image.digest) && !image.locations.some((l) => failedClusters.has(`${l.platform}/${l.cluster}`)),
  );
  let resolvedFindings = 0;
  await inParallel(gone, 4, async (image) => {
    await options.store.markGone(image.digest);
    const existing = await options.store.listFindings(image.digest);
    const { changed, transitions } = resolveGone(existing, options.now());
    if (changed.length > 0) await options.store.putFindings(changed);
    const fields = imageFields(image);
    for (const t of transitions) options.events.emit('planner', findingEvent('finding_resolved', fields, t.finding, null, false));
    resolvedFindings += transitions.length;
    try {
      const merged = new Map(existing.map((f) => [f.fingerprint, f]));
      for (const f of changed) merged.set(f.fingerprint, f);
      await options.notifier.notifyImage(image, [...merged.values()], 'planner');
    } catch (err) {
      // Pending stays pending: the next planning run tries again.
      options.events.emit('planner', {
        type: 'error',
        stage: 'notify',
        code: 'slack_failed',
        message: safeMessage(err),
        ...fields,
        cluster: null,
        retried: true,
      });
    }
  });
  const tStore = mark();

  const images = await options.store.listImages();
  const db = newestDb(await askTrivyDb(options), images);
  const due = planDue(images, started.getTime(), options, db.dbUpdatedAt);
  const tPlan = mark();

  const enqueued: ScanRequest[] = [];
  let alreadyQueued = 0;
  const claimed: { request: ScanRequest; previous: string | null }[] = [];
  const free = due.filter(({ image }) => !claimHeld(image, started.getTime(), options.leaseMs));
  alreadyQueued += due.length - free.length;
  await inParallel(free.slice(0, options.maxEnqueue), options.storeConcurrency ?? 16, async ({ image, reason }) => {
    if (!(await options.store.claimForQueue(image.digest, at, options.leaseMs))) {
      alreadyQueued++;
      return;
    }
    claimed.push({
      previous: image.lastQueuedAt,
      request: {
        schema: scanRequestSchema,
        digest: image.digest,
        imageRef: `${image.repository}@${image.digest}`,
        owner: image.owner,
        reason,
        planId,
        plannedAt: at,
      },
    });
  });
  claimed.sort((a, b) => a.request.digest.localeCompare(b.request.digest));
  const { failed } = await options.queue.send(claimed.map((c) => c.request));
  const failedDigests = new Set(failed.map((f) => f.request.digest));
  for (const c of claimed) {
    if (!failedDigests.has(c.request.digest)) enqueued.push(c.request);
    else await options.store.releaseClaim(c.request.digest, at, c.previous).catch(() => undefined);
  }
  if (failed.length > 0) {
    options.events.emit('planner', {
      type: 'error',
      stage: 'enqueue',
      code: 'enqueue_failed',
      message: `${failed.length} scan requests not sent: ${safeMessage(failed[0]!.message)}`,
      cluster: null,
      retried: false,
    });
  }
  const tEnqueue = mark();

  const finalImages: ImageRecord[] = await options.store.listImages();
  const coverage = buildCoverage(finalImages, unpinned, started, options.maxAgeMs);
  // The report as events: what survives a planner task whose coverage files go with it.
  emitCoverage(options.events, finalImages, coverage, { planId, plannedAt: at, now: started, maxAgeMs: options.maxAgeMs, inventoryErrors });
  const reasons = { new: 0, stale: 0, db_updated: 0 };
  for (const d of due) reasons[d.reason]++;
  const finished = mark();
  options.events.emit('planner', {
    type: 'plan_finished',
    planId,
    durationMs: finished - started.getTime(),
    runningImages: running.length,
    unpinnedImages: unpinned.length,
    workloads: rows.length,
    due: due.length,
    enqueued: enqueued.length,
    alreadyQueued,
    reasons,
    goneImages: gone.length,
    resolvedFindings,
    neverScanned: coverage.summary.neverScanned,
    staleImages: coverage.summary.stale,
    failingImages: coverage.summary.failing,
    inventoryErrors,
    dbUpdatedAt: db.dbUpdatedAt,
    dbSource: db.source,
  });
  return {
    planId,
    enqueued,
    coverage,
    inventoryErrors,
    timings: {
      inventoryMs: tInventory - started.getTime(),
      storeMs: tStore - tInventory,
      planMs: tPlan - tStore,
      enqueueMs: tEnqueue - tPlan,
      totalMs: finished - started.getTime(),
    },
  };
}

/** Trivy's answer, or null (after an `error` event) when it cannot be asked: the run goes on without it. */
async function askTrivyDb(options: PlannerOptions): Promise<DbInfo | null> {
  if (!options.trivyDb) return null;
  try {
    return await options.trivyDb();
  } catch (err) {
    const code = err instanceof TrivyError ? err.code : 'trivy_failed';
    options.events.emit('planner', { type: 'error', stage: 'db', code, message: safeMessage(err), cluster: null, retried: false });
    return null;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
