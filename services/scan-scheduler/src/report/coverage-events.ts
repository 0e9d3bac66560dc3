/**
 * The coverage report as `scan/1` events: in AWS the planner is a short-lived task whose files go with
 * it, so every planning run writes one `image_coverage` event per running image and one
 * `coverage_summary` (README.md, "The events"). Lists are bounded so that an image running in
 * thousands of pods still makes one small event (well under the sink's 1 MB limit).
 */
import type { ScanEvents, ImageCoverageEvent, CoverageSummaryEvent } from '../events.js';
import { imageFields } from '../events.js';
import type { ImageRecord } from '../state/records.js';
import { coverageFlag, scanFailureFields, type Coverage } from './coverage-report.js';

/** At most this many workloads / clusters / references per event; the `...Total` fields count all. */
export const coverageListLimit = 20;
/** Each listed name is cut to this many characters (names are bounded by ECS/Kubernetes anyway). */
const nameLimit = 300;

const clip = (text: string): string => (text.length > nameLimit ? `${text.slice(0, nameLimit - 1)}…` : text);

function bounded(values: readonly string[]): { list: string[]; total: number } {
  const unique = [...new Set(values)].sort();
  return { list: unique.slice(0, coverageListLimit).map(clip), total: unique.length };
}

export function imageCoverageEvent(image: ImageRecord, run: { planId: string; plannedAt: string; now: Date; maxAgeMs: number }): ImageCoverageEvent {
  const references = bounded(image.references);
  const clusters = bounded(image.locations.map((l) => `${l.platform}/${l.cluster}`));
  const workloads = bounded(image.locations.map((l) => `${l.platform}/${l.cluster}/${l.workload}`));
  const flag = coverageFlag(image, run.now, run.maxAgeMs);
  return {
    type: 'image_coverage',
    ...imageFields(image),
    planId: run.planId,
    plannedAt: run.plannedAt,
    references: references.list,
    referencesTotal: references.total,
    platforms: [...new Set(image.locations.map((l) => l.platform))].sort(),
    clusters: clusters.list,
    clustersTotal: clusters.total,
    workloads: workloads.list,
    workloadsTotal: workloads.total,
    firstSeenAt: image.firstSeenAt,
    lastSeenAt: image.lastSeenAt,
    lastScannedAt: image.lastScannedAt,
    dbUpdatedAt: image.dbUpdatedAt,
    trivyVersion: image.trivyVersion,
    openFindings: { ...image.openCounts },
    ...scanFailureFields(image),
    flag: flag === 'ok' ? null : flag,
  };
}

/**
 * Emits the run's coverage: `image_coverage` per running image (in the report's order), then
 * `coverage_summary`. `coverage` is built from the same `images`, so the totals match the events.
 */
export function emitCoverage(
  events: ScanEvents,
  images: readonly ImageRecord[],
  coverage: Coverage,
  run: { planId: string; plannedAt: string; now: Date; maxAgeMs: number; inventoryErrors: number },
): void {
  const byDigest = new Map(images.map((image) => [image.digest, image]));
  let withCriticalOrHigh = 0;
  for (const row of coverage.images) {
    const image = byDigest.get(row.digest);
    if (!image) continue;
    if (row.openFindings.CRITICAL + row.openFindings.HIGH > 0) withCriticalOrHigh++;
    events.emit('planner', imageCoverageEvent(image, run));
  }
  const s = coverage.summary;
  const summary: CoverageSummaryEvent = {
    type: 'coverage_summary',
    planId: run.planId,
    plannedAt: run.plannedAt,
    maxAgeHours: coverage.maxAgeHours,
    runningImages: s.runningImages,
    fresh: s.runningImages - s.neverScanned - s.stale - s.failing,
    neverScanned: s.neverScanned,
    stale: s.stale,
    failing: s.failing,
    unpinned: s.unpinned,
    openFindings: { ...s.openFindings },
    imagesWithCriticalOrHigh: withCriticalOrHigh,
    inventoryErrors: run.inventoryErrors,
  };
  events.emit('planner', summary);
}
