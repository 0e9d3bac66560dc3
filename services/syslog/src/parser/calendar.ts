import { daysFromCivil, isoString, utcMonthIndex } from './iso-string.js';

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
 * UTC ISO string for clock parts at a known offset. Null when the date does not exist (Feb 30; a
 * yearless Feb 29 in neither the chosen year nor the one before) or is beyond the range of a Date.
 */
export function toUtcIso(p: ClockParts, offsetMinutes: number, receivedMs: number): string | null {
  let ms: number;
  if (p.year >= 0) {
    ms = epochMs(p, p.year, offsetMinutes);
  } else {
    const year = yearOfYearlessTime(p.month, receivedMs + offsetMinutes * 60_000);
    ms = epochMs(p, year, offsetMinutes);
    // A Feb 29 replayed after its leap year can only be from an earlier year: the one before.
    if (Number.isNaN(ms)) ms = epochMs(p, year - 1, offsetMinutes);
  }
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? isoString(ms) : null;
}

/**
 * The year of a time printed without one (RFC 3164 `Nov 22 14:00:00`), decided as rsyslog decides
 * it (`estimateYear` of its `parse_time()`): a device replays old lines, it does not send next
 * month's, so a month more than one month after the current one is last year's; only a January
 * line received in December is next year's (a device clock a little ahead at the turn of the
 * year); anything else is this year's. "Now" is the receive time read on the device's own wall
 * clock (shifted by the line's zone), so the clock is the one the caller passes, never the
 * process's: tests and replays give their own.
 */
function yearOfYearlessTime(month: number, deviceNowMs: number): number {
  const monthIndex = utcMonthIndex(deviceNowMs);
  const year = Math.floor(monthIndex / 12);
  const nowMonth = monthIndex - year * 12 + 1;
  if (nowMonth === 12 && month === 1) return year + 1;
  return month - nowMonth > 1 ? year - 1 : year;
}
