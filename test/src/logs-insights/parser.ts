import type { Command, Expr, Named, Period } from './ast.js';
import { MalformedQueryError, UnsupportedQueryError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { MAX_QUERY_LIMIT } from './limits.js';
import { compileRegex, globToRegex } from './regex.js';

/**
 * Query string → commands. Grammar (loosest first): `or`, `and`, `not`, comparisons (`=`, `!=`,
 * `<`, `<=`, `>`, `>=`, `like`, `not like`, `=~`, `in [..]`, `not in [..]`), `+ -`, `* / %`,
 * unary `-`, `^`, then literals, fields, calls and parentheses. Keywords are matched without
 * regard to case; field names are case-sensitive.
 */

/** Real commands this stand-in does not implement: named in an UnsupportedQueryError. */
const UNSUPPORTED_COMMANDS = new Set([
  'unnest',
  'lookup',
  'join',
  'pattern',
  'diff',
  'anomaly',
  'unmask',
  'filterindex',
  'source',
  'expand',
  'addtotals',
  'head',
  'tail',
  'subquery',
  'eval',
  'fieldsummary',
  'rename',
  'where',
  'top',
  'rare',
]);

const PERIOD_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc']);

class Parser {
  private index = 0;
  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private fail(message: string, token = this.peek()): never {
    throw new MalformedQueryError(message, token.pos);
  }

  private describe(token: Token): string {
    switch (token.kind) {
      case 'end':
        return 'end of query';
      case 'ident':
        return JSON.stringify(token.text);
      case 'op':
        return JSON.stringify(token.text);
      case 'string':
        return `string ${JSON.stringify(token.value)}`;
      case 'number':
        return `number ${token.text}`;
      case 'period':
        return `period ${token.text}`;
      case 'regex':
        return `regex /${token.source}/`;
    }
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === text;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'ident' && !token.quoted && token.text.toLowerCase() === word;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) this.fail(`expected ${JSON.stringify(text)} but found ${this.describe(this.peek())}`);
    this.next();
  }

  /** Source text from `start` to where the parser now stands. */
  private textFrom(start: number): string {
    return this.query.slice(start, this.peek().pos).trim();
  }

  parseQuery(): Command[] {
    const commands: Command[] = [];
    if (this.peek().kind === 'end') this.fail('the query is empty');
    for (;;) {
      commands.push(this.parseCommand());
      if (this.peek().kind === 'end') return commands;
      if (!this.isOp('|')) this.fail(`unexpected ${this.describe(this.peek())}`);
      this.next();
    }
  }

  private parseCommand(): Command {
    const token = this.next();
    if (token.kind !== 'ident' || token.quoted) this.fail(`expected a command but found ${this.describe(token)}`, token);
    const name = token.text;
    switch (name) {
      case 'fields':
        return { kind: 'fields', items: this.parseNamedList() };
      case 'display':
        return { kind: 'display', names: this.parseFieldNames() };
      case 'filter':
        return { kind: 'filter', expr: this.parseExpr() };
      case 'stats':
        return this.parseStats();
      case 'sort':
        return this.parseSort();
      case 'limit':
        return this.parseLimit();
      case 'dedup':
        return { kind: 'dedup', names: this.parseFieldNames() };
      case 'parse':
        return this.parseParse();
      default:
        if (UNSUPPORTED_COMMANDS.has(name.toLowerCase())) throw new UnsupportedQueryError(`the ${name} command`);
        return this.fail(`unknown command ${JSON.stringify(name)}`, token);
    }
  }

  private parseNamedList(): Named[] {
    const items: Named[] = [];
    do {
      if (items.length > 0) this.next();
      const start = this.peek().pos;
      const expr = this.parseExpr();
      let name = expr.kind === 'field' ? expr.name : this.textFrom(start);
      if (this.isKeyword('as')) {
        this.next();
        name = this.parseFieldName();
      }
      items.push({ expr, name });
    } while (this.isOp(','));
    return items;
  }

  private parseFieldName(): string {
    const token = this.next();
    if (token.kind !== 'ident' || (!token.quoted && KEYWORDS.has(token.text.toLowerCase()))) {
      this.fail(`expected a field name but found ${this.describe(token)}`, token);
    }
    return token.text;
  }

  private parseFieldNames(): string[] {
    const names = [this.parseFieldName()];
    while (this.isOp(',')) {
      this.next();
      names.push(this.parseFieldName());
    }
    return names;
  }

  private parseStats(): Command {
    const aggregates = this.parseNamedList();
    let by: Named[] = [];
    if (this.isKeyword('by')) {
      this.next();
      by = this.parseNamedList();
    }
    return { kind: 'stats', aggregates, by };
  }

  private parseSort(): Command {
    const keys: { expr: Expr; descending: boolean }[] = [];
    do {
      if (keys.length > 0) this.next();
      const expr = this.parseAdditive();
      // NB: with neither asc nor desc the service sorts descending (its default order is newest first).
      let descending = true;
      if (this.isKeyword('asc')) {
        this.next();
        descending = false;
      } else if (this.isKeyword('desc')) {
        this.next();
      }
      keys.push({ expr, descending });
    } while (this.isOp(','));
    return { kind: 'sort', keys };
  }

  private parseLimit(): Command {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 1) {
      this.fail(`limit needs a positive whole number, found ${this.describe(token)}`, token);
    }
    if (token.value > MAX_QUERY_LIMIT) this.fail(`limit cannot exceed ${MAX_QUERY_LIMIT}, found ${token.text}`, token);
    return { kind: 'limit', count: token.value };
  }

  private parseParse(): Command {
    const source = this.parsePrimary();
    if (source.kind !== 'field') this.fail(`parse needs a field to parse, found ${JSON.stringify(source.text)}`);
    const token = this.next();
    if (token.kind === 'string') {
      const { regex, captures } = globToRegex(token.value);
      if (!this.isKeyword('as')) this.fail('parse with a glob pattern needs "as" and the field names');
      this.next();
      const names = this.parseFieldNames();
      if (names.length !== captures) {
        this.fail(`parse pattern has ${captures} wildcard(s) but ${names.length} field name(s) follow "as"`, token);
      }
      return { kind: 'parse', source, pattern: regex, names };
    }
    if (token.kind === 'regex') {
      const pattern = compileRegex(token.source, token.pos);
      const groups = [...token.source.matchAll(/\(\?<([A-Za-z][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
      if (this.isKeyword('as')) {
        this.next();
        const names = this.parseFieldNames();
        if (groups.length > 0) this.fail('parse with named groups takes no "as" list');
        return { kind: 'parse', source, pattern, names };
      }
      if (groups.length === 0) this.fail('parse with a regular expression needs named capturing groups (?<name>...)', token);
      return { kind: 'parse', source, pattern, names: groups };
    }
    return this.fail(`parse needs a "glob" or a /regex/ pattern, found ${this.describe(token)}`, token);
  }

  parseExpr(): Expr {
    return this.parseOr();
  }

  private binaryChain(sub: () => Expr, ops: (t: Token) => string | undefined): Expr {
    const start = this.peek().pos;
    let left = sub();
    for (;;) {
      const op = ops(this.peek());
      if (op === undefined) return left;
      this.next();
      const right = sub();
      left = { kind: 'binary', op, left, right, text: this.textFrom(start) };
    }
  }

  private parseOr(): Expr {
    return this.binaryChain(
      () => this.parseAnd(),
      (t) => (t.kind === 'ident' && !t.quoted && t.text.toLowerCase() === 'or' ? 'or' : undefined),
    );
  }

  private parseAnd(): Expr {
    return this.binaryChain(
      () => this.parseNot(),
      (t) => (t.kind === 'ident' && !t.quoted && t.text.toLowerCase() === 'and' ? 'and' : undefined),
    );
  }

  private parseNot(): Expr {
    if (this.isKeyword('not')) {
      const start = this.next().pos;
      const arg = this.parseNot();
      return { kind: 'unary', op: 'not', arg, text: this.textFrom(start) };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const start = this.peek().pos;
    const left = this.parseAdditive();
    const token = this.peek();
    if (token.kind === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.next();
      const right = this.parseAdditive();
      return { kind: 'binary', op: token.text, left, right, text: this.textFrom(start) };
    }
    let negate = false;
    if (this.isKeyword('not') && (this.isKeyword('like', 1) || this.isKeyword('in', 1))) {
      this.next();
      negate = true;
    }
    if (this.isKeyword('like') || this.isOp('=~')) {
      this.next();
      const pattern = this.parsePrimary();
      if (pattern.kind !== 'regex' && !(pattern.kind === 'literal' && typeof pattern.value === 'string')) {
        this.fail(`like needs a "string" or a /regex/, found ${JSON.stringify(pattern.text)}`);
      }
      return { kind: 'like', negate, left, pattern, text: this.textFrom(start) };
    }
    if (this.isKeyword('in')) {
      this.next();
      this.expectOp('[');
      const items: Expr[] = [];
      if (!this.isOp(']')) {
        items.push(this.parseAdditive());
        while (this.isOp(',')) {
          this.next();
          items.push(this.parseAdditive());
        }
      }
      this.expectOp(']');
      return { kind: 'in', negate, left, items, text: this.textFrom(start) };
    }
    return left;
  }

  private parseAdditive(): Expr {
    return this.binaryChain(
      () => this.parseMultiplicative(),
      (t) => (t.kind === 'op' && (t.text === '+' || t.text === '-') ? t.text : undefined),
    );
  }

  private parseMultiplicative(): Expr {
    return this.binaryChain(
      () => this.parseUnary(),
      (t) => (t.kind === 'op' && ['*', '/', '%'].includes(t.text) ? t.text : undefined),
    );
  }

  private parseUnary(): Expr {
    if (this.isOp('-')) {
      const start = this.next().pos;
      const arg = this.parseUnary();
      return { kind: 'unary', op: '-', arg, text: this.textFrom(start) };
    }
    const start = this.peek().pos;
    const base = this.parsePrimary();
    if (this.isOp('^')) {
      this.next();
      const exponent = this.parseUnary();
      return { kind: 'binary', op: '^', left: base, right: exponent, text: this.textFrom(start) };
    }
    return base;
  }

  private parsePrimary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value, text: token.text };
      case 'string':
        return { kind: 'literal', value: token.value, text: this.query.slice(token.pos, this.peek().pos).trim() };
      case 'regex':
        return { kind: 'regex', regex: compileRegex(token.source, token.pos), text: `/${token.source}/` };
      case 'period':
        return { kind: 'period', period: this.period(token), text: token.text };
      case 'op':
        if (token.text === '(') {
          const inner = this.parseExpr();
          this.expectOp(')');
          return { ...inner, text: this.query.slice(token.pos, this.peek().pos).trim() };
        }
        if (token.text === '*') return { kind: 'star', text: '*' };
        return this.fail(`unexpected ${this.describe(token)}`, token);
      case 'ident': {
        if (!token.quoted && KEYWORDS.has(token.text.toLowerCase())) this.fail(`unexpected keyword ${JSON.stringify(token.text)}`, token);
        if (!token.quoted && this.isOp('(')) return this.parseCall(token);
        return { kind: 'field', name: token.text, text: token.quoted ? `\`${token.text}\`` : token.text };
      }
      case 'end':
        return this.fail('unexpected end of query', token);
    }
  }

  private period(token: Extract<Token, { kind: 'period' }>): Period {
    const unit = PERIOD_MS[token.unit];
    if (unit === undefined) throw new UnsupportedQueryError(`the period unit "${token.unit}"`, `in ${token.text}; use ms, s, m, h or d`);
    if (token.amount <= 0) this.fail(`a period must be positive, found ${token.text}`, token);
    return { ms: token.amount * unit, text: token.text };
  }

  private parseCall(nameToken: Extract<Token, { kind: 'ident' }>): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.parseExpr());
      while (this.isOp(',')) {
        this.next();
        args.push(this.parseExpr());
      }
    }
    this.expectOp(')');
    return {
      kind: 'call',
      name: nameToken.text.toLowerCase(),
      args,
      text: this.query.slice(nameToken.pos, this.peek().pos).trim(),
    };
  }
}

export const AGGREGATES = new Set(['count', 'count_distinct', 'min', 'max', 'avg', 'sum', 'latest', 'earliest', 'stddev', 'pct']);

export function containsAggregate(expr: Expr): boolean {
  switch (expr.kind) {
    case 'call':
      return AGGREGATES.has(expr.name) || expr.args.some(containsAggregate);
    case 'unary':
      return containsAggregate(expr.arg);
    case 'binary':
      return containsAggregate(expr.left) || containsAggregate(expr.right);
    default:
      return false;
  }
}

/** Parses a whole query; throws MalformedQueryError or UnsupportedQueryError. */
export function parseQuery(query: string): Command[] {
  return new Parser(query, tokenize(query)).parseQuery();
}
