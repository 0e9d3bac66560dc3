/**
 * The text of a quoted string with its backslash escapes undone (`\"` → `"`, `\\` → `\`, `\$` →
 * `$`, `\r` `\n` `\t` → CR, LF, tab, so that a script's lines are lines), and for every
 * character of it the offset of the character it came from. Scripts inside configurations
 * (RouterOS `source="..."`, EEM actions) are commands one quoting level down: read this way, a
 * `:local pass \"<v>\"` is `:local pass "<v>"`, and a span found in it maps back to the original.
 */
export interface Unescaped {
  text: string;
  /** at[i]: offset in the escaped string of the decoded character i. */
  at: number[];
}

export function unescape(s: string): Unescaped {
  if (!s.includes('\\')) return { text: s, at: Array.from({ length: s.length }, (_, i) => i) };
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const d = s[++i]!;
      text += d === 'r' ? '\r' : d === 'n' ? '\n' : d === 't' ? '\t' : d;
      at.push(i);
      continue;
    }
    text += c;
    at.push(i);
  }
  return { text, at };
}
