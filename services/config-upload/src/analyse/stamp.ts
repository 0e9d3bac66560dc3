/**
 * A time stamp as a router wrote it, read into its wall-clock fields and whatever zone it names.
 * Nothing here decides what the wall time means in UTC: that is `when.ts`, with the zone the
 * configuration declares.
 */
export interface Stamp {
  /** The wall-clock time, in ms, as if it were UTC (Date.UTC of the fields). */
  wall: number;
  /**
   * The zone the stamp itself names: `utc` (UTC, GMT, Z), a numeric `offset` in minutes east of
   * UTC (`+0900`, `+09:00`, `UTC+9`), an abbreviation (`JST`, `CEST`), or none (local time).
   */
  zone: { kind: 'utc' } | { kind: 'offset'; minutes: number } | { kind: 'abbreviation'; name: string } | null;
}

const months: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const month = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const weekday = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const time = '(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?';
// A zone token: UTC/GMT/Z, a numeric offset (optionally after UTC/GMT), or an abbreviation.
const zone = '((?:UTC|GMT)?[+-]\\d{1,2}(?::?\\d{2})?|[A-Za-z][A-Za-z0-9]{0,9})';

interface Form {
  re: RegExp;
  /** Positions of year, month, day, hour, minute, second, fraction and zone in the match (0: absent). */
  at: [y: number, mo: number, d: number, h: number, mi: number, s: number, frac: number, zone: number];
}

const forms: Form[] = [
  // Junos `2026-11-22 22:58:01 UTC`, MikroTik 7 `2026-11-22 22:58:01`, ISO `2026-11-22T22:58:01+09:00`
  { re: new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})[ T]${time} ?${zone}?$`, 'i'), at: [1, 2, 3, 4, 5, 6, 7, 8] },
  // IOS `22:58:01 UTC Sun Nov 22 2026`, `*22:58:01.123 JST Sun Nov 22 2026`
  { re: new RegExp(`^[*.]?${time} ${zone} ${weekday} ${month} +(\\d{1,2}) (\\d{4})$`, 'i'), at: [8, 6, 7, 1, 2, 3, 4, 5] },
  // IOS-XR, NX-OS, EOS `Sun Nov 22 22:58:01 2026` (local), `Sun Nov 22 22:58:01 UTC 2026`, `... 2026 UTC`
  { re: new RegExp(`^${weekday} ${month} +(\\d{1,2}) ${time} (?:${zone} )?(\\d{4})$`, 'i'), at: [8, 1, 2, 3, 4, 5, 6, 7] },
  { re: new RegExp(`^${weekday} ${month} +(\\d{1,2}) ${time} (\\d{4}) ${zone}$`, 'i'), at: [7, 1, 2, 3, 4, 5, 6, 8] },
  // MikroTik 6 `nov/22/2026 22:58:01` (local)
  { re: new RegExp(`^${month}/(\\d{2})/(\\d{4}) ${time}$`, 'i'), at: [3, 1, 2, 4, 5, 6, 7, 0] },
  // IOS archive file names `Feb-20-2018-21-57-46.530-UTC` (the ones without a year cannot be read)
  {
    re: new RegExp(`^${month}-(\\d{1,2})-(\\d{4})-(\\d{1,2})-(\\d{2})-(\\d{2})(?:\\.(\\d{1,6}))?(?:-([A-Za-z][A-Za-z0-9]{0,9}))?$`, 'i'),
    at: [3, 1, 2, 4, 5, 6, 7, 8],
  },
];

/** Reads a raw stamp; null when it is in no known form or names an impossible date. */
export function parseStamp(raw: string): Stamp | null {
  const text = raw.trim();
  for (const { re, at } of forms) {
    const m = re.exec(text);
    if (!m) continue;
    const field = (i: number) => (i === 0 ? undefined : m[i]);
    const monthText = field(at[1])!;
    const mo = /^\d+$/.test(monthText) ? Number(monthText) : months[monthText.toLowerCase()]!;
    const [y, d, h, mi, s] = [at[0], at[2], at[3], at[4], at[5]].map((i) => Number(field(i)));
    const ms = Number(`${field(at[6]) ?? ''}000`.slice(0, 3));
    const wall = Date.UTC(y!, mo - 1, d, h, mi, s, ms);
    const check = new Date(wall);
    // Date.UTC rolls 31 Feb over into March and 24:00 into the next day: such a stamp is not a time.
    if (
      check.getUTCFullYear() !== y ||
      check.getUTCMonth() !== mo - 1 ||
      check.getUTCDate() !== d ||
      check.getUTCHours() !== h ||
      check.getUTCMinutes() !== mi ||
      s! > 59
    )
      return null;
    return { wall, zone: zoneOf(field(at[7])) };
  }
  return null;
}

function zoneOf(token: string | undefined): Stamp['zone'] {
  if (token === undefined) return null;
  if (/^(?:UTC|GMT|Z|UT)$/i.test(token)) return { kind: 'utc' };
  const offset = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(token);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    return minutes === 0 ? { kind: 'utc' } : { kind: 'offset', minutes: offset[1] === '-' ? -minutes : minutes };
  }
  return { kind: 'abbreviation', name: token };
}
