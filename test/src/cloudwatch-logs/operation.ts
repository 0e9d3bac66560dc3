import type { Input } from './input.js';
import type { QueryStore } from './query-store.js';
import type { LogStore } from './store.js';

/** What an operation sees besides its input. */
export interface OperationContext {
  readonly store: LogStore;
  /** Logs Insights queries (StartQuery and the rest). */
  readonly queries: QueryStore;
  /** The server clock, read once per request. */
  readonly now: number;
  /** From the SigV4 credential scope of the request (`us-east-1` when it names none). */
  readonly region: string;
}

/** The fake account that owns every resource (ARNs need one). */
export const ACCOUNT_ID = '123456789012';

export interface Operation {
  /** The `X-Amz-Target` suffix, e.g. `PutLogEvents`. */
  readonly name: string;
  /** Applies the request and returns the response body; throws `ServiceError` for error answers. */
  apply(input: Input, ctx: OperationContext): object;
  /** Facts recorded for every call whatever its fate (faulted, rejected); must not throw. */
  measure?(input: Input): { eventCount?: number; bytes?: number };
  /** Message of the scripted `resource-not-found` fault. */
  readonly notFoundMessage: string;
}

export const logGroupArn = (ctx: OperationContext, group: string): string => `arn:aws:logs:${ctx.region}:${ACCOUNT_ID}:log-group:${group}`;
