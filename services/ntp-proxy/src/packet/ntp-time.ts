/**
 * NTP time formats (RFC 5905 §6) as BigInt, so that no nanosecond is lost to floating point.
 *
 * - Timestamp format: 64 bits, unsigned 32-bit seconds since the start of the era + 32-bit fraction.
 *   Era 0 began 1900-01-01; era 1 begins 2036-02-07T06:28:16Z. The era number is not on the wire:
 *   a timestamp is placed in the era that puts it nearest a pivot (our own clock).
 * - Short format: 32 bits, 16.16 seconds (root delay and root dispersion).
 *
 * On-wire math never needs the era: RFC 5905 computes differences of timestamps in 64-bit two's
 * complement, which is right across an era boundary as long as the two are within 68 years.
 */

const nsPerSecond = 1_000_000_000n;
const twoTo32 = 1n << 32n;
const twoTo63 = 1n << 63n;
const twoTo64 = 1n << 64n;
const mask64 = twoTo64 - 1n;

/** Seconds from 1900-01-01T00:00:00Z (NTP era 0) to the Unix epoch. */
export const ntpEpochOffsetSeconds = 2_208_988_800n;
const ntpEpochOffsetNs = ntpEpochOffsetSeconds * nsPerSecond;
const eraNs = twoTo32 * nsPerSecond;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Unix time in ns → 64-bit NTP timestamp (the seconds field wraps into the era, as on the wire). */
export function unixNsToNtp(unixNs: bigint): bigint {
  const sinceEra0 = unixNs + ntpEpochOffsetNs;
  const seconds = floorDiv(sinceEra0, nsPerSecond);
  const ns = sinceEra0 - seconds * nsPerSecond;
  // Round to the nearest 2^-32 s (0.23 ns); ns < 1e9 so the fraction cannot carry into the seconds.
  const fraction = ((ns << 32n) + nsPerSecond / 2n) / nsPerSecond;
  return ((((seconds % twoTo32) + twoTo32) % twoTo32) << 32n) | (fraction > 0xffffffffn ? 0xffffffffn : fraction);
}

/** A 32.32 fixed-point count of seconds (signed) → ns, rounded to the nearest ns. */
function fixedToNs(fixed: bigint): bigint {
  return (fixed * nsPerSecond + (1n << 31n)) >> 32n; // >> floors for negatives too
}

/**
 * 64-bit NTP timestamp → Unix time in ns, in the era that puts it nearest `pivotUnixNs`
 * (RFC 5905 §6: any timestamp within 68 years of the pivot is placed correctly).
 */
export function ntpToUnixNs(timestamp: bigint, pivotUnixNs: bigint): bigint {
  const withinEraNs = fixedToNs(timestamp & mask64);
  const pivotSinceEra0 = pivotUnixNs + ntpEpochOffsetNs;
  let sinceEra0 = floorDiv(pivotSinceEra0, eraNs) * eraNs + withinEraNs;
  const distance = sinceEra0 - pivotSinceEra0;
  if (distance > eraNs / 2n) sinceEra0 -= eraNs;
  else if (distance < -eraNs / 2n) sinceEra0 += eraNs;
  return sinceEra0 - ntpEpochOffsetNs;
}

/** a − b in ns for two NTP timestamps, signed, era-independent (RFC 5905 §6). */
export function ntpDiffNs(a: bigint, b: bigint): bigint {
  let difference = (a - b) & mask64;
  if (difference >= twoTo63) difference -= twoTo64;
  return fixedToNs(difference);
}

/**
 * Seconds → NTP short format (16.16), saturating at 0 and at the largest value (18.2 h). Rounded up:
 * root delay and dispersion are error bounds, and a bound must never be understated.
 */
export function secondsToShort(seconds: number): number {
  if (!(seconds > 0)) return 0;
  return Math.min(0xffffffff, Math.ceil(seconds * 65536));
}

export function shortToSeconds(short: number): number {
  return (short >>> 0) / 65536;
}

/** ns (BigInt) → ms (number), for events and metrics. */
export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

/** ns (BigInt) → seconds (number). */
export function nsToSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}
