import { Timestamp, type Value } from './values.js';

/**
 * The fields Logs Insights gives every event: the system fields, and the fields of a message that
 * is a JSON object, flattened with dots (`vendor.seq`, `structuredData.origin.ip`) and array
 * indexes (`versions.0`). JSON `true`/`false` become 1/0 as the service indexes them (reported in
 * aws-powertools/powertools-lambda-dotnet#667), `null` is no field at all (an assumption), and at
 * most the first 200 JSON fields are discovered, as documented.
 */
export const MAX_DISCOVERED_FIELDS = 200;

/**
 * One row's fields. A command that adds fields (`fields`, `parse`) layers a small map over the
 * row it got instead of copying it: discovered rows are shared between queries and stay as they are.
 */
export class Row {
  constructor(
    private readonly own: Map<string, Value> = new Map(),
    private readonly parent?: Row,
  ) {}

  get(name: string): Value | undefined {
    const value = this.own.get(name);
    if (value !== undefined || this.own.has(name)) return value;
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.own.has(name) || (this.parent?.has(name) ?? false);
  }

  /** Sets a field of a row this code just made (never of a shared one). */
  set(name: string, value: Value): this {
    this.own.set(name, value);
    return this;
  }

  /** A new row: this one plus (or with other values for) `fields`. */
  extend(fields: Map<string, Value>): Row {
    return new Row(fields, this);
  }
}

export interface EventSource {
  timestamp: number;
  ingestionTime?: number;
  message: string;
  logStream: string;
  logGroup: string;
}

function flatten(value: unknown, name: string, row: Row, budget: { left: number }): void {
  if (budget.left <= 0 || value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number') {
    if (!row.has(name)) {
      row.set(name, value);
      budget.left--;
    }
    return;
  }
  if (typeof value === 'boolean') {
    if (!row.has(name)) {
      row.set(name, value ? 1 : 0);
      budget.left--;
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${name}.${index}`, row, budget));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      flatten(item, name === '' ? key : `${name}.${key}`, row, budget);
    }
  }
}

export function eventRow(event: EventSource, accountId: string): Row {
  const row = new Row(
    new Map<string, Value>([
      ['@timestamp', new Timestamp(event.timestamp)],
      ['@ingestionTime', new Timestamp(event.ingestionTime ?? event.timestamp)],
      ['@message', event.message],
      ['@logStream', event.logStream],
      ['@log', `${accountId}:${event.logGroup}`],
    ]),
  );
  const text = event.message.trimStart();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return row; // not JSON after all: only the system fields
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      flatten(parsed, '', row, { left: MAX_DISCOVERED_FIELDS });
    }
  }
  return row;
}
