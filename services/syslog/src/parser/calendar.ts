import { daysFromCivil, isoString, utcYear } from './iso-string.js';

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
const DAY_MS = 24 * 3600 * 1000;
/** ECMAScript TimeClip: a time value beyond ±8.64e15 ms is not a time (Date.UTC gives NaN). */
const MAX_TIME_MS = 8.64e15;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * What `Date.UTC(year, month - 1, day, ...) - offset` gives, in integer arithmetic: Date.UTC is a
 * runtime call and this runs for every timestamp. Kept from Date.UTC: years 0..99 mean 1900..1999,
 * and a result beyond ±8.64e15 ms (before the offset) is NaN.
 */
function epochMs(p: ClockParts, year: number, offsetMinutes: number): number {
  if (p.day > daysInMonth(year, p.month)) return NaN;
  const y = year >= 0 && year <= 99 ? 1900 + year : year;
  // A leap second (:60) becomes the first ms of the next minute, as Date.UTC rolls it over.
  const t = daysFromCivil(y, p.month, p.day) * 86_400_000 + p.hour * 3_600_000 + p.minute * 60_000 + p.second * 1000 + p.ms;
  if (!(Math.abs(t) <= MAX_TIME_MS)) return NaN;
  return t - offsetMinutes * 60000;
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
    const y = utcYear(receivedMs);
    ms = epochMs(p, y, offsetMinutes);
    // Nearly always the receive year: then the same date a year before or after is 365 or 366
    // days from it, so within 182 days of the receive time nothing can be closer.
    if (Math.abs(ms - receivedMs) <= 182 * DAY_MS) return Math.abs(ms) <= MAX_TIME_MS ? isoString(ms) : null;
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
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? isoString(ms) : null;
}
