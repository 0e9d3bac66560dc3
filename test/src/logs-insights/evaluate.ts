import type { Expr } from './ast.js';
import type { Row } from './discover.js';
import { SCALAR_FUNCTIONS } from './functions.js';
import { AGGREGATES } from './parser.js';
import { compare, naturalCompare, Timestamp, toNumber, toText, truth, type Value } from './values.js';

/** One expression over one row. Comparisons and boolean operators use SQL-like unknowns (`null`). */
export function evaluate(expr: Expr, row: Row): Value {
  switch (expr.kind) {
    case 'field':
      return row.get(expr.name) ?? null;
    case 'literal':
      return expr.value;
    case 'unary': {
      const value = evaluate(expr.arg, row);
      if (expr.op === 'not') {
        const t = truth(value);
        return t === null ? null : !t;
      }
      const x = toNumber(value);
      return x === null ? null : -x;
    }
    case 'binary':
      return binary(expr.op, expr.left, expr.right, row);
    case 'like': {
      const value = toText(evaluate(expr.left, row));
      if (value === null) return null;
      const pattern = expr.pattern;
      const matched = pattern.kind === 'regex' ? pattern.regex.test(value) : value.includes(toText(evaluate(pattern, row)) ?? '\u0000');
      return expr.negate ? !matched : matched;
    }
    case 'in': {
      const value = evaluate(expr.left, row);
      if (value === null) return null;
      const found = expr.items.some((item) => compare(value, evaluate(item, row)) === 0);
      return expr.negate ? !found : found;
    }
    case 'call': {
      // After stats, `sort count(*) desc` or `sort bin(5m)` name a column, not a new computation.
      if (row.has(expr.text)) return row.get(expr.text)!;
      const fn = SCALAR_FUNCTIONS.get(expr.name);
      if (fn === undefined) throw new Error(`not a scalar function: ${expr.name}`); // checkExpr ran first
      const args = expr.args.map((arg) => (arg.kind === 'period' ? arg.period : evaluate(arg, row)));
      return fn.apply(args, row.get('@timestamp') ?? null);
    }
    case 'star':
    case 'regex':
    case 'period':
      throw new Error(`${expr.kind} evaluated out of place`); // checkExpr refuses these
  }
}

function binary(op: string, leftExpr: Expr, rightExpr: Expr, row: Row): Value {
  if (op === 'and' || op === 'or') {
    const left = truth(evaluate(leftExpr, row));
    if (op === 'and' && left === false) return false;
    if (op === 'or' && left === true) return true;
    const right = truth(evaluate(rightExpr, row));
    if (op === 'and') return right === false ? false : left === null || right === null ? null : true;
    return right === true ? true : left === null || right === null ? null : false;
  }
  return applyBinary(op, evaluate(leftExpr, row), evaluate(rightExpr, row));
}

export function applyBinary(op: string, left: Value, right: Value): Value {
  switch (op) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compare(left, right);
      if (c === null) return null;
      return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
  const x = toNumber(left);
  const y = toNumber(right);
  if (x === null || y === null) return null;
  let result: number;
  switch (op) {
    case '+':
      result = x + y;
      break;
    case '-':
      result = x - y;
      break;
    case '*':
      result = x * y;
      break;
    case '/':
      result = x / y;
      break;
    case '%':
      result = x % y;
      break;
    case '^':
      result = x ** y;
      break;
    default:
      throw new Error(`unknown operator ${op}`);
  }
  return Number.isFinite(result) ? result : null;
}

/**
 * An expression of `stats` over one group's rows: aggregate calls reduce the rows, anything
 * around them is computed on the reduced values (`max(abs(x)) * 2`), and a plain field takes
 * its value in the group's first row.
 */
export function evaluateAggregate(expr: Expr, rows: readonly Row[]): Value {
  switch (expr.kind) {
    case 'call':
      if (AGGREGATES.has(expr.name)) return aggregate(expr.name, expr.args, rows);
      return SCALAR_FUNCTIONS.get(expr.name)!.apply(
        expr.args.map((arg) => (arg.kind === 'period' ? arg.period : evaluateAggregate(arg, rows))),
        rows[0]?.get('@timestamp') ?? null,
      );
    case 'binary':
      if (expr.op === 'and' || expr.op === 'or') {
        const l = truth(evaluateAggregate(expr.left, rows));
        const r = truth(evaluateAggregate(expr.right, rows));
        if (l === null || r === null) return null;
        return expr.op === 'and' ? l && r : l || r;
      }
      return applyBinary(expr.op, evaluateAggregate(expr.left, rows), evaluateAggregate(expr.right, rows));
    case 'unary': {
      const value = evaluateAggregate(expr.arg, rows);
      if (expr.op === 'not') {
        const t = truth(value);
        return t === null ? null : !t;
      }
      const x = toNumber(value);
      return x === null ? null : -x;
    }
    default:
      return rows[0] === undefined ? null : evaluate(expr, rows[0]);
  }
}

function aggregate(name: string, args: Expr[], rows: readonly Row[]): Value {
  const arg = args[0];
  if (name === 'count' && (arg === undefined || arg.kind === 'star')) return rows.length;
  const values: Exclude<Value, null>[] = [];
  const times: number[] = [];
  for (const row of rows) {
    const value = evaluate(arg!, row);
    if (value === null) continue;
    values.push(value);
    const t = row.get('@timestamp');
    times.push(t instanceof Timestamp ? t.ms : 0);
  }
  switch (name) {
    case 'count':
      return values.length;
    case 'count_distinct':
      return new Set(values.map((v) => (v instanceof Timestamp ? `t${v.ms}` : `${typeof v}:${String(v)}`))).size;
    case 'min':
    case 'max': {
      if (values.length === 0) return null;
      const numbers = values.map(toNumber);
      if (numbers.every((n) => n !== null) && !values.some((v) => v instanceof Timestamp)) {
        return numbers.reduce((a, b) => (name === 'min' ? Math.min(a, b) : Math.max(a, b)));
      }
      let best = values[0]!;
      for (const v of values) {
        const c = naturalCompare(v, best);
        if (name === 'min' ? c < 0 : c > 0) best = v;
      }
      return best;
    }
    case 'sum':
    case 'avg':
    case 'stddev': {
      const numbers = values.map(toNumber).filter((n): n is number => n !== null);
      if (numbers.length === 0) return null;
      const sum = numbers.reduce((a, b) => a + b, 0);
      if (name === 'sum') return sum;
      const mean = sum / numbers.length;
      if (name === 'avg') return mean;
      if (numbers.length < 2) return 0;
      // Sample standard deviation (n - 1), as CloudWatch's statistics use.
      return Math.sqrt(numbers.reduce((a, n) => a + (n - mean) ** 2, 0) / (numbers.length - 1));
    }
    case 'pct': {
      const numbers = values
        .map(toNumber)
        .filter((n): n is number => n !== null)
        .sort((a, b) => a - b);
      if (numbers.length === 0) return null;
      const p = (args[1] as Extract<Expr, { kind: 'literal' }>).value as number;
      // Nearest rank: the smallest value with at least p% of the values at or below it.
      const rank = Math.max(1, Math.ceil((p / 100) * numbers.length));
      return numbers[rank - 1]!;
    }
    case 'latest':
    case 'earliest': {
      if (values.length === 0) return null;
      let best = 0;
      for (let i = 1; i < values.length; i++) {
        if (name === 'latest' ? times[i]! > times[best]! : times[i]! < times[best]!) best = i;
      }
      return values[best]!;
    }
  }
  throw new Error(`unknown aggregate ${name}`);
}
