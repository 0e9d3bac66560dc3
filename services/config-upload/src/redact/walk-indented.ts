import type { AllowList } from './allow-list.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import { shapeOf, type Findings } from './findings.js';
import type { RuleBook, Verdict } from './grammar.js';
import { isSecretWord } from './secret-words.js';
import { Tagger } from './tagger.js';
import { tokenize, type Token } from './tokens.js';

/**
 * Pass 1 for the indentation families (IOS, IOS-XE, NX-OS, IOS-XR, EOS): one statement a line,
 * sub-modes by indentation (` host ...` under `snmp-server vrf X`, ` key 7 ...` under
 * `tacacs server T`), `!` comments. Units that are not commands are skipped whole: free text
 * (banners), certificate hex blocks (`crypto pki certificate chain` → ` certificate ...` up to
 * `quit`) and public key blocks (a bare `key-string` up to `quit`).
 *
 * Speed: a line is only tokenized when its first word heads a rule (`RuleBook.headsAt`, in place);
 * most lines of a large config (interfaces, ACLs) cost an indexOf and a few character compares, and
 * make no garbage.
 */
export function scanIndented(text: string, book: RuleBook, allow: AllowList, free: readonly FreeText[], found: Findings, known: (w: string) => boolean): void {
  const cursor = new FreeTextCursor(free);
  // The enclosing lines, innermost last: [start, end) of each and its indent, in three arrays
  // reused from line to line (an object per line was most of this walk's garbage).
  const stack = { depth: 0, indents: [] as number[], starts: [] as number[], ends: [] as number[] };
  let quitBlock = -1; // inside a hex block: its opening line's indent
  const n = text.length;
  const parents = (): string[][] => {
    const out: string[][] = [];
    for (let d = 0; d < stack.depth; d++) out.push(lower(tokenize(text.slice(stack.starts[d], stack.ends[d]))));
    return out;
  };
  for (let pos = 0; pos < n;) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const lineStart = pos;
    pos = eol + 1;
    let p = lineStart;
    while (p < eol && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p === eol || text.charCodeAt(p) === 33 /* ! */) continue;
    const block = cursor.at(lineStart);
    if (block) {
      pos = Math.max(pos, block.end + 1);
      continue;
    }
    const indent = p - lineStart;
    let wordEnd = p;
    while (wordEnd < eol && text.charCodeAt(wordEnd) !== 32 && text.charCodeAt(wordEnd) !== 9) wordEnd++;
    if (quitBlock !== -1) {
      if (wordIs(text, p, wordEnd, 'quit') || indent <= quitBlock) quitBlock = -1;
      if (wordIs(text, p, wordEnd, 'quit')) continue;
    }
    while (stack.depth > 0 && stack.indents[stack.depth - 1]! >= indent) stack.depth--;
    if (wordIs(text, p, wordEnd, 'certificate') || (wordIs(text, p, wordEnd, 'key-string') && wordEnd === trimEnd(text, wordEnd, eol))) {
      if (wordIs(text, p, wordEnd, 'key-string') || parents().some((w) => w[0] === 'crypto' && w[1] === 'pki')) {
        quitBlock = indent;
        continue;
      }
    }
    stack.indents[stack.depth] = indent;
    stack.starts[stack.depth] = p;
    stack.ends[stack.depth] = eol;
    stack.depth++;
    if (!book.headsAt(text, p, wordEnd)) continue;
    const tokens = tokenize(text.slice(p, eol));
    const words = lower(tokens);
    const verdict = book.classify(words, 0, () => parents().slice(0, -1));
    if (verdict && !allowedOver(verdict, allow, words)) emit(verdict, p, tokens, text, found, known);
  }
}

/** `text[start, end)` is `word`, compared in place: no string per line. */
function wordIs(text: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && text.startsWith(word, start);
}

function trimEnd(text: string, from: number, eol: number): number {
  let e = eol;
  while (e > from && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  return e;
}

/**
 * A secret a sub-mode rule captured is redacted even on an allowed statement (` key 9` under
 * `tacacs server` is a key, under `key chain` an index); otherwise the allow list wins (`password
 * secure-mode` is not a line password).
 */
export function allowedOver(verdict: Verdict, allow: AllowList, words: readonly string[]): boolean {
  if (verdict.t === 'secrets' && verdict.captures.length > 0 && verdict.rule.under !== null) return false;
  return allow.allows(words);
}

export function lower(tokens: readonly Token[]): string[] {
  return tokens.map((t) => t.text.toLowerCase());
}

/** Turns a verdict on the statement `tokens` (offsets relative to `offset`) into spans. */
export function emit(verdict: Verdict, offset: number, tokens: readonly Token[], text: string, found: Findings, known: (w: string) => boolean): void {
  if (verdict.t === 'secrets') {
    for (const c of verdict.captures) {
      const t = tokens[c.from]!;
      // A secret inside a word (`-cvauth=key,<v>`); offsets from the lower-cased word, so only when it kept its length.
      const inside = c.sub && t.text.toLowerCase().length === t.text.length ? c.sub : null;
      const start = offset + t.start + (inside ? inside[0] : 0);
      const end = inside ? offset + t.start + inside[1] : offset + tokens[c.to - 1]!.end;
      found.add(start, end, c.kind, text.slice(start, end));
    }
    return;
  }
  // A command known to carry a secret, in a form nobody declared: redact every word after its
  // head that is not one of its keywords, and report the shape.
  const redacted = new Set<number>();
  // From the first secret word on, if one comes before the end of the head (`... secret` may have
  // matched a value that looks like its keyword).
  let from = verdict.headEnd;
  for (let i = 0; i < verdict.headEnd; i++) {
    if (tokens[i]!.end > 0 && isSecretWord(tokens[i]!.text.toLowerCase())) {
      from = i + 1;
      break;
    }
  }
  for (let i = from; i < tokens.length; i++) {
    const w = tokens[i]!.text;
    // The first and the last word are always taken: a keyword there may be a value that looks like one.
    if (!Tagger.isTag(w) && (!verdict.rule.vocabulary.has(w.toLowerCase()) || i === from || i === tokens.length - 1)) redacted.add(i);
  }
  found.addTokens(offset, tokens, redacted, shapeOf(tokens, redacted, known));
}
