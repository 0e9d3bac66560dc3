import { knownRegion } from './region-time.js';
import { parseSummerTime, type SummerTime } from './summer-time.js';

/**
 * The time zone a configuration declares for its own clock, so that the local time stamps in it
 * can be read:
 *
 * - `fixed`: a name and an offset, Cisco style (IOS, IOS-XE, NX-OS, IOS-XR before 6.x):
 *   `clock timezone JST 9 0`, `clock timezone NST -3 30`, with an optional `clock summer-time`.
 * - `region`: an IANA zone, converted with Intl: Arista `clock timezone Asia/Tokyo`, IOS-XR
 *   `clock timezone JST Asia/Tokyo`, Junos `time-zone Asia/Tokyo;` / `set system time-zone ...`
 *   (and `GMT+9`, a POSIX offset: nine hours *behind* UTC), MikroTik `time-zone-name=Asia/Tokyo`.
 * - `unreadable`: a declaration this code cannot read. The stamps are then local to a zone we do
 *   not know, so they are never read as UTC.
 */
export type DeclaredZone =
  | { kind: 'fixed'; name: string | null; offsetMinutes: number; summer: SummerTime | null }
  | { kind: 'region'; name: string | null; region: string }
  | { kind: 'unreadable' };

const unreadable: DeclaredZone = { kind: 'unreadable' };

/** The zone `text` declares, or null when it declares none (the device then keeps UTC). */
export function declaredZone(text: string): DeclaredZone | null {
  return ciscoZone(text) ?? junosZone(text) ?? routerOsZone(text);
}

/** The words after a command at the start of a line (indentation allowed), or null. */
function commandWords(text: string, command: string): string[] | null {
  if (!text.includes(command)) return null; // a cheap screen before the multiline regex
  const m = new RegExp(`^[ \\t]*${command}[ \\t]+(.*?)[ \\t\\r]*$`, 'm').exec(text);
  return m ? m[1]!.split(/[ \t]+/).map(unquote) : null;
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

// clock timezone <region> (EOS) | <name> <region> (IOS-XR) | <name> <hours> [<minutes>] (IOS, NX-OS)
function ciscoZone(text: string): DeclaredZone | null {
  const words = commandWords(text, 'clock timezone');
  if (words === null) return null;
  const [first = '', second, third] = words;
  if (words.length === 1) {
    const region = knownRegion(first);
    return region === null ? unreadable : { kind: 'region', name: null, region };
  }
  if (second !== undefined && /^[+-]?\d{1,2}$/.test(second) && (third === undefined || /^\d{1,2}$/.test(third)) && words.length <= 3) {
    const hours = Number(second);
    const minutes = Number(third ?? 0);
    if (Math.abs(hours) > 23 || minutes > 59) return unreadable;
    const total = Math.abs(hours) * 60 + minutes;
    const summerWords = commandWords(text, 'clock summer-time');
    return {
      kind: 'fixed',
      name: first,
      offsetMinutes: second.startsWith('-') ? -total : total,
      summer: summerWords === null ? null : parseSummerTime(summerWords),
    };
  }
  const region = second !== undefined && words.length === 2 ? knownRegion(second) : null;
  return region === null ? unreadable : { kind: 'region', name: first, region };
}

// Junos: `time-zone Asia/Tokyo;` in `system { }`, or `set system time-zone Asia/Tokyo`.
function junosZone(text: string): DeclaredZone | null {
  if (!text.includes('time-zone ')) return null;
  const m = /^[ \t]*(?:set system )?time-zone[ \t]+("[^"]*"|[^;\s]+)/m.exec(text);
  if (!m) return null;
  const value = unquote(m[1]!);
  // `GMT+9` is POSIX: nine hours behind UTC, as the IANA `Etc/GMT+9` zone is (Junos allows -14..+12).
  const posix = /^GMT([+-])(\d{1,2})$/i.exec(value);
  const region = knownRegion(posix ? `Etc/GMT${posix[1]}${Number(posix[2])}` : value);
  return region === null ? unreadable : { kind: 'region', name: null, region };
}

// MikroTik RouterOS: `/system clock` `set time-zone-name=Asia/Tokyo`; `manual` takes the offset of
// `/system clock manual` `set time-zone=+09:00` (its own summer time, `dst-delta`, is not read).
function routerOsZone(text: string): DeclaredZone | null {
  if (!text.includes('time-zone-name=')) return null;
  const m = /time-zone-name=("[^"]*"|\S+)/.exec(text);
  if (!m) return null;
  const name = unquote(m[1]!);
  if (name !== 'manual') {
    const region = knownRegion(name);
    return region === null ? unreadable : { kind: 'region', name: null, region };
  }
  const start = text.indexOf('/system clock manual');
  const end = start === -1 ? -1 : text.indexOf('\n/', start + 1);
  const section = start === -1 ? '' : text.slice(start, end === -1 ? text.length : end);
  const dst = /\bdst-delta=([+-]?[\d:]+)/.exec(section);
  if (dst && !/^[+-]?0{1,2}:00$/.test(dst[1]!)) return unreadable;
  const offset = /\btime-zone=([+-])(\d{1,2}):(\d{2})\b/.exec(section);
  const minutes = offset ? Number(offset[2]) * 60 + Number(offset[3]) : 0; // RouterOS's default is +00:00
  return { kind: 'fixed', name: null, offsetMinutes: offset?.[1] === '-' ? -minutes : minutes, summer: null };
}
