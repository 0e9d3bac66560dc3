/**
 * Local wall time in an IANA region (`Asia/Tokyo`, `Europe/Berlin`) to UTC, with Intl (Node ships
 * full ICU), so summer time follows the time zone database rather than a rule of ours.
 */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(region: string): Intl.DateTimeFormat | null {
  let found = formatters.get(region);
  if (found === undefined) {
    try {
      found = new Intl.DateTimeFormat('en-US', {
        timeZone: region,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      found = null; // RangeError: not a zone ICU knows
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(region, found);
  }
  return found;
}

/** The canonical name of a region ICU knows (`Japan` → `Asia/Tokyo`), or null. */
export function knownRegion(region: string): string | null {
  return formatter(region)?.resolvedOptions().timeZone ?? null;
}

/** Minutes east of UTC in `region` at the instant `utc` (ms). */
function offsetAt(format: Intl.DateTimeFormat, utc: number): number {
  const whole = utc - (((utc % 1000) + 1000) % 1000);
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(whole)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return (asUtc - whole) / 60_000;
}

/**
 * The UTC instant (ms) whose local time in `region` is `wall` (ms, as if UTC); null for an unknown
 * region. A wall time that occurs twice (summer time ending) gives the earlier instant; one that
 * does not exist (summer time starting) is read with the offset from before the change.
 */
export function regionWallToUtc(wall: number, region: string): number | null {
  const format = formatter(region);
  if (format === null) return null;
  // The offsets a day either side (no zone changes twice within two days); each gives a candidate
  // instant, valid when the zone has that offset there.
  const before = offsetAt(format, wall - day);
  const after = offsetAt(format, wall + day);
  const valid = [before, after].filter((offset) => offsetAt(format, wall - offset * 60_000) === offset).map((offset) => wall - offset * 60_000);
  return valid.length > 0 ? Math.min(...valid) : wall - before * 60_000;
}

const day = 86_400_000;
