import { AuditError } from './errors.js';

/** A half-open range of milliseconds since the epoch: `from` included, `to` excluded. */
export interface TimeRange {
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;
const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * Reads `--from`/`--to`: an ISO date (`2026-03-01`, midnight UTC), an ISO date-time with `Z` or an
 * offset, `now`, or an age such as `90m`, `24h`, `30d`, `2w` (that long before now). A date-time
 * without a zone is refused: an auditor's "March" must not silently depend on the laptop's zone.
 */
export function parseTime(option: string, raw: string, now: number): number {
  const value = raw.trim();
  if (value === 'now') return now;
  const age = /^(\d+)([mhdw])$/.exec(value);
  if (age) return now - Number(age[1]) * units[age[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isFinite(ms) && new Date(ms).toISOString().startsWith(value)) return ms;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new AuditError(
    'AUDIT_USAGE',
    `${option} '${raw}' is not a time: use 2026-03-01, 2026-03-01T12:00:00Z (a zone is required), now, or an age like 24h / 30d`,
  );
}

export function parseRange(fromRaw: string, toRaw: string, now: number): TimeRange {
  const from = parseTime('--from', fromRaw, now);
  const to = parseTime('--to', toRaw, now);
  if (from >= to) {
    throw new AuditError('AUDIT_RANGE_INVERTED', `--from ${iso(from)} is not before --to ${iso(to)}: the range is empty or inverted (--to is excluded)`);
  }
  return { from, to };
}

/**
 * Refuses a range that starts before what the log group still keeps: the answer would look
 * complete and be missing its beginning.
 */
export function checkRetention(range: TimeRange, logGroup: string, retentionDays: number | undefined, now: number): void {
  if (retentionDays === undefined) return;
  const oldest = now - retentionDays * DAY_MS;
  if (range.from < oldest) {
    throw new AuditError(
      'AUDIT_BEYOND_RETENTION',
      `${logGroup} keeps ${retentionDays} days: events before ${iso(oldest)} have expired, and --from is ${iso(range.from)}. ` +
        `Ask for --from ${iso(Math.ceil(oldest / 1000) * 1000)} or later (older evidence must come from an archive)`,
    );
  }
}

/** Parses `1h`, `90m`, `2d`: for thresholds. */
export function parseDuration(option: string, raw: string): number {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(raw.trim());
  const unit = match ? (match[2] === 's' ? 1000 : units[match[2]!]) : undefined;
  if (!match || unit === undefined || Number(match[1]) === 0) {
    throw new AuditError('AUDIT_USAGE', `${option} '${raw}' is not a duration: use e.g. 30m, 2h, 1d`);
  }
  return Number(match[1]) * unit;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
