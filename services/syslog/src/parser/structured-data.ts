import type { StructuredData } from '../event.js';

/** Result of reading RFC 5424 STRUCTURED-DATA: the elements and the index after the last `]`. */
export interface SdRead {
  sd: StructuredData;
  end: number;
}

/**
 * Reads one or more `[SD-ID PARAM="value" ...]` elements at i (RFC 5424 §6.3). Values are unescaped
 * (`\"`, `\\`, `\]`; any other backslash stays, as §6.3.3 says). A PARAM-NAME that repeats within
 * an element becomes an array in order; an SD-ID that repeats (not allowed, but sent) is merged.
 * Objects have no prototype, so an SD-ID or name like `__proto__` is plain data. Returns null when
 * the text is not well-formed SD, and the caller keeps it in the message instead.
 * Lenient where senders are: extra spaces between parameters and before `]`.
 */
export function readStructuredData(s: string, i: number): SdRead | null {
  const n = s.length;
  const sd: StructuredData = Object.create(null) as StructuredData;
  while (i < n && s.charCodeAt(i) === 91 /* [ */) {
    i++;
    const idStart = i;
    while (i < n && isNameChar(s.charCodeAt(i))) i++;
    if (i === idStart) return null;
    const id = s.slice(idStart, i);
    const params = sd[id] ?? (sd[id] = Object.create(null) as Record<string, string | string[]>);
    for (;;) {
      let c = s.charCodeAt(i);
      if (c === 93 /* ] */) {
        i++;
        break;
      }
      if (c !== 32) return null;
      while (s.charCodeAt(i) === 32) i++;
      c = s.charCodeAt(i);
      if (c === 93) continue;
      const nameStart = i;
      while (i < n && isNameChar(s.charCodeAt(i))) i++;
      if (i === nameStart || s.charCodeAt(i) !== 61 /* = */ || s.charCodeAt(i + 1) !== 34 /* " */) return null;
      const name = s.slice(nameStart, i);
      i += 2;
      let value = '';
      let seg = i;
      for (;;) {
        if (i >= n) return null;
        const v = s.charCodeAt(i);
        if (v === 34) break;
        if (v === 92 /* \ */) {
          const next = s.charCodeAt(i + 1);
          if (next === 34 || next === 92 || next === 93) {
            value += s.slice(seg, i);
            seg = i + 1;
            i += 2;
            continue;
          }
        }
        i++;
      }
      value += s.slice(seg, i);
      i++;
      const prev = params[name];
      if (prev === undefined) params[name] = value;
      else if (typeof prev === 'string') params[name] = [prev, value];
      else prev.push(value);
    }
  }
  return { sd, end: i };
}

/** SD-NAME: printable US-ASCII except `=`, space, `]`, `"` (RFC 5424 §6.3.2). */
function isNameChar(c: number): boolean {
  return c > 32 && c < 127 && c !== 61 && c !== 93 && c !== 34;
}
