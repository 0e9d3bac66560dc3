import type { StructuredData } from '@netsidecar/contracts';
import type { Draft } from './draft.js';

/** SD-NAME: printable US-ASCII except `=`, space, `]`, `"` (RFC 5424 §6.3.2), as a lookup table. */
const NAME_CHAR = new Uint8Array(128);
for (let c = 33; c < 127; c++) NAME_CHAR[c] = c === 61 || c === 93 || c === 34 ? 0 : 1;

/** Index after the SD-NAME characters starting at i. */
function nameEnd(s: string, i: number, n: number): number {
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c > 127 || NAME_CHAR[c] === 0) break;
    i++;
  }
  return i;
}

/**
 * An empty object without a prototype that V8 keeps in fast mode. `Object.create(null)` makes a
 * dictionary-mode object, which was about 3× slower to fill with SD parameters and slower to walk
 * (`for...in`) and to `JSON.stringify` (bench/parser.bench.mjs); a `{}` whose prototype is set to
 * null before any key is added keeps fast properties and is the same to every reader: `__proto__`
 * and `constructor` are plain data keys on both.
 */
function bareObject<T>(): T {
  return Object.setPrototypeOf({}, null) as T;
}

/**
 * Reads one or more `[SD-ID PARAM="value" ...]` elements at i (RFC 5424 §6.3). Values are unescaped
 * (`\"`, `\\`, `\]`; any other backslash stays, as §6.3.3 says). A PARAM-NAME that repeats within
 * an element becomes an array in order; an SD-ID that repeats (not allowed, but sent) is merged.
 * Objects have no prototype, so an SD-ID or name like `__proto__` is plain data. On success sets
 * `d.structuredData` and returns the index after the last `]`; returns -1, touching nothing, when
 * the text is not well-formed SD, and the caller keeps it in the message instead.
 * Lenient where senders are: extra spaces between parameters and before `]`.
 */
export function readStructuredData(s: string, i: number, d: Draft): number {
  const n = s.length;
  const sd = bareObject<StructuredData>();
  // Index of the next backslash at or after i (n when none): values without one, nearly all of
  // them, are one indexOf for the closing quote and one slice.
  let backslash = -1;
  while (i < n && s.charCodeAt(i) === 91 /* [ */) {
    i++;
    const idStart = i;
    i = nameEnd(s, i, n);
    if (i === idStart) return -1;
    const id = s.slice(idStart, i);
    let params = sd[id];
    if (params === undefined) {
      params = bareObject<Record<string, string | string[]>>();
      sd[id] = params;
    }
    for (;;) {
      let c = s.charCodeAt(i);
      if (c === 93 /* ] */) {
        i++;
        break;
      }
      if (c !== 32) return -1;
      while (s.charCodeAt(i) === 32) i++;
      c = s.charCodeAt(i);
      if (c === 93) continue;
      const nameStart = i;
      i = nameEnd(s, i, n);
      if (i === nameStart || s.charCodeAt(i) !== 61 /* = */ || s.charCodeAt(i + 1) !== 34 /* " */) return -1;
      const name = s.slice(nameStart, i);
      i += 2;
      const quote = s.indexOf('"', i);
      if (quote < 0) return -1;
      if (backslash < i) {
        backslash = s.indexOf('\\', i);
        if (backslash < 0) backslash = n;
      }
      let value: string;
      if (backslash > quote) {
        value = s.slice(i, quote);
        i = quote + 1;
      } else {
        value = '';
        let seg = i;
        for (;;) {
          if (i >= n) return -1;
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
      }
      const prev = params[name];
      if (prev === undefined) params[name] = value;
      else if (typeof prev === 'string') params[name] = [prev, value];
      else prev.push(value);
    }
  }
  d.structuredData = sd;
  return i;
}
