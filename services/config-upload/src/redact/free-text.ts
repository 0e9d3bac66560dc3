import { hasOpenQuote } from './tokens.js';

/**
 * Free text that no grammar can check (banners, login messages, FortiOS replacement messages,
 * RouterOS notes): both passes leave it alone, so a sentence saying "password" is not mangled, and
 * the event lists it in `freeText` so an operator knows it was not checked.
 * [start, end) covers whole lines; `end` is the end of the last line (its `\n` or the text's end).
 */
export interface FreeText {
  start: number;
  end: number;
  label: string;
}

const opening = /^(?:banner ([a-z-]+)(.*)$|[ \t]*(?:set system login )?(message|announcement) "|config system replacemsg\b|\/system note\b)/gm;

const anyOpening = /banner |message "|announcement "|replacemsg|\/system note/;

export function findFreeText(text: string): FreeText[] {
  const out: FreeText[] = [];
  // Most configs have little of it: one literal scan first, the line-anchored one only when needed.
  if (!anyOpening.test(text)) return out;
  opening.lastIndex = 0;
  for (let m = opening.exec(text); m !== null; m = opening.exec(text)) {
    const start = m.index;
    const lineEnd = endOfLine(text, start);
    let end: number;
    let label: string;
    if (m[1] !== undefined) {
      label = `banner ${m[1]}`;
      end = bannerEnd(text, start + m[0].length - m[2]!.length, lineEnd);
    } else if (m[3] !== undefined) {
      label = `login ${m[3]}`;
      end = quotedEnd(text, start, lineEnd);
    } else if (m[0].startsWith('config')) {
      label = 'replacemsg';
      end = blockEnd(text, lineEnd, /^end[ \t]*$/m);
    } else {
      label = 'system note';
      end = blockEnd(text, lineEnd, /^\//m, true);
    }
    out.push({ start, end, label });
    opening.lastIndex = Math.max(end, start + 1);
  }
  return out;
}

function endOfLine(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

/**
 * IOS `banner motd ^C` ... `^C` (or any delimiter character, the text may start on the same line),
 * EOS `banner motd` then lines up to `EOF`. A banner that is never closed covers its own line only:
 * taking the rest of the file for free text would leave it unredacted.
 */
function bannerEnd(text: string, restStart: number, lineEnd: number): number {
  const rest = text.slice(restStart, lineEnd).trimStart();
  if (rest === '') {
    const eof = /^EOF[ \t]*$/m;
    eof.lastIndex = 0;
    const m = eof.exec(text.slice(lineEnd));
    return m ? endOfLine(text, lineEnd + m.index) : lineEnd;
  }
  const delim = rest.startsWith('^C') ? '^C' : rest[0]!;
  const open = text.indexOf(delim, restStart);
  const close = text.indexOf(delim, open + delim.length);
  return close === -1 ? lineEnd : endOfLine(text, close);
}

function quotedEnd(text: string, start: number, lineEnd: number): number {
  if (!hasOpenQuote(text.slice(start, lineEnd))) return lineEnd;
  let i = text.indexOf('"', text.indexOf('"', start) + 1);
  while (i !== -1 && text.charCodeAt(i - 1) === 92) i = text.indexOf('"', i + 1);
  return i === -1 ? lineEnd : endOfLine(text, i);
}

/** Up to the line matching `closing` (included), or before it with `before`. */
function blockEnd(text: string, from: number, closing: RegExp, before = false): number {
  const rest = text.slice(from + 1);
  const m = closing.exec(rest);
  if (!m) return text.length;
  const at = from + 1 + m.index;
  return before ? Math.max(from, at - 1) : endOfLine(text, at);
}

/** Walks free-text blocks in order alongside a line scan: `inside(pos)` for increasing positions. */
export class FreeTextCursor {
  private i = 0;
  constructor(private readonly blocks: readonly FreeText[]) {}

  /** The block holding `pos`, or null; positions must not decrease between calls. */
  at(pos: number): FreeText | null {
    while (this.i < this.blocks.length && this.blocks[this.i]!.end < pos) this.i++;
    const b = this.blocks[this.i];
    return b && b.start <= pos && pos <= b.end ? b : null;
  }
}
