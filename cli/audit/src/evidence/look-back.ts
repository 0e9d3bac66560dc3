import type { ServiceName } from '@netsidecar/contracts';
import type { Provenance } from '../source/source.js';
import { iso } from '../time-range.js';
import type { SectionInput } from './sections.js';

const DAY_MS = 86_400_000;

/** `--lookback` when not given: a year and a month, so a yearly audit sees last year's state. */
export const DEFAULT_LOOKBACK = '400d';

/**
 * Where the look-back before `--from` starts for one service: `--lookback` before the range, but
 * never before what the log group still keeps (older events have expired: reading them would
 * only cost calls). The state at the end of the range (a device's last upload, the findings still
 * open) depends on events before it; this bounds how far back they are looked for.
 */
export async function lookBackStart({ ctx, range, lookBackMs }: SectionInput, service: ServiceName): Promise<number> {
  let start = range.from - lookBackMs;
  const days = (await ctx.source.logGroupSettings(service)).retentionDays;
  if (days !== undefined) start = Math.max(start, ctx.now - days * DAY_MS);
  return Math.min(start, range.from);
}

/** The MANIFEST entry of the newest-first look-back (one event per stream). */
export function lookBackProvenance(input: SectionInput, service: ServiceName, from: number): Provenance {
  const { ctx, range } = input;
  const base = ctx.source.provenance({ service, from, to: range.from });
  return {
    ...base,
    method: ctx.source.kind === 'cloudwatch' ? 'GetLogEvents (newest first, each stream)' : 'read backwards (each stream)',
    from: iso(from),
    to: iso(range.from),
  };
}
