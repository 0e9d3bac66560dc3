/**
 * Zone names that devices print after a time (Cisco `clock timezone NAME`, `show-timezone`), and
 * their offsets in minutes east of UTC. Only names with one meaning in practice are here: a wrong
 * offset would silently move evidence in time, which is worse than no timestamp (then `timestamp`
 * is null and `timestampRaw` keeps the text). Daylight names are their own entries: a device prints
 * `PDT` in summer, not `PST`. PST is the US Pacific zone here (the Philippines use PHT/PhST on
 * network gear); EST is US Eastern (Australia uses AEST).
 */
const ZONE_OFFSETS: ReadonlyMap<string, number> = new Map([
  ['UTC', 0],
  ['GMT', 0],
  ['UT', 0],
  ['Z', 0],
  ['ZULU', 0],
  ['WET', 0],
  ['WEST', 60],
  ['CET', 60],
  ['CEST', 120],
  ['MET', 60],
  ['MEST', 120],
  ['EET', 120],
  ['EEST', 180],
  ['MSK', 180],
  ['HKT', 480],
  ['SGT', 480],
  ['AWST', 480],
  ['JST', 540],
  ['KST', 540],
  ['ACST', 570],
  ['ACDT', 630],
  ['AEST', 600],
  ['AEDT', 660],
  ['NZST', 720],
  ['NZDT', 780],
  ['HST', -600],
  ['AKST', -540],
  ['AKDT', -480],
  ['PST', -480],
  ['PDT', -420],
  ['MST', -420],
  ['MDT', -360],
  ['EST', -300],
  ['EDT', -240],
]);

/**
 * Names with several common meanings: IST (India +5:30, Israel +2, Ireland +1), CST/CDT (US
 * Central, China +8, Cuba), AST/ADT (Atlantic, Arabia), BST (British Summer, Bangladesh), GST
 * (Gulf, South Georgia), SST, ECT. They are recognised as zones (so they are not taken for a host
 * name) but never converted.
 */
const AMBIGUOUS_ZONES: ReadonlySet<string> = new Set(['IST', 'CST', 'CDT', 'AST', 'ADT', 'BST', 'GST', 'SST', 'ECT']);

/** Offset in minutes for a zone name (any case), or undefined when unknown or ambiguous. */
export function zoneNameOffset(name: string): number | undefined {
  return ZONE_OFFSETS.get(name) ?? ZONE_OFFSETS.get(name.toUpperCase());
}

/** True for a name in either table: it is a zone even when it cannot be converted. */
export function isKnownZoneName(name: string): boolean {
  const upper = name.toUpperCase();
  return ZONE_OFFSETS.has(upper) || AMBIGUOUS_ZONES.has(upper);
}

/**
 * A numeric offset `+09:00`, `+0900`, `-07:00` or `Z` exactly filling s[start, end): minutes east
 * of UTC, or undefined when it is not one.
 */
export function numericOffset(s: string, start: number, end: number): number | undefined {
  const len = end - start;
  const sign = s.charCodeAt(start);
  if (len === 1 && (sign === 90 || sign === 122) /* Z z */) return 0;
  if ((sign !== 43 && sign !== 45) || (len !== 5 && len !== 6)) return undefined;
  const h = twoDigits(s, start + 1);
  const colon = len === 6;
  if (colon && s.charCodeAt(start + 3) !== 58) return undefined;
  const m = twoDigits(s, start + (colon ? 4 : 3));
  if (h < 0 || m < 0 || h > 23 || m > 59) return undefined;
  const minutes = h * 60 + m;
  return sign === 45 ? -minutes : minutes;
}

function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}
