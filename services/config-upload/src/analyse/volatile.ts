import { declaredZone } from './declared-zone.js';
import { resolveWhen, type When } from './when.js';
import { joinText } from '../whole-text.js';

/**
 * Lines that change without the configuration changing (timestamps, byte counts, clock drift), and
 * the who/when they carry. They are kept in the stored text and the event's `config`, and removed
 * from the normalised text that decides `changed` and feeds the diffs.
 */
export interface Normalised extends When {
  text: string;
  who: string | null;
  whenRaw: string | null;
}

interface VolatileRule {
  re: RegExp;
  /** Picks who and the raw time out of the match. */
  pick?: (m: RegExpExecArray) => { who?: string | undefined; whenRaw?: string | undefined };
}

const volatileRules: VolatileRule[] = [
  // IOS: "! Last configuration change at 22:58:01 UTC Sun Nov 22 2026 by admin"
  { re: /^! Last configuration change at (.+?)(?: by (\S+))?\s*$/, pick: (m) => ({ whenRaw: m[1], who: m[2] }) },
  { re: /^! NVRAM config last updated at (.+?)(?: by (\S+))?\s*$/, pick: (m) => ({ whenRaw: m[1], who: m[2] }) },
  { re: /^! No configuration change since last restart/ },
  { re: /^Building configuration\.\.\./ },
  { re: /^Current configuration ?: ?\d+ bytes/ },
  { re: /^\s*ntp clock-period \d+/ },
  // IOS-XR: "!! Last configuration change at Sun Nov 22 22:58:01 2026 by admin", and the show time line
  { re: /^!! Last configuration change at (.+?)(?: by (\S+))?\s*$/, pick: (m) => ({ whenRaw: m[1], who: m[2] }) },
  { re: /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d+ \d\d:\d\d:\d\d(?:\.\d+)? \S+\s*$/ },
  // NX-OS
  { re: /^!Time: / },
  { re: /^!Running configuration last done at: (.+?)\s*$/, pick: (m) => ({ whenRaw: m[1] }) },
  // Arista EOS
  { re: /^! Startup-config last modified at +(.+?)(?: by (\S+))?\s*$/, pick: (m) => ({ whenRaw: m[1], who: m[2] }) },
  { re: /^! Time: / },
  // Junos: "## Last commit: 2026-11-22 22:58:01 UTC by admin"
  { re: /^## Last commit: (.+?)(?: by (\S+))?\s*$/, pick: (m) => ({ whenRaw: m[1], who: m[2] }) },
  { re: /^## Last changed: (.+?)\s*$/, pick: (m) => ({ whenRaw: m[1] }) },
  // MikroTik: "# 2026-11-22 22:58:01 by RouterOS 7.15" or "# nov/22/2026 22:58:01 by RouterOS 6.49"
  { re: /^# (.+?) by RouterOS\b/, pick: (m) => ({ whenRaw: m[1] }) },
  // FortiOS: "#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin"
  { re: /^#config-version=.*?(?::user=(\S+))?\s*$/, pick: (m) => ({ who: m[1] }) },
  { re: /^#conf_file_ver=/ },
];

/** [start, end) of `text` is blank, or only `!` / `#` after indentation. */
function isSeparator(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  if (i === end) return true;
  const c = text.charCodeAt(i);
  return i === end - 1 && (c === 0x21 || c === 0x23);
}

const isTrailingBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d;
const clockPeriod = 'clock-period';

/**
 * Normalises redacted text: LF endings, no trailing blanks, no blank or bare `!` lines, no volatile lines; extracts who/when (when: converted with the zone the text declares, see when.ts).
 *
 * One walk over the text by line ends, without splitting it: runs of lines kept as they are are
 * copied as one slice (a 1 MB config is some 40,000 lines; splitting and joining them cost more
 * than the rest of the walk, bench/RESULTS-config.md), and joined outside the V8 heap when large
 * (whole-text.ts).
 */
export function normalise(text: string): Normalised {
  let who: string | null = null;
  let whenRaw: string | null = null;
  const out: string[] = [];
  // The run of lines kept unchanged, with their line ends: text[runStart, runEnd).
  let runStart = 0;
  let runEnd = 0;
  // Where `clock-period` next occurs at or after the line being read (-1: nowhere).
  let nextClock = text.indexOf(clockPeriod);
  for (let start = 0; ;) {
    const lf = text.indexOf('\n', start);
    const eol = lf === -1 ? text.length : lf;
    let end = eol;
    while (end > start && isTrailingBlank(text.charCodeAt(end - 1))) end--;
    let keep = !isSeparator(text, start, end);
    if (keep) {
      // Cheap first-character screen: every volatile line starts with one of these (or is ntp clock-period).
      const c = text.charCodeAt(start);
      if (nextClock !== -1 && nextClock < start) nextClock = text.indexOf(clockPeriod, start);
      const candidate =
        c === 0x21 /* ! */ ||
        c === 0x23 /* # */ ||
        c === 0x42 /* B */ ||
        c === 0x43 /* C */ ||
        (c >= 0x46 && c <= 0x57) ||
        (nextClock !== -1 && nextClock + clockPeriod.length <= end);
      if (candidate) {
        const line = text.slice(start, end);
        for (const rule of volatileRules) {
          const m = rule.re.exec(line);
          if (!m) continue;
          keep = false;
          const picked = rule.pick?.(m);
          if (picked?.who && who === null) who = picked.who;
          if (picked?.whenRaw && whenRaw === null) whenRaw = picked.whenRaw;
          break;
        }
      }
    }
    // Blank lines and bare `!`/`#` separators carry no configuration (NB: so a banner that only
    // gains or loses a blank line is not a change).
    if (keep && end === eol && lf !== -1) {
      runEnd = lf + 1; // the line and its LF, as they are
    } else {
      if (runEnd > runStart) out.push(text.slice(runStart, runEnd));
      runStart = runEnd = lf + 1;
      if (keep) out.push(text.slice(start, end), '\n');
    }
    if (lf === -1) break;
    start = lf + 1;
  }
  if (runEnd > runStart) out.push(text.slice(runStart, runEnd));
  const kept = out.length === 0 ? '\n' : joinText(out);
  // The zone is looked up only when there is a stamp to read: a few indexOf scans of the text.
  const when = whenRaw === null ? { when: null, whenZone: null } : resolveWhen(whenRaw, declaredZone(text));
  return { text: kept, who, ...when, whenRaw };
}
