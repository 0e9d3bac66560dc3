import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Severity } from '../config.js';
import type { UnpinnedImage } from '../inventory/aggregate.js';
import { emptyCounts, type ImageRecord } from '../state/records.js';

export type CoverageFlag = 'ok' | 'never_scanned' | 'stale' | 'failing';

/** Why an image is failing (ImageRecord's fields): null / 0 when its last scan attempt succeeded. */
export type ScanFailureFields = Pick<ImageRecord, 'failingSince' | 'failedAttempts' | 'lastScanErrorCode' | 'lastScanError' | 'lastScanFailedAt'>;

export interface CoverageImage extends ScanFailureFields {
  digest: string;
  repository: string;
  owner: string | null;
  runsIn: string[];
  /** The last successful scan: its time, DB and findings, whatever failed since. */
  lastScannedAt: string | null;
  dbUpdatedAt: string | null;
  openFindings: Record<Severity, number>;
  flag: CoverageFlag;
}

export interface Coverage {
  generatedAt: string;
  maxAgeHours: number;
  summary: { runningImages: number; neverScanned: number; stale: number; failing: number; unpinned: number; openFindings: Record<Severity, number> };
  images: CoverageImage[];
  unpinned: UnpinnedImage[];
}

/**
 * The one rule for FAILING / NEVER SCANNED / STALE, shared by the files and the `image_coverage`
 * events. FAILING first: an image whose last attempts failed is not "fresh" however recent its last
 * good scan, nor just "never scanned" when every attempt failed; its fields say since when and why.
 */
export function coverageFlag(image: Pick<ImageRecord, 'lastScannedAt' | 'failedAttempts'>, now: Date, maxAgeMs: number): CoverageFlag {
  if (image.failedAttempts > 0) return 'failing';
  if (image.lastScannedAt === null) return 'never_scanned';
  return now.getTime() - Date.parse(image.lastScannedAt) >= maxAgeMs ? 'stale' : 'ok';
}

export function scanFailureFields(image: ScanFailureFields): ScanFailureFields {
  return {
    failingSince: image.failingSince,
    failedAttempts: image.failedAttempts,
    lastScanErrorCode: image.lastScanErrorCode,
    lastScanError: image.lastScanError,
    lastScanFailedAt: image.lastScanFailedAt,
  };
}

/** Every running image with its owner, last scan and open findings; what auditors and teams read. */
export function buildCoverage(images: readonly ImageRecord[], unpinned: readonly UnpinnedImage[], now: Date, maxAgeMs: number): Coverage {
  const rows: CoverageImage[] = images
    .filter((image) => image.running)
    .map((image) => ({
      digest: image.digest,
      repository: image.repository,
      owner: image.owner,
      runsIn: image.locations.map((l) => `${l.platform}/${l.cluster}/${l.workload}`),
      lastScannedAt: image.lastScannedAt,
      dbUpdatedAt: image.dbUpdatedAt,
      openFindings: { ...image.openCounts },
      ...scanFailureFields(image),
      flag: coverageFlag(image, now, maxAgeMs),
    }));
  rows.sort((a, b) => (a.owner ?? '~').localeCompare(b.owner ?? '~') || a.repository.localeCompare(b.repository) || a.digest.localeCompare(b.digest));
  const open = emptyCounts();
  for (const row of rows) for (const [severity, count] of Object.entries(row.openFindings)) open[severity as Severity] += count;
  return {
    generatedAt: now.toISOString(),
    maxAgeHours: maxAgeMs / 3_600_000,
    summary: {
      runningImages: rows.length,
      neverScanned: rows.filter((r) => r.flag === 'never_scanned').length,
      stale: rows.filter((r) => r.flag === 'stale').length,
      failing: rows.filter((r) => r.flag === 'failing').length,
      unpinned: unpinned.length,
      openFindings: open,
    },
    images: rows,
    unpinned: [...unpinned],
  };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCoverageMarkdown(coverage: Coverage): string {
  const s = coverage.summary;
  const lines = [
    '# Image scan coverage',
    '',
    `Generated ${coverage.generatedAt}. An image is STALE when its last successful scan is older than ${coverage.maxAgeHours} h, FAILING when its last scan attempts failed (its findings are those of its last successful scan).`,
    '',
    `- running images: ${s.runningImages}`,
    `- never scanned: ${s.neverScanned}`,
    `- stale: ${s.stale}`,
    `- failing (last scan attempts failed): ${s.failing}`,
    `- running without a digest (not scannable by digest): ${s.unpinned}`,
    `- open findings: CRITICAL ${s.openFindings.CRITICAL}, HIGH ${s.openFindings.HIGH}, MEDIUM ${s.openFindings.MEDIUM}, LOW ${s.openFindings.LOW}, UNKNOWN ${s.openFindings.UNKNOWN}`,
    '',
    '| owner | image | digest | runs in | last successful scan | DB | CRIT | HIGH | MED | LOW | flag |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of coverage.images) {
    const runsIn = row.runsIn.slice(0, 3).join(', ') + (row.runsIn.length > 3 ? ` (+${row.runsIn.length - 3})` : '');
    const o = row.openFindings;
    lines.push(
      `| ${cell(row.owner ?? '(none)')} | ${cell(row.repository)} | \`${row.digest.slice(0, 19)}\` | ${cell(runsIn)} | ${row.lastScannedAt ?? 'never'} | ${row.dbUpdatedAt ?? '-'} | ${o.CRITICAL} | ${o.HIGH} | ${o.MEDIUM} | ${o.LOW} | ${cell(flagText(row))} |`,
    );
  }
  if (coverage.unpinned.length > 0) {
    lines.push('', '## UNPINNED: running without a resolvable digest', '', '| owner | platform | cluster | workload | image |', '|---|---|---|---|---|');
    for (const u of coverage.unpinned)
      lines.push(`| ${cell(u.owner ?? '(none)')} | ${u.platform} | ${cell(u.cluster)} | ${cell(u.workload)} | ${cell(u.image)} |`);
  }
  return lines.join('\n') + '\n';
}

function flagText(row: CoverageImage): string {
  switch (row.flag) {
    case 'ok':
      return '';
    case 'never_scanned':
      return '**NEVER SCANNED**';
    case 'stale':
      return '**STALE**';
    case 'failing': {
      const attempts = `${row.failedAttempts} failed attempt${row.failedAttempts === 1 ? '' : 's'}`;
      return `**FAILING** since ${row.failingSince}, ${attempts}, last ${row.lastScanFailedAt}: ${row.lastScanErrorCode}`;
    }
  }
}

/** Writes coverage.md and coverage.json (each via a temporary file: readers never see half). */
export async function writeCoverage(dir: string, coverage: Coverage): Promise<{ markdown: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const markdown = join(dir, 'coverage.md');
  const json = join(dir, 'coverage.json');
  await writeFile(`${markdown}.tmp`, renderCoverageMarkdown(coverage));
  await rename(`${markdown}.tmp`, markdown);
  await writeFile(`${json}.tmp`, JSON.stringify(coverage, null, 2) + '\n');
  await rename(`${json}.tmp`, json);
  return { markdown, json };
}
