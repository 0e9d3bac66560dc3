import { toUtcIso, type ClockParts } from './calendar.js';
import { isKnownZoneName, numericOffset, zoneNameOffset } from './zones.js';

/**
 * A device timestamp found in the text. The scanners below work on character codes at an index,
 * allocate only the result, and never backtrack: a 64 KiB line costs the same as a short one.
 */
export interface TimeRead {
  /** Index just after the timestamp (and its zone, when one was read). */
  end: number;
  /** The timestamp text as sent, without a Cisco `*`/`.` marker. */
  raw: string;
  /** UTC ISO with ms, or null when no zone/offset fixes it, the zone is ambiguous, or it is an uptime. */
  iso: string | null;
  /** `2026 Nov 22 ...` (NX-OS, EOS): year before the month. */
  yearFirst: boolean;
  /** Cisco marker before the time: `*` (clock not authoritative) or `.` (NTP sync lost), else ''. */
  marker: string;
}

const MONTHS: ReadonlyMap<number, number> = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map(
    (m, i) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), i + 1] as const,
  ),
);

/**
 * The parts of the time being read. One object for every call: the scanners run one at a time and
 * toUtcIso does not keep it, so no line allocates one.
 */
const P: ClockParts = { year: -1, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0 };

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function digits(s: string, i: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Month 1..12 for a three-letter English name at i (any case), else 0. */
function monthAt(s: string, i: number): number {
  const key = ((s.charCodeAt(i) | 0x20) << 16) | ((s.charCodeAt(i + 1) | 0x20) << 8) | (s.charCodeAt(i + 2) | 0x20);
  return MONTHS.get(key) ?? 0;
}

function validClock(p: ClockParts): boolean {
  return p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= 31 && p.hour <= 23 && p.minute <= 59 && p.second <= 60;
}

/** `hh:mm:ss[.frac]` at i into parts; returns the end index or -1. */
function readClock(s: string, i: number, p: ClockParts): number {
  p.hour = digits(s, i, 2);
  p.minute = digits(s, i + 3, 2);
  p.second = digits(s, i + 6, 2);
  if (p.hour < 0 || p.minute < 0 || p.second < 0 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return -1;
  let e = i + 8;
  p.ms = 0;
  if (s.charCodeAt(e) === 46 /* . */ && digit(s, e + 1) >= 0) {
    e++;
    let n = 0;
    for (; n < 9 && digit(s, e) >= 0; n++, e++) {
      if (n < 3) p.ms = p.ms * 10 + digit(s, e);
    }
    for (let k = n; k < 3; k++) p.ms *= 10;
  }
  return e;
}

/**
 * RFC 3339 / RFC 5424 `2026-11-22T14:00:00.003+09:00` at i. Without an offset the time is local to
 * an unknown zone, so `iso` is null.
 */
export function readIsoTime(s: string, i: number, receivedMs: number): TimeRead | null {
  const p = P;
  p.year = digits(s, i, 4);
  p.month = digits(s, i + 5, 2);
  p.day = digits(s, i + 8, 2);
  const t = s.charCodeAt(i + 10);
  if (p.year < 0 || p.month < 0 || p.day < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45 || (t !== 84 && t !== 116)) return null;
  let e = readClock(s, i + 11, p);
  if (e < 0 || !validClock(p)) return null;
  let offset: number | undefined;
  const c = s.charCodeAt(e);
  if (c === 90 || c === 122) {
    offset = 0;
    e++;
  } else if (c === 43 || c === 45) {
    const len = s.charCodeAt(e + 3) === 58 ? 6 : 5;
    offset = numericOffset(s, e, e + len);
    if (offset !== undefined) e += len;
  }
  const iso = offset === undefined ? null : toUtcIso(p, offset, receivedMs);
  return { end: e, raw: s.slice(i, e), iso, yearFirst: false, marker: '' };
}

/**
 * BSD-style times: `Nov 22 14:00:00` (RFC 3164, day may be space-padded), with optional year before
 * the month (`2026 Nov 22 14:00:00`, NX-OS/EOS) or after the day (`Nov 22 2026 14:00:00`, IOS
 * `year`, ASA), optional fraction (IOS `msec`, XR), and an optional zone: a numeric offset, a name
 * from the zone tables, or (when a colon follows, as Cisco prints `14:00:00.003 UTC:`) any short
 * upper-case name, which stays unconverted unless the tables know it.
 */
export function readBsdTime(s: string, i: number, receivedMs: number): TimeRead | null {
  const p = P;
  p.year = -1;
  let e = i;
  let yearFirst = false;
  if (s.charCodeAt(e + 4) === 32 && digit(s, e) >= 0) {
    p.year = digits(s, e, 4);
    if (p.year < 0) return null;
    yearFirst = true;
    e += 5;
  }
  p.month = monthAt(s, e);
  if (p.month === 0 || s.charCodeAt(e + 3) !== 32) return null;
  e += 4;
  if (s.charCodeAt(e) === 32) e++;
  p.day = digit(s, e);
  if (p.day < 0) return null;
  e++;
  const d2 = digit(s, e);
  if (d2 >= 0) {
    p.day = p.day * 10 + d2;
    e++;
  }
  if (s.charCodeAt(e) !== 32) return null;
  e++;
  if (!yearFirst && s.charCodeAt(e + 4) === 32 && digit(s, e) >= 0) {
    p.year = digits(s, e, 4);
    if (p.year < 0) return null;
    e += 5;
  }
  e = readClock(s, e, p);
  if (e < 0 || !validClock(p)) return null;

  let offset: number | undefined;
  if (s.charCodeAt(e) === 32) {
    const z = e + 1;
    const c = s.charCodeAt(z);
    let ze = z;
    let numeric: number | undefined;
    if (c === 43 || c === 45) {
      const len = s.charCodeAt(z + 3) === 58 ? 6 : 5;
      numeric = numericOffset(s, z, z + len);
      if (numeric !== undefined) ze = z + len;
    } else {
      while (ze - z < 6 && isLetter(s.charCodeAt(ze))) ze++;
    }
    const after = s.charCodeAt(ze);
    if (ze > z && (after === 58 || after === 32 || ze === s.length)) {
      if (numeric !== undefined) {
        offset = numeric;
        e = ze;
      } else {
        const name = s.slice(z, ze);
        // An unknown name counts only where Cisco prints one: `14:00:00 MYTZ: %FAC-...`.
        const ciscoZone = after === 58 && s.charCodeAt(ze + 1) === 32 && s.charCodeAt(ze + 2) === 37 && ze - z >= 2 && isUpperCase(name);
        if (ciscoZone || isKnownZoneName(name)) {
          offset = zoneNameOffset(name);
          e = ze;
        }
      }
    }
  }
  const iso = offset === undefined ? null : toUtcIso(p, offset, receivedMs);
  return { end: e, raw: s.slice(i, e), iso, yearFirst, marker: '' };
}

function isUpperCase(name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/**
 * Cisco `service timestamps log uptime`: `00:00:46`, `1d02h`, `2w3d`, followed by `:`. Returns the
 * index of that colon, or -1. An uptime is not a wall-clock time: it only goes to `timestampRaw`.
 */
function readUptime(s: string, i: number): number {
  let e = i;
  while (digit(s, e) >= 0) e++;
  if (e === i) return -1;
  if (s.charCodeAt(e) === 58) {
    if (digits(s, e + 1, 2) < 0 || s.charCodeAt(e + 3) !== 58 || digits(s, e + 4, 2) < 0) return -1;
    e += 6;
    if (s.charCodeAt(e) === 46) {
      e++;
      while (digit(s, e) >= 0) e++;
    }
    return s.charCodeAt(e) === 58 ? e : -1;
  }
  for (let units = 0; units < 4; units++) {
    const u = s.charCodeAt(e) | 0x20;
    if (u !== 121 && u !== 119 && u !== 100 && u !== 104 && u !== 109) return -1; // y w d h m
    e++;
    if (s.charCodeAt(e) === 58) return e;
    const start = e;
    while (digit(s, e) >= 0) e++;
    if (e === start) return -1;
  }
  return -1;
}

/**
 * Any device timestamp at i as network gear sends it in a legacy (non-5424) line: an optional Cisco
 * `*`/`.` marker, then RFC 3339, a BSD-style time, or a Cisco uptime.
 */
export function readDeviceTime(s: string, i: number, receivedMs: number): TimeRead | null {
  let p = i;
  let marker = '';
  const m = s.charCodeAt(p);
  if (m === 42 || m === 46) {
    marker = m === 42 ? '*' : '.';
    p++;
  }
  const c = s.charCodeAt(p);
  let t: TimeRead | null = null;
  if (c >= 48 && c <= 57) {
    t = s.charCodeAt(p + 4) === 45 ? readIsoTime(s, p, receivedMs) : readBsdTime(s, p, receivedMs);
    if (t === null) {
      const u = readUptime(s, p);
      if (u > 0) t = { end: u, raw: s.slice(p, u), iso: null, yearFirst: false, marker: '' };
    }
  } else if (isLetter(c)) {
    t = readBsdTime(s, p, receivedMs);
  }
  if (t !== null) t.marker = marker;
  return t;
}
