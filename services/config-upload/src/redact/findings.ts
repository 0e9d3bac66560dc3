import type { Token } from './tokens.js';
import { Tagger } from './tagger.js';
import { joinText } from '../whole-text.js';

/** A secret value found in a text: [start, end) is replaced by the tag of `value`. */
export interface Span {
  start: number;
  end: number;
  kind: string;
  /** What is tagged: the text of the span, or the joined value of a value wrapped over lines. */
  value: string;
}

/** The secrets one pass found, and the shapes of the commands it could only redact blindly. */
export class Findings {
  readonly spans: Span[] = [];
  readonly unclassified = new Set<string>();

  add(start: number, end: number, kind: string, value: string): void {
    if (end > start && !Tagger.isTag(value)) this.spans.push({ start, end, kind, value });
  }

  /** Tokens of a line starting at `offset`, tagged one by one as `unclassified`. */
  addTokens(offset: number, tokens: readonly Token[], indices: Iterable<number>, shape: string): void {
    let any = false;
    for (const i of indices) {
      const t = tokens[i]!;
      if (Tagger.isTag(t.text)) continue;
      this.spans.push({ start: offset + t.start, end: offset + t.end, kind: 'unclassified', value: t.text });
      any = true;
    }
    if (any) this.unclassified.add(shape);
  }
}

const maxShapeWords = 16;

/**
 * The shape of a command for an operator, without a value: words the grammar knows stay, every
 * other word (names, addresses, the redacted values, anything unknown) becomes `*`.
 * `snmp-server host 10.0.0.1 vrf MGMT version 2c s3cret` → `snmp-server host * vrf * version 2c *`.
 */
export function shapeOf(tokens: readonly Token[], redacted: ReadonlySet<number>, known: (word: string) => boolean): string {
  const words: string[] = [];
  for (let i = 0; i < tokens.length && words.length < maxShapeWords; i++) {
    const w = tokens[i]!.text;
    if (w === ';' || w === '{' || w === '}') continue;
    words.push(!redacted.has(i) && known(w.toLowerCase()) ? w : '*');
  }
  if (tokens.length > maxShapeWords) words.push('…');
  return words.join(' ');
}

export interface Applied {
  text: string;
  count: number;
}

/**
 * Replaces the spans with tags; spans overlapping an earlier one are dropped (the first family to
 * claim a value wins). `counts` gets one per value replaced, by kind. The text is joined outside
 * the V8 heap when large (whole-text.ts).
 */
export function applySpans(text: string, spans: Span[], tagger: Tagger, counts: Record<string, number>): Applied {
  if (spans.length === 0) return { text, count: 0 };
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: string[] = [];
  let position = 0;
  let count = 0;
  for (const s of spans) {
    if (s.start < position) continue;
    out.push(text.slice(position, s.start), tagger.tag(s.value));
    position = s.end;
    count++;
    counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  }
  out.push(text.slice(position));
  return { text: joinText(out), count };
}
