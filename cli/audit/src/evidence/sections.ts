import type { Context } from '../context.js';
import type { TimeRange } from '../time-range.js';
import type { Bundle } from './bundle.js';
import type { PageSection } from './pci-dss.js';

/** What every section gets. */
export interface SectionInput {
  ctx: Context;
  bundle: Bundle;
  range: TimeRange;
  /** Problems worth an auditor's attention; they go to summary.md/html and the MANIFEST. */
  warnings: string[];
  /** How far before `range.from` the state at the end is looked for (`--lookback`). */
  lookBackMs: number;
}

/** A span of time, e.g. an unsynchronised period. */
export interface Period {
  start: number;
  end: number;
  kind: string;
  note?: string;
}

/**
 * A time series reduced to at most `buckets` points over the range, keeping per bucket the value of
 * largest magnitude (a clock spike must stay visible on the chart): memory per series is fixed
 * whatever the length of the range.
 */
export class Downsampled {
  readonly points: (number | undefined)[];
  constructor(
    private readonly range: TimeRange,
    readonly buckets = 400,
  ) {
    this.points = new Array<number | undefined>(buckets).fill(undefined);
  }
  add(time: number, value: number): void {
    const i = Math.min(this.buckets - 1, Math.max(0, Math.floor(((time - this.range.from) / (this.range.to - this.range.from)) * this.buckets)));
    const old = this.points[i];
    if (old === undefined || Math.abs(value) > Math.abs(old)) this.points[i] = value;
  }
  /** Middle time of bucket `i`. */
  timeOf(i: number): number {
    return this.range.from + ((i + 0.5) * (this.range.to - this.range.from)) / this.buckets;
  }
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * What a section that is not one of the four services' adds to summary.md and summary.html, after
 * them (compliance, stale backups): a title, Markdown lines, an HTML fragment (already escaped).
 */
export interface SummaryPart {
  title: string;
  /** Which PCI DSS requirements it answers (pci-dss.ts), printed under its heading. */
  section: PageSection;
  markdown: string[];
  html: string;
}
