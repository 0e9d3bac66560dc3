/** Wall-clock parts as printed by a device; `ms` already cut to milliseconds. */
export interface ClockParts {
  /** -1 when the text had no year. */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const YEAR_MS = 366 * 24 * 3600 * 1000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function epochMs(p: ClockParts, year: number, offsetMinutes: number): number {
  if (p.day > daysInMonth(year, p.month)) return NaN;
  // A leap second (:60) becomes the first ms of the next minute, as Date.UTC rolls it over.
  return Date.UTC(year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms) - offsetMinutes * 60000;
}

/**
 * UTC ISO string for clock parts at a known offset. A time without a year takes the year that puts
 * it closest to `receivedMs` (a Dec 31 line received on Jan 1 belongs to the previous year). Null
 * when the date does not exist (Feb 30) or when no year fits within a year of the receive time.
 */
export function toUtcIso(p: ClockParts, offsetMinutes: number, receivedMs: number): string | null {
  let ms: number;
  if (p.year >= 0) {
    ms = epochMs(p, p.year, offsetMinutes);
  } else {
    const y = new Date(receivedMs).getUTCFullYear();
    ms = NaN;
    let best = Infinity;
    for (let year = y - 1; year <= y + 1; year++) {
      const candidate = epochMs(p, year, offsetMinutes);
      const distance = Math.abs(candidate - receivedMs);
      if (distance < best) {
        best = distance;
        ms = candidate;
      }
    }
    if (best > YEAR_MS) ms = NaN;
  }
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}
