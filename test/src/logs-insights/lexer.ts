import { MalformedQueryError } from './errors.js';

/**
 * Tokens of the Logs Insights query language. `/` starts a regex where an operand is expected
 * and is division after one (the same rule as JavaScript's). `5m`, `1h` are period tokens. `#`
 * starts a comment to the end of the line outside strings, regexes and backticks.
 */
export type Token =
  | { kind: 'ident'; text: string; quoted: boolean; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'regex'; source: string; pos: number }
  | { kind: 'period'; amount: number; unit: string; text: string; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'end'; pos: number };

const OPERATORS = ['!=', '<=', '>=', '=~', '=', '<', '>', '+', '-', '*', '/', '%', '^', '(', ')', '[', ']', ',', '|'];
const PERIOD_UNITS = ['ms', 'mo', 's', 'm', 'h', 'd', 'w', 'q', 'y'];
const IDENT_START = /[A-Za-z_@$]/;
const IDENT_PART = /[A-Za-z0-9_@.$]/;

/** Words after which an operand (so a regex) comes, not an operator. */
const OPERAND_BEFORE = new Set(['like', 'and', 'or', 'not', 'in', 'filter', 'parse', 'fields', 'display', 'stats', 'sort', 'by', 'as']);

function regexMayStart(tokens: readonly Token[]): boolean {
  const previous = tokens[tokens.length - 1];
  if (previous === undefined) return true;
  if (previous.kind === 'op') return previous.text !== ')' && previous.text !== ']';
  if (previous.kind === 'ident' && !previous.quoted && OPERAND_BEFORE.has(previous.text.toLowerCase())) return true;
  // `parse <field> /regex/`
  const before = tokens[tokens.length - 2];
  return previous.kind === 'ident' && before?.kind === 'ident' && !before.quoted && before.text === 'parse';
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && query[i] !== '\n') i++;
      continue;
    }
    const pos = i;
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new MalformedQueryError('unterminated string literal', pos);
        const d = query[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = query[i + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', value, pos });
      continue;
    }
    if (c === '`') {
      const close = query.indexOf('`', i + 1);
      if (close < 0) throw new MalformedQueryError('unterminated backtick field name', pos);
      tokens.push({ kind: 'ident', text: query.slice(i + 1, close), quoted: true, pos });
      i = close + 1;
      continue;
    }
    if (c === '/' && regexMayStart(tokens)) {
      let source = '';
      i++;
      let inClass = false;
      for (;;) {
        if (i >= n) throw new MalformedQueryError('unterminated regular expression', pos);
        const d = query[i]!;
        if (d === '\\' && i + 1 < n) {
          // `\/` is an escaped slash; other escapes pass through to the regex engine.
          source += query[i + 1] === '/' ? '/' : d + query[i + 1]!;
          i += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) {
          i++;
          break;
        }
        source += d;
        i++;
      }
      tokens.push({ kind: 'regex', source, pos });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(query[i + 1] ?? ''))) {
      let j = i;
      while (j < n && /[0-9]/.test(query[j]!)) j++;
      if (query[j] === '.' && /[0-9]/.test(query[j + 1] ?? '')) {
        j++;
        while (j < n && /[0-9]/.test(query[j]!)) j++;
      }
      if ((query[j] === 'e' || query[j] === 'E') && /[0-9+-]/.test(query[j + 1] ?? '')) {
        let k = j + 1;
        if (query[k] === '+' || query[k] === '-') k++;
        if (/[0-9]/.test(query[k] ?? '')) {
          j = k;
          while (j < n && /[0-9]/.test(query[j]!)) j++;
        }
      }
      const text = query.slice(i, j);
      // A number glued to letters is a period (`5m`, `1h`, `100ms`) or a mistake.
      let k = j;
      while (k < n && /[A-Za-z]/.test(query[k]!)) k++;
      if (k > j) {
        const unit = query.slice(j, k);
        if (!PERIOD_UNITS.includes(unit) || !/^[0-9]+$/.test(text)) {
          throw new MalformedQueryError(`unexpected token ${JSON.stringify(query.slice(i, k))}`, pos);
        }
        tokens.push({ kind: 'period', amount: Number(text), unit, text: query.slice(i, k), pos });
        i = k;
        continue;
      }
      tokens.push({ kind: 'number', value: Number(text), text, pos });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(query[j]!)) j++;
      tokens.push({ kind: 'ident', text: query.slice(i, j), quoted: false, pos });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op === undefined) throw new MalformedQueryError(`unexpected character ${JSON.stringify(c)}`, pos);
    tokens.push({ kind: 'op', text: op, pos });
    i += op.length;
  }
  tokens.push({ kind: 'end', pos: n });
  return tokens;
}
