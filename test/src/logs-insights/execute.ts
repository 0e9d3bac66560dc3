import { createHash } from 'node:crypto';
import type { Command } from './ast.js';
import { eventRow, Row } from './discover.js';
import { MalformedQueryError } from './errors.js';
import { checkExpr } from './functions.js';
import { evaluateAggregate, evaluate } from './evaluate.js';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from './limits.js';
import { containsAggregate, parseQuery } from './parser.js';
import type { InsightsEvent, InsightsOptions, InsightsResult, ResultField } from './types.js';
import { compareSortKeys, formatValue, sortKey, Timestamp, truth, type Value } from './values.js';

export const DEFAULT_ACCOUNT_ID = '123456789012';
/** What a query without `fields`, `display` or `stats` shows, as the service does. */
const DEFAULT_FIELDS = ['@timestamp', '@message'];

function check(commands: readonly Command[]): void {
  const columns = new Set<string>();
  commands.forEach((command, index) => {
    const previous = commands[index - 1];
    if (previous?.kind === 'dedup' && command.kind !== 'limit') {
      throw new MalformedQueryError(`only limit can follow dedup, found ${command.kind}`);
    }
    switch (command.kind) {
      case 'fields':
        for (const item of command.items) checkExpr(item.expr, { aggregatesAllowed: false });
        break;
      case 'filter':
        checkExpr(command.expr, { aggregatesAllowed: false });
        break;
      case 'stats':
        for (const item of command.aggregates) {
          checkExpr(item.expr, { aggregatesAllowed: true });
          if (!containsAggregate(item.expr)) throw new MalformedQueryError(`stats needs an aggregate function, found ${JSON.stringify(item.expr.text)}`);
        }
        for (const item of command.by) checkExpr(item.expr, { aggregatesAllowed: false });
        for (const item of [...command.by, ...command.aggregates]) columns.add(item.name);
        break;
      case 'sort':
        for (const key of command.keys) {
          // `stats count(*) by x | sort count(*) desc` sorts by the column of that name.
          if (key.expr.kind === 'call' && columns.has(key.expr.text)) continue;
          checkExpr(key.expr, { aggregatesAllowed: false });
        }
        break;
      case 'parse':
        checkExpr(command.source, { aggregatesAllowed: false });
        break;
      default:
        break;
    }
  });
}

function sortRows(rows: Row[], keys: { value: (row: Row) => Value; descending: boolean }[]): Row[] {
  const decorated = rows.map((row, index) => ({
    row,
    index,
    keys: keys.map((k) => {
      const value = k.value(row);
      return value === null ? null : sortKey(value);
    }),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.keys[i]!;
      const y = b.keys[i]!;
      if (x === null && y === null) continue;
      // Missing values last, whichever the direction.
      if (x === null) return 1;
      if (y === null) return -1;
      const c = compareSortKeys(x, y);
      if (c !== 0) return keys[i]!.descending ? -c : c;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.row);
}

interface CachedRow {
  readonly source: InsightsEvent;
  readonly accountId: string;
  /** The event's fields, with the `@ptr` of a first (or only) event of this content. */
  readonly row: Row;
  readonly digest: string;
}
/**
 * Field discovery parses each JSON message once per event object, not once per query: a test
 * that runs twenty saved queries over the same events pays for the parsing once. Cached rows are
 * never modified (commands copy what they change), and a changed event is parsed again.
 */
const rowCache = new WeakMap<InsightsEvent, CachedRow>();

const pointer = (identity: string): string => Buffer.from(`fake-ptr:${identity}`).toString('base64');

function discovered(event: InsightsEvent, accountId: string): CachedRow {
  const cached = rowCache.get(event);
  const s = cached?.source;
  if (
    cached !== undefined &&
    s !== undefined &&
    cached.accountId === accountId &&
    s.message === event.message &&
    s.timestamp === event.timestamp &&
    s.ingestionTime === event.ingestionTime &&
    s.logStream === event.logStream &&
    s.logGroup === event.logGroup &&
    s.id === event.id
  ) {
    return cached;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([event.logGroup, event.logStream, event.timestamp, event.ingestionTime ?? null, event.message]))
    .digest('base64url')
    .slice(0, 22);
  const row = eventRow(event, accountId);
  row.set('@ptr', pointer(event.id ?? `${digest}.0`));
  const entry = { source: { ...event }, accountId, row, digest };
  rowCache.set(event, entry);
  return entry;
}

/**
 * Rows of the events, each with its `@ptr`: opaque, one per event, the same for the same event in
 * every query over the same events (InsightsEvent.id, else the content and the rank among
 * identical events of the whole input, so a narrower time range does not renumber them).
 */
function eventRows(events: readonly InsightsEvent[], accountId: string): Row[] {
  const seen = new Map<string, number>();
  return events.map((event) => {
    const { row, digest } = discovered(event, accountId);
    if (event.id !== undefined) return row;
    const rank = seen.get(digest) ?? 0;
    seen.set(digest, rank + 1);
    return rank === 0 ? row : row.extend(new Map([['@ptr', pointer(`${digest}.${rank}`)]]));
  });
}

const keyOf = (value: Value): string => (value === null ? 'n' : value instanceof Timestamp ? `t${value.ms}` : `${typeof value}:${String(value)}`);

/**
 * Parses and checks a query without running it, as StartQuery does before it answers: throws
 * MalformedQueryError or UnsupportedQueryError, else returns nothing.
 */
export function checkInsightsQuery(query: string): void {
  check(parseQuery(query));
}

/**
 * Runs a Logs Insights query over `events` as the service would over its log groups, and returns
 * what GetQueryResults would. Throws MalformedQueryError for what the service refuses as
 * MalformedQueryException, UnsupportedQueryError for what this stand-in does not implement.
 */
export function runInsightsQuery(query: string, events: readonly InsightsEvent[], options: InsightsOptions = {}): InsightsResult {
  const commands = parseQuery(query);
  check(commands);
  const cap = options.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_QUERY_LIMIT) throw new RangeError(`limit must be 1..${MAX_QUERY_LIMIT}, got ${cap}`);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const groups = options.logGroups === undefined ? undefined : new Set(options.logGroups);

  const selected = events
    .map((event, index) => ({ event, index }))
    .filter(
      ({ event }) =>
        (groups === undefined || groups.has(event.logGroup)) &&
        (options.startTime === undefined || event.timestamp >= options.startTime) &&
        (options.endTime === undefined || event.timestamp <= options.endTime),
    );
  // The service's own order, when a query does not sort: newest first.
  selected.sort((a, b) => b.event.timestamp - a.event.timestamp || a.index - b.index);
  const all = eventRows(events, accountId);
  let rows: Row[] = selected.map(({ index }) => all[index]!);
  const recordsScanned = rows.length;
  const bytesScanned = selected.reduce((sum, { event }) => sum + Buffer.byteLength(event.message, 'utf8'), 0);
  let recordsMatched = recordsScanned;
  let aggregated = false;
  let shown: string[] | undefined;

  for (const command of commands) {
    switch (command.kind) {
      case 'fields':
        rows = rows.map((row) => {
          const added = new Map<string, Value>();
          for (const item of command.items) added.set(item.name, evaluate(item.expr, row));
          return row.extend(added);
        });
        shown = [...(shown ?? []), ...command.items.map((i) => i.name).filter((n) => !(shown ?? []).includes(n))];
        break;
      case 'display':
        shown = [...new Set(command.names)];
        break;
      case 'filter':
        rows = rows.filter((row) => truth(evaluate(command.expr, row)) === true);
        if (!aggregated) recordsMatched = rows.length;
        break;
      case 'parse':
        rows = rows.map((row) => {
          const source = formatValue(evaluate(command.source, row));
          const match = source === undefined ? null : command.pattern.exec(source);
          if (match === null) return row;
          const added = new Map<string, Value>();
          command.names.forEach((name, index) => {
            const value = match.groups?.[name] ?? match[index + 1];
            if (value !== undefined) added.set(name, value);
          });
          return row.extend(added);
        });
        break;
      case 'stats': {
        const buckets = new Map<string, { keys: Value[]; rows: Row[] }>();
        for (const row of rows) {
          const keys = command.by.map((b) => evaluate(b.expr, row));
          const id = keys.map(keyOf).join('\u0000');
          let bucket = buckets.get(id);
          if (bucket === undefined) buckets.set(id, (bucket = { keys, rows: [] }));
          bucket.rows.push(row);
        }
        rows = [...buckets.values()].map((bucket) => {
          const out = new Row();
          command.by.forEach((b, i) => out.set(b.name, bucket.keys[i]!));
          for (const a of command.aggregates) out.set(a.name, evaluateAggregate(a.expr, bucket.rows));
          return out;
        });
        aggregated = true;
        shown = [...new Set([...command.by.map((b) => b.name), ...command.aggregates.map((a) => a.name)])];
        break;
      }
      case 'sort':
        rows = sortRows(
          rows,
          command.keys.map((k) => ({ value: (row: Row) => evaluate(k.expr, row), descending: k.descending })),
        );
        break;
      case 'limit':
        rows = rows.slice(0, command.count);
        break;
      case 'dedup': {
        const seen = new Set<string>();
        rows = rows.filter((row) => {
          const values = command.names.map((n) => row.get(n) ?? null);
          if (values.some((v) => v === null)) return true; // null values are never duplicates
          const id = values.map(keyOf).join('\u0000');
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
        break;
      }
    }
  }

  rows = rows.slice(0, cap);
  const fields = (shown ?? DEFAULT_FIELDS).filter((f) => f !== '@ptr');
  const results: ResultField[][] = [];
  const records: Record<string, string>[] = [];
  for (const row of rows) {
    const result: ResultField[] = [];
    const record: Record<string, string> = {};
    for (const field of fields) {
      if (field === '@ptr') continue;
      const value = formatValue(row.get(field) ?? null);
      if (value === undefined) continue;
      result.push({ field, value });
      record[field] = value;
    }
    const ptr = row.get('@ptr');
    if (!aggregated && typeof ptr === 'string') result.push({ field: '@ptr', value: ptr });
    results.push(result);
    records.push(record);
  }
  return { results, records, fields: [...fields], statistics: { recordsMatched, recordsScanned, bytesScanned } };
}
