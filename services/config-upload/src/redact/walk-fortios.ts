import type { AllowList } from './allow-list.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import type { Findings } from './findings.js';
import type { RuleBook } from './grammar.js';
import { hasOpenQuote, tokenize } from './tokens.js';
import { allowedOver, emit, lower } from './walk-indented.js';

/**
 * Pass 1 for FortiOS: `config` and `edit` blocks on a stack, `set` statements matched with the
 * nearest `config` line as their sub-mode (`under`); a value whose quotes stay open runs over the
 * following lines (PEM keys), and is one secret. Replacement messages are free text, skipped.
 */
export function scanFortiOs(text: string, book: RuleBook, allow: AllowList, free: readonly FreeText[], found: Findings, known: (w: string) => boolean): void {
  const cursor = new FreeTextCursor(free);
  const configs: string[][] = [];
  const n = text.length;
  for (let pos = 0; pos < n;) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const lineStart = pos;
    pos = eol + 1;
    const block = cursor.at(lineStart);
    if (block) {
      pos = Math.max(pos, block.end + 1);
      continue;
    }
    let p = lineStart;
    while (p < eol && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (text.startsWith('config ', p)) {
      configs.push(lower(tokenize(text.slice(p, eol))));
      continue;
    }
    if (text.startsWith('end', p) && text.slice(p, eol).trim() === 'end') {
      configs.pop();
      continue;
    }
    if (!text.startsWith('set ', p) && !text.startsWith('unset ', p)) continue;
    while (eol < n && hasOpenQuote(text.slice(p, eol))) {
      const next = text.indexOf('\n', eol + 1);
      eol = next === -1 ? n : next;
    }
    pos = eol + 1;
    const tokens = tokenize(text.slice(p, eol));
    const words = lower(tokens);
    const nearest = configs[configs.length - 1];
    const verdict = book.classify(words, 0, () => (nearest ? [nearest] : []));
    if (verdict && !allowedOver(verdict, allow, words)) emit(verdict, p, tokens, text, found, known);
  }
}
