import { logGroupNameOrIdentifier, optionalBoolean, optionalInteger, optionalString, requiredString } from '../input.js';
import type { Operation } from '../operation.js';
import { EVENT_OVERHEAD_BYTES } from '../put-log-events-rules.js';
import { LOG_STREAM_NOT_FOUND } from '../service-error.js';
import type { StoredEvent } from '../store.js';
import { decodeStreamToken, encodeStreamToken } from '../tokens.js';

/**
 * GetLogEvents: one stream, `[startTime, endTime)`, pages of at most `limit` events (default and
 * maximum 10,000) and about 1 MB. Without a token, `startFromHead: false` (the default) gives the
 * newest page. `nextForwardToken` / `nextBackwardToken` continue from either end of the page; at
 * the end of the stream the token passed in comes back, as documented, so paginators must stop on
 * a repeated token (the SDK's `paginateGetLogEvents` needs `stopOnSameToken: true`).
 */
export const MAX_EVENTS_PER_PAGE = 10_000;
export const MAX_PAGE_BYTES = 1_048_576; // "as many log events as can fit in a response size of 1 MB"

const MAX_TIME = Number.MAX_SAFE_INTEGER;

const cost = (event: StoredEvent): number => Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;

/** End of a forward page starting at `from`: at least one event, at most `limit` and ~1 MB. */
export function forwardEnd(list: readonly StoredEvent[], from: number, hi: number, limit: number): number {
  let to = from;
  let bytes = 0;
  while (to < hi && to - from < limit) {
    bytes += cost(list[to]!);
    if (bytes > MAX_PAGE_BYTES && to > from) break;
    to++;
  }
  return to;
}

function backwardStart(list: readonly StoredEvent[], lo: number, to: number, limit: number): number {
  let from = to;
  let bytes = 0;
  while (from > lo && to - from < limit) {
    bytes += cost(list[from - 1]!);
    if (bytes > MAX_PAGE_BYTES && from < to) break;
    from--;
  }
  return from;
}

export const getLogEvents: Operation = {
  name: 'GetLogEvents',
  notFoundMessage: LOG_STREAM_NOT_FOUND,
  apply(input, ctx) {
    const groupName = logGroupNameOrIdentifier(input);
    const streamName = requiredString(input, 'logStreamName');
    const startTime = optionalInteger(input, 'startTime', 0, MAX_TIME);
    const endTime = optionalInteger(input, 'endTime', 0, MAX_TIME);
    const limit = optionalInteger(input, 'limit', 1, MAX_EVENTS_PER_PAGE) ?? MAX_EVENTS_PER_PAGE;
    const startFromHead = optionalBoolean(input, 'startFromHead') ?? false;
    const tokenText = optionalString(input, 'nextToken');
    const token = tokenText === undefined ? undefined : decodeStreamToken(tokenText);
    const stream = ctx.store.requireGroup(groupName).requireStream(streamName);

    const list = stream.ordered();
    const lo = startTime === undefined ? 0 : stream.indexAt(startTime);
    const hi = Math.max(lo, endTime === undefined ? list.length : stream.indexAt(endTime));
    const clamp = (p: number): number => Math.min(Math.max(p, lo), hi);
    let from: number;
    let to: number;
    if (token?.direction === 'f' || (token === undefined && startFromHead)) {
      from = clamp(token?.position ?? lo);
      to = forwardEnd(list, from, hi, limit);
    } else {
      to = clamp(token?.position ?? hi);
      from = backwardStart(list, lo, to, limit);
    }
    const empty = from === to;
    return {
      events: list.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: empty && token?.direction === 'f' ? tokenText : encodeStreamToken('f', to),
      nextBackwardToken: empty && token?.direction === 'b' ? tokenText : encodeStreamToken('b', from),
    };
  },
};
