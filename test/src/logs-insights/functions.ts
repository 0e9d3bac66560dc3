import { BlockList, isIP } from 'node:net';
import type { Expr, Period } from './ast.js';
import { MalformedQueryError, UnsupportedQueryError } from './errors.js';
import { AGGREGATES } from './parser.js';
import { Timestamp, toNumber, toText, type Value } from './values.js';

/**
 * Scalar functions: name (lower case, as Logs Insights matches them without regard to case),
 * arity, and the implementation over evaluated arguments. Period arguments (`5m`) arrive as
 * `Period`; `bin()` also gets the row's `@timestamp`.
 */
type Arg = Value | Period;
interface ScalarFunction {
  min: number;
  max: number;
  /** Indexes of arguments that must be a period literal. */
  periods?: number[];
  apply(args: Arg[], timestamp: Value): Value;
}

const num = (v: Arg): number | null => (isPeriod(v) ? null : toNumber(v));
const text = (v: Arg): string | null => (isPeriod(v) ? null : toText(v));
const isPeriod = (v: Arg): v is Period => typeof v === 'object' && v !== null && !(v instanceof Timestamp) && 'ms' in v;

function numeric(f: (x: number) => number): ScalarFunction {
  return {
    min: 1,
    max: 1,
    apply: ([a]) => {
      const x = num(a ?? null);
      return x === null ? null : f(x);
    },
  };
}

function trimmer(mode: 'both' | 'left' | 'right'): ScalarFunction {
  return {
    min: 1,
    max: 2,
    apply: ([a, b]) => {
      const s = text(a ?? null);
      if (s === null) return null;
      const chars = b === undefined ? undefined : text(b);
      const strip = (c: string): boolean => (chars === undefined || chars === null ? /\s/.test(c) : chars.includes(c));
      let start = 0;
      let end = s.length;
      if (mode !== 'right') while (start < end && strip(s[start]!)) start++;
      if (mode !== 'left') while (end > start && strip(s[end - 1]!)) end--;
      return s.slice(start, end);
    },
  };
}

function timeArg(v: Arg): number | null {
  if (v instanceof Timestamp) return v.ms;
  return num(v);
}

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['abs', numeric(Math.abs)],
  ['ceil', numeric(Math.ceil)],
  ['floor', numeric(Math.floor)],
  ['sqrt', numeric(Math.sqrt)],
  ['log', numeric(Math.log)],
  ['greatest', { min: 1, max: 100, apply: (args) => pick(args, (x, y) => x > y) }],
  ['least', { min: 1, max: 100, apply: (args) => pick(args, (x, y) => x < y) }],
  ['ispresent', { min: 1, max: 1, apply: ([a]) => a !== null && a !== undefined }],
  [
    'isempty',
    {
      min: 1,
      max: 1,
      apply: ([a]) => {
        const s = text(a ?? null);
        return s === null || s === '';
      },
    },
  ],
  [
    'isblank',
    {
      min: 1,
      max: 1,
      apply: ([a]) => {
        const s = text(a ?? null);
        return s === null || s.trim() === '';
      },
    },
  ],
  ['coalesce', { min: 1, max: 100, apply: (args) => args.find((a): a is Exclude<Value, null> => a !== null && !isPeriod(a)) ?? null }],
  [
    'concat',
    {
      min: 1,
      max: 100,
      apply: (args) => (args.every((a) => a === null) ? null : args.map((a) => text(a) ?? '').join('')),
    },
  ],
  [
    'strlen',
    {
      min: 1,
      max: 1,
      apply: ([a]) => {
        const s = text(a ?? null);
        return s === null ? null : [...s].length;
      },
    },
  ],
  ['toupper', { min: 1, max: 1, apply: ([a]) => text(a ?? null)?.toUpperCase() ?? null }],
  ['tolower', { min: 1, max: 1, apply: ([a]) => text(a ?? null)?.toLowerCase() ?? null }],
  ['trim', trimmer('both')],
  ['ltrim', trimmer('left')],
  ['rtrim', trimmer('right')],
  [
    'substr',
    {
      min: 2,
      max: 3,
      apply: ([a, b, c]) => {
        const s = text(a ?? null);
        const start = num(b ?? null);
        const length = c === undefined ? undefined : num(c);
        if (s === null || start === null || length === null) return null;
        const chars = [...s];
        return chars
          .slice(Math.max(0, Math.trunc(start)), length === undefined ? undefined : Math.max(0, Math.trunc(start)) + Math.max(0, Math.trunc(length)))
          .join('');
      },
    },
  ],
  [
    'replace',
    {
      min: 3,
      max: 3,
      apply: ([a, b, c]) => {
        const s = text(a ?? null);
        const from = text(b ?? null);
        const to = text(c ?? null);
        if (s === null || from === null || to === null) return null;
        return from === '' ? s : s.split(from).join(to);
      },
    },
  ],
  [
    'strcontains',
    {
      min: 2,
      max: 2,
      apply: ([a, b]) => {
        const s = text(a ?? null);
        const sub = text(b ?? null);
        return s === null || sub === null ? null : s.includes(sub) ? 1 : 0;
      },
    },
  ],
  [
    'bin',
    {
      min: 1,
      max: 1,
      periods: [0],
      apply: ([p], timestamp) => {
        const ms = timestamp instanceof Timestamp ? timestamp.ms : null;
        return ms === null || !isPeriod(p!) ? null : new Timestamp(Math.floor(ms / p.ms) * p.ms);
      },
    },
  ],
  [
    'datefloor',
    {
      min: 2,
      max: 2,
      periods: [1],
      apply: ([a, p]) => {
        const ms = timeArg(a ?? null);
        return ms === null || !isPeriod(p!) ? null : new Timestamp(Math.floor(ms / p.ms) * p.ms);
      },
    },
  ],
  [
    'dateceil',
    {
      min: 2,
      max: 2,
      periods: [1],
      apply: ([a, p]) => {
        const ms = timeArg(a ?? null);
        return ms === null || !isPeriod(p!) ? null : new Timestamp(Math.ceil(ms / p.ms) * p.ms);
      },
    },
  ],
  ['isvalidip', { min: 1, max: 1, apply: ([a]) => ipFamily(a) !== 0 }],
  ['isvalidipv4', { min: 1, max: 1, apply: ([a]) => ipFamily(a) === 4 }],
  ['isvalidipv6', { min: 1, max: 1, apply: ([a]) => ipFamily(a) === 6 }],
  ['isipinsubnet', { min: 2, max: 2, apply: ([a, b]) => inSubnet(a, b, 0) }],
  ['isipv4insubnet', { min: 2, max: 2, apply: ([a, b]) => inSubnet(a, b, 4) }],
  ['isipv6insubnet', { min: 2, max: 2, apply: ([a, b]) => inSubnet(a, b, 6) }],
  [
    'frommillis',
    {
      min: 1,
      max: 1,
      apply: ([a]) => {
        const ms = num(a ?? null);
        return ms === null ? null : new Timestamp(ms);
      },
    },
  ],
  ['tomillis', { min: 1, max: 1, apply: ([a]) => timeArg(a ?? null) }],
]);

function ipFamily(v: Arg | undefined): number {
  const s = text(v ?? null);
  return s === null ? 0 : isIP(s);
}

/** Whether `ip` is inside the CIDR `subnet` (same family; `family` 4 or 6 demands that one). */
function inSubnet(ipArg: Arg | undefined, subnetArg: Arg | undefined, family: 0 | 4 | 6): boolean | null {
  const ip = text(ipArg ?? null);
  const subnet = text(subnetArg ?? null);
  if (ip === null || subnet === null) return null;
  const [network, bits] = subnet.split('/');
  const ipFamilyOf = isIP(ip);
  const netFamily = isIP(network ?? '');
  const prefix = Number(bits);
  if (ipFamilyOf === 0 || netFamily !== ipFamilyOf || (family !== 0 && ipFamilyOf !== family)) return false;
  if (bits === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (netFamily === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  const type = netFamily === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(network!, prefix, type);
  return list.check(ip, type);
}

function pick(args: Arg[], better: (x: number, y: number) => boolean): Value {
  let best: number | null = null;
  for (const a of args) {
    const x = num(a);
    if (x !== null && (best === null || better(x, best))) best = x;
  }
  return best;
}

/** Real Logs Insights functions this stand-in does not implement. */
const UNSUPPORTED_FUNCTIONS = new Set(['sortsfirst', 'sortslast', 'jsonparse', 'jsonstringify']);

/**
 * Checks every call of a command before any row is touched, so a bad query fails even on no
 * events: unknown functions, wrong arity, aggregates outside `stats`, misplaced `*`, periods and regexes.
 */
export function checkExpr(expr: Expr, where: { aggregatesAllowed: boolean; insideAggregate?: boolean }): void {
  switch (expr.kind) {
    case 'star':
      throw new MalformedQueryError(`"*" is only valid as count(*), found in ${JSON.stringify(expr.text)}`);
    case 'regex':
      throw new MalformedQueryError(`a /regex/ is only valid after like or =~, found ${expr.text}`);
    case 'period':
      throw new MalformedQueryError(`a period such as ${expr.text} is only valid in bin(), datefloor() or dateceil()`);
    case 'field':
    case 'literal':
      return;
    case 'unary':
      return checkExpr(expr.arg, where);
    case 'binary':
      checkExpr(expr.left, where);
      return checkExpr(expr.right, where);
    case 'like':
      checkExpr(expr.left, where);
      if (expr.pattern.kind !== 'regex') checkExpr(expr.pattern, where);
      return;
    case 'in':
      checkExpr(expr.left, where);
      for (const item of expr.items) checkExpr(item, where);
      return;
    case 'call':
      return checkCall(expr, where);
  }
}

function checkCall(expr: Extract<Expr, { kind: 'call' }>, where: { aggregatesAllowed: boolean; insideAggregate?: boolean }): void {
  const name = expr.name;
  if (AGGREGATES.has(name)) {
    if (!where.aggregatesAllowed) throw new MalformedQueryError(`the aggregate function ${name}() is only valid in stats`);
    if (where.insideAggregate) throw new MalformedQueryError(`aggregate functions cannot be nested: ${expr.text}`);
    const arity: Record<string, [number, number]> = { count: [0, 1], pct: [2, 2] };
    const [min, max] = arity[name] ?? [1, 1];
    if (expr.args.length < min || expr.args.length > max) throw new MalformedQueryError(`wrong number of arguments to ${name}(): ${expr.text}`);
    expr.args.forEach((arg, index) => {
      if (arg.kind === 'star' && name === 'count') return;
      if (name === 'pct' && index === 1) {
        if (arg.kind !== 'literal' || typeof arg.value !== 'number' || arg.value < 0 || arg.value > 100) {
          throw new MalformedQueryError(`pct() needs a percentile between 0 and 100: ${expr.text}`);
        }
        return;
      }
      checkExpr(arg, { aggregatesAllowed: true, insideAggregate: true });
    });
    return;
  }
  const fn = SCALAR_FUNCTIONS.get(name);
  if (fn === undefined) {
    if (UNSUPPORTED_FUNCTIONS.has(name)) throw new UnsupportedQueryError(`the function ${expr.text.slice(0, expr.text.indexOf('('))}()`);
    throw new MalformedQueryError(`unknown function ${expr.text.slice(0, expr.text.indexOf('('))}()`);
  }
  if (expr.args.length < fn.min || expr.args.length > fn.max) {
    throw new MalformedQueryError(`wrong number of arguments to ${name}(): ${expr.text}`);
  }
  expr.args.forEach((arg, index) => {
    if (fn.periods?.includes(index)) {
      if (arg.kind !== 'period') throw new MalformedQueryError(`${name}() needs a period such as 5m as argument ${index + 1}: ${expr.text}`);
      return;
    }
    checkExpr(arg, where);
  });
}
