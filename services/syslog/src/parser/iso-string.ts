/**
 * `new Date(ms).toISOString()` without the Date: V8 formats it in C++ through a runtime call, which
 * was the largest self time of the parser (with Date.UTC, ~20 % of parseSyslog on the bench corpus).
 * Here the date part comes from integer arithmetic (H. Hinnant's `civil_from_days`) and is cached
 * per second; the milliseconds come from a table. Outside years 1970..9999 (where toISOString
 * switches to `+275760`-style years, or for times before 1970) the Date does it, so the output is
 * the same string for every input.
 */

const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: from here toISOString prints a six-digit, signed year. */
const FAST_LIMIT_MS = 253_402_300_800_000;

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, k) => (k < 10 ? `0${k}` : `${k}`));
/** `.000Z` .. `.999Z`. */
const MS_SUFFIX: readonly string[] = Array.from({ length: 1000 }, (_, k) => `.${String(k).padStart(3, '0')}Z`);

/**
 * `YYYY-MM-DDTHH:MM:SS` per second, direct-mapped on the low bits of the second: events arrive
 * roughly in time order, so the receive time and most device times of a burst hit the same entries.
 */
const CACHE_SIZE = 256;
const cacheKeys = new Float64Array(CACHE_SIZE).fill(-1);
const cacheValues: string[] = new Array<string>(CACHE_SIZE).fill('');

/** Days since 1970-01-01 to the proleptic Gregorian date (month 1..12); exact for any integer year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Months since year 0 of an epoch time in ms, UTC: `year * 12 + month - 1` (as
 * `d.getUTCFullYear() * 12 + d.getUTCMonth()` for a valid time), one number so that nothing is
 * allocated.
 */
export function utcMonthIndex(ms: number): number {
  const z = Math.floor(ms / MS_PER_DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + month - 1;
}

/** The same string as `new Date(ms).toISOString()` for a valid time value (|ms| <= 8.64e15). */
export function isoString(ms: number): string {
  if (!(ms >= 0 && ms < FAST_LIMIT_MS) || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const sec = Math.floor(ms / 1000);
  // `& 255` keeps the low bits of the second (ToInt32 is modulo 2^32, exact below 2^53).
  const slot = sec & (CACHE_SIZE - 1);
  let head: string;
  if (cacheKeys[slot] === sec) {
    head = cacheValues[slot] as string;
  } else {
    head = secondString(sec);
    cacheKeys[slot] = sec;
    cacheValues[slot] = head;
  }
  return head + (MS_SUFFIX[ms - sec * 1000] as string);
}

/** `YYYY-MM-DDTHH:MM:SS` for a second since the epoch, year 1970..9999. */
function secondString(sec: number): string {
  const days = Math.floor(sec / 86_400);
  let rest = sec - days * 86_400;
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const minute = Math.floor(rest / 60);
  const second = rest - minute * 60;
  // civil_from_days, days >= 0 here.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}`;
}
