import type { AllowList } from './allow-list.js';
import type { Findings } from './findings.js';
import type { RuleBook } from './grammar.js';
import type { Token } from './tokens.js';
import { allowedOver, emit } from './walk-indented.js';

const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^<>]*?)(\/?)>/g;
const entryName = /\bname="([^"]*)"/;

/**
 * Pass 1 for XML configurations (PAN-OS `show config running` in XML, the API's export): the same
 * rules as the brace and `set` forms, on the element path. `<entry name="X">` stands for `X`, as
 * the CLI prints it, so `<users><entry name="admin"><phash>V</phash>` is the statement
 * `users admin phash V`, which `... phash $password` knows. The text of an element is one value,
 * however many words or lines it has (a PEM key in `<private-key>`).
 */
export function scanXml(text: string, book: RuleBook, allow: AllowList, found: Findings, known: (w: string) => boolean): void {
  const path: string[] = [];
  let openEnd = -1; // where the text of the innermost element opened last starts, -1 once a child opened or it closed
  tag.lastIndex = 0;
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (m[1] === '') {
      if (m[4] === '/') {
        openEnd = -1;
        continue;
      }
      const entry = name === 'entry' ? entryName.exec(m[3]!) : null;
      path.push(entry ? entry[1]!.toLowerCase() : name);
      openEnd = m.index + m[0].length;
      continue;
    }
    if (openEnd !== -1 && path[path.length - 1] === name && book.has(name)) value(text, openEnd, m.index, path, book, allow, found, known);
    openEnd = -1;
    path.pop();
  }
}

/** The text [from, to) of the element ending `path`, as the statement `...path value`. */
function value(
  text: string,
  from: number,
  to: number,
  path: readonly string[],
  book: RuleBook,
  allow: AllowList,
  found: Findings,
  known: (w: string) => boolean,
): void {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (start === end) return;
  const v = text.slice(start, end);
  const words = [...path, v.toLowerCase()];
  const own = path.length - 1;
  const verdict = book.classify(words, own, () => [path.slice(0, -1)]);
  if (!verdict || allowedOver(verdict, allow, words.slice(own)) || allowedOver(verdict, allow, words)) return;
  const tokens: Token[] = [
    ...path.slice(0, -1).map((w) => ({ text: w, start: 0, end: 0 })),
    { text: path[own]!, start: from, end: from },
    { text: v, start, end },
  ];
  if (verdict.t === 'unclassified') verdict.headEnd = Math.max(verdict.headEnd, path.length);
  emit(verdict, 0, tokens, text, found, known);
}
