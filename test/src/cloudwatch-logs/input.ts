import { invalidParameter, type ServiceError } from './service-error.js';

/**
 * Typed readers for request fields. A request with a missing or mistyped field gets the
 * InvalidParameterException that CloudWatch Logs sends (its validation messages have this shape),
 * never a TypeError inside the fake.
 */
export type Input = Readonly<Record<string, unknown>>;

const violation = (field: string, value: unknown, constraint: string): ServiceError =>
  invalidParameter(
    `1 validation error detected: Value ${value === undefined ? 'null' : JSON.stringify(value)?.slice(0, 100)} ` +
      `at '${field}' failed to satisfy constraint: ${constraint}`,
  );

export function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (value === undefined || value === null) throw violation(field, undefined, 'Member must not be null');
  if (typeof value !== 'string') throw violation(field, value, 'Member must be a string');
  return value;
}

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw violation(field, value, 'Member must be a string');
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw violation(field, value, 'Member must be an integer');
  if (value < min) throw violation(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw violation(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw violation(field, value, 'Member must be a boolean');
  return value;
}

export function optionalStringList(input: Input, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw violation(field, value, 'Member must be a list of strings');
  }
  return value;
}

/** A log event as received, before any rule is applied. */
export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/**
 * `logEvents` of PutLogEvents: shape only (each member has a numeric timestamp and a string
 * message). The CloudWatch rules (count, sizes, order, time range) live in put-log-events-rules.ts.
 */
export function logEventList(input: Input): InputLogEvent[] {
  const value = input['logEvents'];
  if (value === undefined || value === null) throw violation('logEvents', undefined, 'Member must not be null');
  if (!Array.isArray(value)) throw violation('logEvents', value, 'Member must be a list');
  const events: InputLogEvent[] = [];
  for (let i = 0; i < value.length; i++) {
    const member: unknown = value[i];
    const field = `logEvents.${i + 1}.member`;
    if (typeof member !== 'object' || member === null) throw violation(field, member, 'Member must be a structure');
    const { timestamp, message } = member as Record<string, unknown>;
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) {
      throw violation(`${field}.timestamp`, timestamp, 'Member must not be null and must be an integer');
    }
    if (typeof message !== 'string') throw violation(`${field}.message`, message, 'Member must not be null');
    events.push({ timestamp, message });
  }
  return events;
}

/**
 * `logGroupName` or `logGroupIdentifier` (a name or an ARN, with or without the trailing `:*`),
 * exactly one of them, as GetLogEvents, FilterLogEvents and DescribeLogStreams accept.
 */
export function logGroupNameOrIdentifier(input: Input): string {
  const name = optionalString(input, 'logGroupName');
  const identifier = optionalString(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name !== undefined) return name;
  if (identifier === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be provided.');
  const marker = ':log-group:';
  const at = identifier.indexOf(marker);
  if (!identifier.startsWith('arn:') || at < 0) return identifier;
  const rest = identifier.slice(at + marker.length);
  return rest.endsWith(':*') ? rest.slice(0, -2) : rest;
}
