import type { AllowList } from './allow-list.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import type { Findings } from './findings.js';
import type { RuleBook } from './grammar.js';
import { hasOpenQuote, tokenize, type Token } from './tokens.js';
import { allowedOver, emit, lower } from './walk-indented.js';

/**
 * Pass 1 for the brace families (Junos curly and `set`, PAN-OS curly and `set`, F5 tmsh): a
 * statement is matched on its whole path, its parents' words then its own, which is exactly the
 * `set` form of it: `snmp { community X { ... } }` and `set snmp community X ...` meet the same
 * rule `... snmp community $snmp-community ...`. Statements end at `;`, `{`, `}` or the end of the
 * line (tmsh has no `;`). A quoted value left open runs on over the next lines (certificates, keys).
 * `/* ... *\/` comments, `#` comments (`## SECRET-DATA`), `inactive:` / `protect:` markers skipped;
 * `set` lines are read as plain words (a value may hold `;`, `{` or `/*`).
 */
const setVerb = /^\s*(?:set|deactivate|activate|delete|annotate|insert)\s/;

export function scanBraces(text: string, book: RuleBook, allow: AllowList, free: readonly FreeText[], found: Findings, known: (w: string) => boolean): void {
  const cursor = new FreeTextCursor(free);
  const stack: string[][] = [];
  let inComment = false;
  const n = text.length;
  for (let pos = 0; pos < n;) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const lineStart = pos;
    const block = cursor.at(lineStart);
    if (block) {
      pos = Math.max(eol + 1, block.end + 1);
      continue;
    }
    // A value in quotes may span lines: the statement is all of them.
    let quoted = false;
    for (let i = lineStart; i < eol && !quoted; i++) quoted = text.charCodeAt(i) === 34;
    while (quoted && eol < n && hasOpenQuote(text.slice(lineStart, eol))) {
      const next = text.indexOf('\n', eol + 1);
      eol = next === -1 ? n : next;
    }
    pos = eol + 1;
    let line = text.slice(lineStart, eol);
    // `set` commands (Junos `display set`, PAN-OS) are one statement a line, without braces or
    // comments: `/*`, `;`, `{` in them are characters of a value.
    if (!inComment && setVerb.test(line)) {
      if (/^\s*set\s/.test(line)) statement([], tokenize(line).slice(1), lineStart, text, book, allow, found, known);
      continue;
    }
    if (inComment || (line.includes('/*') && !hasOpenQuote(line.slice(0, line.indexOf('/*'))))) {
      const open = line.indexOf('/*');
      const close = line.indexOf('*/');
      if (inComment) {
        if (close === -1) continue;
        inComment = false;
        line = ' '.repeat(close + 2) + line.slice(close + 2);
      } else if (close === -1 || close < open) {
        inComment = close === -1;
        line = line.slice(0, open);
      } else line = line.slice(0, open) + ' '.repeat(close + 2 - open) + line.slice(close + 2);
    }
    const tokens = tokenize(line, true).filter((t) => t.text !== 'inactive:' && t.text !== 'protect:');
    if (tokens.length === 0) continue;
    let own: Token[] = [];
    for (const t of tokens) {
      if (t.text === '{') {
        statement(stack, own, lineStart, text, book, allow, found, known);
        stack.push(lower(own));
        own = [];
      } else if (t.text === ';') {
        statement(stack, own, lineStart, text, book, allow, found, known);
        own = [];
      } else if (t.text === '}') {
        statement(stack, own, lineStart, text, book, allow, found, known);
        own = [];
        stack.pop();
      } else own.push(t);
    }
    statement(stack, own, lineStart, text, book, allow, found, known);
  }
}

function statement(
  stack: readonly string[][],
  own: Token[],
  offset: number,
  text: string,
  book: RuleBook,
  allow: AllowList,
  found: Findings,
  known: (w: string) => boolean,
): void {
  if (own.length === 0) return;
  const ownWords = lower(own);
  // The keyword is on the line, or ends the parent's (`local { NAME "<key>"; }`)
  const top = stack[stack.length - 1];
  if (!ownWords.some((w) => book.has(w)) && !(top && top.length > 0 && book.has(top[top.length - 1]!))) return;
  const parents = stack.flat();
  const words = parents.length === 0 ? ownWords : [...parents, ...ownWords];
  const verdict = book.classify(words, parents.length, () => stack);
  if (!verdict || allowedOver(verdict, allow, ownWords) || allowedOver(verdict, allow, words)) return;
  // Captures index the whole path; the line's own tokens start at parents.length.
  // Parent words stand in front of them for the reported shape; they are never redacted here.
  const shifted: Token[] = [...parents.map((w) => ({ text: w, start: 0, end: 0 })), ...own];
  if (verdict.t === 'unclassified') verdict.headEnd = Math.max(verdict.headEnd, parents.length);
  emit(verdict, offset, shifted, text, found, known);
}
