/**
 * Cisco-style `clock summer-time` (IOS, IOS-XE, IOS-XR, NX-OS): the summer zone's name, how far it
 * is ahead of standard time, and, when the rule can be read, whether a local wall time falls in it.
 *
 *   clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00 [offset]   (IOS, IOS-XR)
 *   clock summer-time EDT recurring                                                  (US rules)
 *   clock summer-time CEST date 29 Mar 2026 2:00 25 Oct 2026 3:00 [offset]           (also Mar 29 2026)
 *   clock summer-time PDT 2 Sunday March 02:00 1 Sunday November 02:00 60            (NX-OS)
 *
 * The start is in local standard time and the end in local summer time, as the devices apply them.
 * A wall time in the hour that repeats when summer time ends is read as summer time.
 */
export interface SummerTime {
  name: string;
  /** Minutes summer time is ahead of standard time (60 unless the command says otherwise). */
  offsetMinutes: number;
  /** Whether a local wall time (ms, as if UTC) is in summer time; null when the rule cannot be read. */
  isSummer: ((wall: number) => boolean) | null;
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const defaultOffset = 60;

/** `args`: the words after `clock summer-time`. Null when not even the zone name is there. */
export function parseSummerTime(args: string[]): SummerTime | null {
  const [name, first, ...rest] = args;
  if (name === undefined) return null;
  if (first === undefined) return { name, offsetMinutes: defaultOffset, isSummer: null };
  if (first.toLowerCase() === 'recurring') {
    // Without arguments IOS applies the United States rules.
    const words = rest.length === 0 ? ['2', 'Sun', 'Mar', '2:00', '1', 'Sun', 'Nov', '2:00'] : rest;
    return recurring(name, words);
  }
  if (first.toLowerCase() === 'date') return dated(name, rest);
  if (/^\d$|^first$|^last$/i.test(first)) return recurring(name, [first, ...rest]); // NX-OS: no keyword
  return { name, offsetMinutes: defaultOffset, isSummer: null };
}

function offsetOf(word: string | undefined): number | null {
  if (word === undefined) return defaultOffset;
  if (!/^\d{1,4}$/.test(word)) return null;
  const minutes = Number(word);
  return minutes >= 1 && minutes <= 1440 ? minutes : null;
}

function recurring(name: string, words: string[]): SummerTime {
  const offsetMinutes = offsetOf(words[8]) ?? defaultOffset;
  const start = weekRule(words.slice(0, 4));
  const end = weekRule(words.slice(4, 8));
  if (!start || !end || offsetOf(words[8]) === null || words.length > 9) return { name, offsetMinutes, isSummer: null };
  return {
    name,
    offsetMinutes,
    isSummer: (wall) => {
      const year = new Date(wall).getUTCFullYear();
      // Wall times in the skipped hour after the start do not exist; taking them as summer is harmless.
      const from = start(year);
      const to = end(year);
      return from < to ? wall >= from && wall < to : wall >= from || wall < to; // southern hemisphere: spans the new year
    },
  };
}

function dated(name: string, words: string[]): SummerTime {
  const offsetMinutes = offsetOf(words[8]) ?? defaultOffset;
  const from = dateMoment(words.slice(0, 4));
  const to = dateMoment(words.slice(4, 8));
  if (from === null || to === null || offsetOf(words[8]) === null || words.length > 9) return { name, offsetMinutes, isSummer: null };
  return { name, offsetMinutes, isSummer: (wall) => wall >= from && wall < to };
}

/** `week day month hh:mm` (week 1-5, `first`, `last`; 5 is the last, as on NX-OS) → that moment each year. */
function weekRule(words: string[]): ((year: number) => number) | null {
  const [weekWord = '', dayWord = '', monthWord = '', clock = ''] = words;
  const week = /^first$/i.test(weekWord) ? 1 : /^last$/i.test(weekWord) ? 5 : /^[1-5]$/.test(weekWord) ? Number(weekWord) : null;
  const day = nameIndex(dayNames, dayWord);
  const month = nameIndex(monthNames, monthWord);
  const time = clockMinutes(clock);
  if (week === null || day === null || month === null || time === null) return null;
  return (year) => {
    const firstDay = new Date(Date.UTC(year, month, 1)).getUTCDay();
    let date = 1 + ((day - firstDay + 7) % 7) + (week - 1) * 7;
    const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    while (date > daysInMonth) date -= 7;
    return Date.UTC(year, month, date) + time * 60_000;
  };
}

/** `29 Mar 2026 2:00` or `Mar 29 2026 2:00` → that wall moment. */
function dateMoment(words: string[]): number | null {
  const [a = '', b = '', yearWord = '', clock = ''] = words;
  const [dayWord, monthWord] = /^\d+$/.test(a) ? [a, b] : [b, a];
  const month = nameIndex(monthNames, monthWord);
  const time = clockMinutes(clock);
  if (!/^\d{1,2}$/.test(dayWord) || !/^\d{4}$/.test(yearWord) || month === null || time === null) return null;
  return Date.UTC(Number(yearWord), month, Number(dayWord)) + time * 60_000;
}

function nameIndex(names: string[], word: string): number | null {
  const index = names.indexOf(word.slice(0, 3).toLowerCase());
  return index === -1 || word.length < 3 ? null : index;
}

function clockMinutes(word: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(word);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}
