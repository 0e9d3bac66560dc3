/**
 * How a device printed a UTC time, so that `timestampRaw` need not be stored when `timestamp`
 * renders it exactly. Only UTC: any other zone name or offset cannot be rendered from the UTC
 * `timestamp` alone, and `timestampRaw` is kept. Styles are the Cisco family's `service timestamps
 * log datetime [year] [msec] show-timezone` with the clock in UTC (IOS, IOS-XE, ASA), the common
 * router setting; the day is space-padded as they print it (`Nov  2`).
 *
 * | style | text |
 * |---|---|
 * | 1 | `Nov 22 14:00:00.003 UTC` |
 * | 2 | `Nov 22 14:00:00 UTC` |
 * | 3 | `Nov 22 2026 14:00:00.003 UTC` |
 * | 4 | `Nov 22 2026 14:00:00 UTC` |
 */
export type TimeStyle = 1 | 2 | 3 | 4;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `timestamp` (`2026-11-22T14:00:00.003Z`, as toISOString prints it) in a style; null for another shape. */
export function renderTime(timestamp: string, style: TimeStyle): string | null {
  if (timestamp.length !== 24 || timestamp.charCodeAt(23) !== 90 /* Z */) return null;
  const month = MONTHS[(timestamp.charCodeAt(5) - 48) * 10 + timestamp.charCodeAt(6) - 49];
  if (month === undefined) return null;
  const day = timestamp.charCodeAt(8) === 48 ? ' ' + timestamp[9] : timestamp.slice(8, 10);
  const clock = timestamp.slice(11, 19);
  switch (style) {
    case 1:
      return `${month} ${day} ${clock}${timestamp.slice(19, 23)} UTC`;
    case 2:
      return `${month} ${day} ${clock} UTC`;
    case 3:
      return `${month} ${day} ${timestamp.slice(0, 4)} ${clock}${timestamp.slice(19, 23)} UTC`;
    case 4:
      return `${month} ${day} ${timestamp.slice(0, 4)} ${clock} UTC`;
  }
}

/** Text lengths of the styles for a four-digit year: a time text of another length is none of them. */
const STYLE_BY_LENGTH: ReadonlyMap<number, TimeStyle> = new Map([
  [23, 1],
  [19, 2],
  [28, 3],
  [24, 4],
]);

/** The style that renders `timestamp` as exactly `text`, or null (then `timestampRaw` is kept). */
export function styleOf(timestamp: string, text: string): TimeStyle | null {
  if (text.length < 19 || text.charCodeAt(text.length - 1) !== 67 /* C */ || !text.endsWith(' UTC')) return null;
  const style = STYLE_BY_LENGTH.get(text.length);
  return style !== undefined && renderTime(timestamp, style) === text ? style : null;
}
