/**
 * Words of one logical line, with their offsets, so that a secret can be replaced in place and
 * everything around it (indentation, spacing, quotes of other words) stays as the router wrote it.
 *
 * A word ends at white space outside double quotes; a quote may open anywhere in a word
 * (`name="a b"` is one word) and may span lines (FortiOS keys and certificates), backslash escapes
 * inside quotes are kept. In `structural` mode (Junos, PAN-OS, F5 braces) `;` `{` `}` are words of
 * their own, and (with `comments`) a word starting with `#` (`## SECRET-DATA`) ends the line.
 */
export interface Token {
  text: string;
  start: number;
  end: number;
}

const space = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const structuralChar = (c: number): boolean => c === 59 || c === 123 || c === 125; // ; { }

export function tokenize(line: string, structural = false, comments = structural): Token[] {
  const out: Token[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && space(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    const c = line.charCodeAt(i);
    if (structural) {
      if (structuralChar(c)) {
        out.push({ text: line[i]!, start, end: i + 1 });
        i++;
        continue;
      }
      if (comments && c === 35 /* # */) break;
    }
    while (i < n) {
      const d = line.charCodeAt(i);
      if (space(d) || (structural && structuralChar(d))) break;
      if (d === 34 /* " */) {
        i++;
        while (i < n && line.charCodeAt(i) !== 34) i += line.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
        i = Math.min(i + 1, n);
        continue;
      }
      i++;
    }
    out.push({ text: line.slice(start, i), start, end: i });
  }
  return out;
}

/** An IPv4 or IPv6 address, with a prefix length or a port (`10.0.0.1`, `2001:db8::1/64`, `10.1.1.1:0`). */
export const addressRe = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?:\/\d{1,3}|:\d{1,5})?$/i;

/** True when a double quote opened on this line is not closed on it (the value goes on below). */
export function hasOpenQuote(line: string): boolean {
  let open = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (open && c === 92) i++;
    else if (c === 34) open = !open;
  }
  return open;
}

/**
 * A logical line made of physical lines joined where one ends in a backslash (RouterOS `/export`
 * wraps long lines, even inside a value: `key=abc\\` + newline + `    def` is `key=abcdef`), with the
 * way back from a position in the joined text to the physical text.
 */
export interface Joined {
  text: string;
  /** [logical start, physical start] of each piece, in order. */
  pieces: [number, number][];
  /** Physical end of the logical line (its last line's end). */
  end: number;
}

export function joinContinued(text: string, start: number): Joined {
  // most lines are not continued: one slice, no joining
  const eol0 = text.indexOf('\n', start);
  let e0 = eol0 === -1 ? text.length : eol0;
  while (e0 > start && (text.charCodeAt(e0 - 1) === 32 || text.charCodeAt(e0 - 1) === 13)) e0--;
  if (!(e0 > start && text.charCodeAt(e0 - 1) === 92 && eol0 !== -1)) {
    const end = eol0 === -1 ? text.length : eol0;
    return { text: text.slice(start, end), pieces: [[0, start]], end };
  }
  const pieces: [number, number][] = [];
  const parts: string[] = [];
  let length = 0;
  let from = start;
  for (;;) {
    let eol = text.indexOf('\n', from);
    if (eol === -1) eol = text.length;
    let e = eol;
    while (e > from && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 13)) e--;
    const continued = e > from && text.charCodeAt(e - 1) === 92 && eol < text.length;
    const stop = continued ? e - 1 : eol;
    pieces.push([length, from]);
    parts.push(text.slice(from, stop));
    length += stop - from;
    if (!continued) return { text: parts.join(''), pieces, end: eol };
    from = eol + 1;
    while (from < text.length && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  }
}

/** The physical position of logical position `at` (for an end, pass the last character and add 1). */
export function physical(j: Joined, at: number): number {
  let k = j.pieces.length - 1;
  while (k > 0 && j.pieces[k]![0] > at) k--;
  const [logical, phys] = j.pieces[k]!;
  return phys + (at - logical);
}
