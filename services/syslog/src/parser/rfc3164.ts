import type { Draft } from './draft.js';
import type { LegacyHints } from './hints.js';
import { readDeviceTime, type TimeRead } from './timestamps.js';
import { readMnemonic } from './vendor/cisco.js';

/**
 * Legacy (non-5424) syslog after the PRI: RFC 3164 `TIMESTAMP HOSTNAME TAG[PID]: MSG` and the
 * headers network gear actually sends in its place:
 *
 *   Cisco IOS/IOS-XE  `65: 000065: rtr1: *Nov 22 2026 14:00:00.003 UTC: %LINK-3-UPDOWN: ...`
 *                     (message counter, `service sequence-numbers`, `logging origin-id`, `*`/`.`
 *                     clock markers, `year`, `msec`, zone name; or an uptime `1d02h:`)
 *   IOS-XR            `1234: rtr1 RP/0/RSP0/CPU0:Nov 22 14:00:00.003 UTC: bgp[1052]: %ROUTING-...`
 *   NX-OS             `: 2026 Nov 22 14:00:00 UTC: %ETHPORT-...` or `sw1: 2026 Nov 22 ...`
 *   ASA               `Nov 22 2026 14:00:00: %ASA-...` or `Nov 22 2026 14:00:00 asa1 : %ASA-...`
 *   F5 BIG-IP         `Nov 22 14:00:00 bigip1 err mcpd[5678]: 01070151:3: ...` (level word)
 *   relayed Cisco     `Nov 22 14:00:00 rtr1 65: *Nov 22 14:00:00.003 UTC: %LINK-...` (an RFC 3164
 *                     relay header in front of the counter)
 *   rsyslog, Junos, EOS, PAN-OS, MikroTik: RFC 3164 or RFC 3339 time, then host and tag.
 *
 * As RFC 3164 §4.3.3 says, a line with no recognisable time has no HOSTNAME; a TAG may still lead.
 * Everything left after the header is `message`; vendor recognisers work on it afterwards.
 */
export function parseLegacy(s: string, start: number, receivedMs: number, d: Draft, h: LegacyHints): void {
  let i = readCiscoNumbers(s, start, h);
  if (i === start && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 32) {
    i += 2; // NX-OS without a host name: `<189>: 2026 Nov 22 ...`
  }

  let t = readDeviceTime(s, i, receivedMs);
  if (t === null) {
    const before = i;
    originTime = null;
    let end = readXrNode(s, i);
    if (end > 0) {
      h.node = s.slice(i, end - 1);
      i = end;
    } else {
      const sp = s.indexOf(' ', i);
      end = sp > i && sp - i <= 255 ? readXrNode(s, sp + 1) : -1;
      if (end > 0) {
        d.host = s.slice(i, sp);
        h.node = s.slice(sp + 1, end - 1);
        i = end;
      } else {
        i = readOrigin(s, i, receivedMs, d, h);
      }
    }
    // readDeviceTime is pure: the time readOrigin read at the same index is the one it would give.
    if (i !== before) t = originTime ?? readDeviceTime(s, i, receivedMs);
  }

  if (t !== null) {
    takeTime(t, d, h);
    i = t.end;
    let c = s.charCodeAt(i);
    // IOS-XR without a zone prints `14:00:00.834 : ifmgr[214]: ...`.
    if (c === 32 && s.charCodeAt(i + 1) === 58) c = s.charCodeAt(++i);
    if (c === 58 /* : */) {
      h.ciscoStyle = true;
      i = skipOneSpace(s, i + 1);
      if (h.node !== null) {
        const e = readTag(s, i, d);
        if (e > 0) i = e;
      }
    } else if (c === 32 && d.host === null && h.counter < 0 && h.seq < 0 && h.node === null) {
      i = readHostAndTag(s, i + 1, receivedMs, d, h);
    } else if (c === 32) {
      i++;
    }
  } else if (d.host === null && h.counter < 0 && h.seq < 0) {
    const e = readTag(s, i, d);
    if (e > 0) i = e;
  }
  d.message = i === 0 ? s : s.slice(i);
}

function takeTime(t: TimeRead, d: Draft, h: LegacyHints): void {
  d.timestamp = t.iso;
  d.timestampRaw = t.raw;
  h.hasTime = true;
  h.marker = t.marker;
  h.yearFirst = t.yearFirst;
}

/**
 * The Cisco numbers before the time: the message counter (`65: `) and the `service
 * sequence-numbers` value (`000065: `), into h. Returns the index after them, i when there are none.
 */
function readCiscoNumbers(s: string, i: number, h: LegacyHints): number {
  let colon = readCounter(s, i);
  if (colon < 0) return i;
  const first = decimal(s, i, colon);
  const zeroPadded = colon - i > 1 && s.charCodeAt(i) === 48;
  i = colon + 2;
  colon = readCounter(s, i);
  if (colon > 0) {
    h.counter = first;
    h.seq = decimal(s, i, colon);
    return colon + 2;
  }
  // Only the zero-padded `service sequence-numbers` value (`no logging message-counter syslog`).
  if (zeroPadded) h.seq = first;
  else h.counter = first;
  return i;
}

/** Digits followed by `: ` (Cisco counter or sequence number): index of the colon, or -1. */
function readCounter(s: string, i: number): number {
  let e = i;
  while (e - i < 10) {
    const c = s.charCodeAt(e);
    if (c < 48 || c > 57) break;
    e++;
  }
  return e > i && s.charCodeAt(e) === 58 && s.charCodeAt(e + 1) === 32 ? e : -1;
}

/** The value of the 1-10 digits in s[start, end) (what Number() gives for them, without a slice). */
function decimal(s: string, start: number, end: number): number {
  let v = 0;
  for (let k = start; k < end; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

/** An IOS-XR node `RP/0/RSP0/CPU0:` at i: index after its colon, or -1. */
function readXrNode(s: string, i: number): number {
  const lim = Math.min(s.length, i + 40);
  let e = i;
  let slash = false;
  for (; e < lim; e++) {
    const c = s.charCodeAt(e);
    if (c === 58) break;
    if (c === 32) return -1;
    if (c === 47) slash = true;
  }
  if (e === lim || !slash) return -1;
  let q = e - 1;
  while (q > i && s.charCodeAt(q) >= 48 && s.charCodeAt(q) <= 57) q--;
  if (q === e - 1 || q - 3 < i || s.charCodeAt(q) !== 85 || s.charCodeAt(q - 1) !== 80 || s.charCodeAt(q - 2) !== 67 || s.charCodeAt(q - 3) !== 47) {
    return -1;
  }
  return e + 1;
}

/** The time readOrigin found after an origin, so that parseLegacy does not read it twice. */
let originTime: TimeRead | null = null;

/**
 * Cisco `logging origin-id hostname|ip|ipv6|string` and the NX-OS host prefix: `name: ` directly
 * before the time or the `%` mnemonic, or before the `service sequence-numbers` value that IOS
 * prints after the origin (`65: rtr1: 000065: Nov 22 2026 ...`). Only `: ` ends the name, so IPv6
 * addresses and quoted strings with spaces fit. Returns the index after it, or i unchanged.
 */
function readOrigin(s: string, i: number, receivedMs: number, d: Draft, h: LegacyHints): number {
  if (s.charCodeAt(i) === 37 /* % */) return i;
  const k = s.indexOf(': ', i);
  if (k <= i || k - i > 64) return i;
  let after = k + 2;
  const seqStart = after;
  const seqColon = h.seq < 0 ? readCounter(s, seqStart) : -1;
  if (seqColon > 0) after = seqColon + 2;
  const t = readDeviceTime(s, after, receivedMs);
  if (t === null && readMnemonic(s, after) === null) return i;
  if (seqColon > 0) h.seq = decimal(s, seqStart, seqColon);
  originTime = t;
  const name = s.slice(i, k).trim();
  d.host = name === '' ? null : name;
  return after;
}

const LEVEL_WORDS: ReadonlySet<string> = new Set(['emerg', 'panic', 'alert', 'crit', 'err', 'error', 'warning', 'warn', 'notice', 'info', 'debug']);

/**
 * After a BSD time: HOSTNAME, then F5's level word, an empty tag (`asa1 : %ASA-...`, where NX-OS
 * may repeat its own time with the zone), or TAG[PID]:. A first token that ends in `:` is a tag
 * (a local sender that leaves the host out).
 */
function readHostAndTag(s: string, i: number, receivedMs: number, d: Draft, h: LegacyHints): number {
  while (s.charCodeAt(i) === 32) i++;
  let e = s.indexOf(' ', i);
  if (e < 0) e = s.length;
  if (e === i) return i;
  if (s.charCodeAt(e - 1) === 58) {
    const te = readTag(s, i, d);
    return te > 0 ? te : i;
  }
  d.host = s.slice(i, e);
  h.bsdHost = true;
  i = e;
  while (s.charCodeAt(i) === 32) i++;

  let w = i;
  while (w - i < 8 && s.charCodeAt(w) >= 97 && s.charCodeAt(w) <= 122) w++;
  if (w > i && s.charCodeAt(w) === 32 && LEVEL_WORDS.has(s.slice(i, w))) {
    const te = readTag(s, w + 1, d);
    if (te > 0) {
      h.level = s.slice(i, w);
      return te;
    }
  }
  if (s.charCodeAt(i) === 58) {
    i = skipOneSpace(s, i + 1);
    const inner = readDeviceTime(s, i, receivedMs);
    if (inner !== null && s.charCodeAt(inner.end) === 58 && (inner.iso !== null || d.timestamp === null)) {
      takeTime(inner, d, h);
      h.ciscoStyle = true;
      i = skipOneSpace(s, inner.end + 1);
    }
    return i;
  }
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) {
    const body = readRelayedCisco(s, i, receivedMs, d, h);
    if (body > 0) return body;
  }
  const te = readTag(s, i, d);
  return te > 0 ? te : i;
}

/**
 * A Cisco line behind an RFC 3164 relay header, as rsyslog forwards what it received:
 * `<189>Nov 22 14:00:00 rtr1 65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: ...`. The relay took the
 * message counter for a TAG; it is the device's counter (and sequence number), followed by the
 * device's own time and `:`, or directly by the `%` code. The device's time replaces the relay's
 * when it fixes the instant or the relay's does not. Returns the index of the body, or -1 when the
 * text after the host is not that (then nothing is set).
 */
function readRelayedCisco(s: string, i: number, receivedMs: number, d: Draft, h: LegacyHints): number {
  // h holds no numbers yet: a BSD host is read only when the line did not start with them.
  const e = readCiscoNumbers(s, i, h);
  if (e === i) return -1;
  const t = readDeviceTime(s, e, receivedMs);
  if (t !== null && s.charCodeAt(t.end) === 58) {
    if (t.iso !== null || d.timestamp === null) takeTime(t, d, h);
    h.marker = t.marker;
    h.ciscoStyle = true;
    return skipOneSpace(s, t.end + 1);
  }
  if (readMnemonic(s, e) !== null) return e;
  h.counter = -1;
  h.seq = -1;
  return -1;
}

/**
 * RFC 3164 TAG with optional `[PID]`, then `:` and a space (or the end): `rpd[1234]: `, `Ebra: `,
 * `postfix/smtpd[77]: `. A `[PID]` with no colon after it also counts. Sets app/procId and returns
 * the index of the content, or -1 (then nothing is set).
 */
function readTag(s: string, i: number, d: Draft): number {
  const n = s.length;
  const c0 = s.charCodeAt(i);
  if (i >= n || c0 === 37 /* % */ || c0 === 32) return -1;
  const lim = Math.min(n, i + 64);
  let e = i;
  for (; e < lim; e++) {
    const c = s.charCodeAt(e);
    if (c === 32 || c === 91 || c === 58) break;
  }
  if (e === i || e === lim) return -1;
  const appEnd = e;
  let pidStart = -1;
  let pidEnd = -1;
  if (s.charCodeAt(e) === 91 /* [ */) {
    const pidLim = Math.min(n, e + 34);
    let q = e + 1;
    while (q < pidLim && s.charCodeAt(q) !== 93) q++;
    if (q === pidLim) return -1;
    pidStart = e + 1;
    pidEnd = q;
    e = q + 1;
  }
  const c = s.charCodeAt(e);
  if (c === 58 && (e + 1 === n || s.charCodeAt(e + 1) === 32)) {
    e++;
  } else if (!(pidStart > 0 && (c === 32 || e === n))) {
    return -1;
  }
  d.app = s.slice(i, appEnd);
  d.procId = pidEnd > pidStart ? s.slice(pidStart, pidEnd) : null;
  return skipOneSpace(s, e);
}

function skipOneSpace(s: string, i: number): number {
  return s.charCodeAt(i) === 32 ? i + 1 : i;
}
