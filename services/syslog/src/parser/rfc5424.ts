import type { Draft } from './draft.js';
import { readStructuredData } from './structured-data.js';
import { readIsoTime } from './timestamps.js';

/**
 * RFC 5424 after `<PRI>1 `: TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [SP MSG].
 * `-` (NILVALUE) in any header field becomes null. Returns false, touching nothing, when the
 * timestamp field is neither `-` nor RFC 3339-shaped: then the line is not RFC 5424 and the caller
 * tries the legacy parser. Lenient where real senders are: runs of spaces between fields, SD left
 * out entirely (the MSG then starts where SD would), and malformed SD, which stays in the message
 * (`structuredData` null) rather than losing text. A time that is RFC 3339-shaped but invalid, or
 * has no offset, keeps its text in `timestampRaw` with `timestamp` null.
 */
export function parseRfc5424(s: string, i: number, receivedMs: number, d: Draft): boolean {
  const n = s.length;
  let e = tokenEnd(s, i);
  if (e === i + 1 && s.charCodeAt(i) === 45 /* - */) {
    // NILVALUE: no time.
  } else if (s.charCodeAt(i + 4) === 45 && isDigit(s.charCodeAt(i))) {
    const t = readIsoTime(s, i, receivedMs);
    if (t !== null && t.end === e) {
      d.timestampRaw = t.raw; // s.slice(i, e) already
      d.timestamp = t.iso;
    } else {
      d.timestampRaw = s.slice(i, e);
      d.timestamp = null;
    }
  } else {
    return false;
  }
  i = skipSpaces(s, e);
  e = tokenEnd(s, i);
  d.host = field(s, i, e);
  i = skipSpaces(s, e);
  e = tokenEnd(s, i);
  d.app = field(s, i, e);
  i = skipSpaces(s, e);
  e = tokenEnd(s, i);
  d.procId = field(s, i, e);
  i = skipSpaces(s, e);
  e = tokenEnd(s, i);
  d.msgId = field(s, i, e);
  i = skipSpaces(s, e);

  const c = s.charCodeAt(i);
  if (c === 45 && (i + 1 === n || s.charCodeAt(i + 1) === 32)) {
    i++;
  } else if (c === 91 /* [ */) {
    const end = readStructuredData(s, i, d);
    if (end >= 0) i = end;
  }
  if (s.charCodeAt(i) === 32) i++;
  // RFC 5424 §6.4: a UTF-8 MSG starts with a BOM; it is an encoding marker, not text.
  if (s.charCodeAt(i) === 0xfeff) i++;
  d.message = i === 0 ? s : s.slice(i);
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function tokenEnd(s: string, i: number): number {
  const sp = s.indexOf(' ', i);
  return sp < 0 ? s.length : sp;
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

function field(s: string, i: number, e: number): string | null {
  if (e === i || (e === i + 1 && s.charCodeAt(i) === 45)) return null;
  return s.slice(i, e);
}
