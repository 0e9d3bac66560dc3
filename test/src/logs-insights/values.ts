/**
 * Values of fields while a query runs, and how the service renders them. Logs Insights is loosely
 * typed: a numeric string compares as a number with a number, `@timestamp` compares as its ms,
 * and a missing field makes a comparison false (so `x != "a"` does not match events without `x`).
 */

/** A point in time (`@timestamp`, `bin()`, `fromMillis()`): rendered `2026-03-01 12:00:00.000`, computed as ms. */
export class Timestamp {
  constructor(readonly ms: number) {}
}

/** `null` is a missing field. Booleans come from comparisons; JSON `true`/`false` are discovered as 1/0. */
export type Value = string | number | boolean | Timestamp | null;

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as GetQueryResults renders `@timestamp`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** The string GetQueryResults would carry, or undefined for a missing value (the field is left out). */
export function formatValue(value: Value): string | undefined {
  if (value === null) return undefined;
  if (value instanceof Timestamp) return formatTimestamp(value.ms);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return value;
}

export function toNumber(value: Value): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Timestamp) return value.ms;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return NUMERIC.test(value) ? Number(value) : null;
}

export function toText(value: Value): string | null {
  return value === null ? null : (formatValue(value) ?? null);
}

/** Filter truth: booleans as they are, numbers non-zero, strings non-empty; missing is unknown (null). */
export function truth(value: Value): boolean | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value instanceof Timestamp) return true;
  return value !== '';
}

function timeOf(value: string): number | null {
  const ms = Date.parse(value.includes('T') || value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Ordering for `=`, `<`, ...: numeric when one side is a number or a time and the other converts,
 * otherwise string order. `null` when either side is missing or they cannot be compared.
 */
export function compare(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  const aTime = a instanceof Timestamp;
  const bTime = b instanceof Timestamp;
  if (aTime || bTime) {
    const x = aTime ? a.ms : typeof a === 'string' ? (timeOf(a) ?? toNumber(a)) : toNumber(a);
    const y = bTime ? b.ms : typeof b === 'string' ? (timeOf(b) ?? toNumber(b)) : toNumber(b);
    return x === null || y === null ? null : x - y;
  }
  const numericSide = typeof a !== 'string' || typeof b !== 'string' || (NUMERIC.test(a) && NUMERIC.test(b));
  if (numericSide) {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== null && y !== null) return x - y;
  }
  const x = toText(a);
  const y = toText(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function isNumberValue(value: Value): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof Timestamp || (typeof value === 'string' && NUMERIC.test(value));
}

/**
 * The `sort` order (ascending), as documented: every non-number before every number; numbers by
 * value; other values chunked into digit and non-digit runs, digit runs by length then value,
 * the rest by Unicode order. Missing values are placed by the caller.
 */
export function naturalCompare(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  return compareSortKeys(sortKey(a), sortKey(b));
}

/** A value prepared once for many comparisons (sorting 100,000 rows compares each ~17 times). */
export type SortKey = { n: number } | { s: string; chunks: string[] };

export function sortKey(value: Exclude<Value, null>): SortKey {
  if (isNumberValue(value)) return { n: toNumber(value)! };
  const s = toText(value) ?? '';
  return { s, chunks: s.match(/\d+|\D+/g) ?? [] };
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  const aNumber = 'n' in a;
  const bNumber = 'n' in b;
  if (aNumber && bNumber) return a.n - b.n;
  if (aNumber !== bNumber) return aNumber ? 1 : -1;
  if ((a as { s: string }).s === (b as { s: string }).s) return 0;
  const xs = (a as { chunks: string[] }).chunks;
  const ys = (b as { chunks: string[] }).chunks;
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const p = xs[i]!;
    const q = ys[i]!;
    if (p === q) continue;
    const pDigits = p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57;
    const qDigits = q.charCodeAt(0) >= 48 && q.charCodeAt(0) <= 57;
    if (pDigits && qDigits && p.length !== q.length) return p.length - q.length;
    return p < q ? -1 : 1;
  }
  return xs.length - ys.length;
}
