import { compileFilterPattern } from '../filter-pattern.js';
import { logGroupNameOrIdentifier, optionalBoolean, optionalInteger, optionalString, optionalStringList } from '../input.js';
import { mergeByTime, type Cursor } from '../merge-streams.js';
import type { Operation } from '../operation.js';
import { EVENT_OVERHEAD_BYTES } from '../put-log-events-rules.js';
import { invalidParameter, LOG_GROUP_NOT_FOUND } from '../service-error.js';
import { compareNames, type LogStreamState } from '../store.js';
import { decodeToken, encodeToken } from '../tokens.js';
import { MAX_EVENTS_PER_PAGE, MAX_PAGE_BYTES } from './get-log-events.js';

/**
 * FilterLogEvents over a group's streams (all, `logStreamNames`, or `logStreamNamePrefix`),
 * `[startTime, endTime]` (both inclusive, as documented), a term filter pattern, oldest first,
 * interleaved by timestamp. The token remembers the last event returned (timestamp, stream,
 * arrival), so each page costs O(page · log streams + log events), never a rescan from the start,
 * and events appended meanwhile do not shift it. No `nextToken` means there is nothing more.
 * Newest-first (`startFromHead: false`) is not implemented and is refused loudly.
 */
interface Resume {
  t: number;
  s: string;
  q: number;
}

function decodeResume(token: string | undefined): Resume | undefined {
  if (token === undefined) return undefined;
  const value = decodeToken('filter', token) as Partial<Resume> | null;
  if (typeof value !== 'object' || value === null || typeof value.t !== 'number' || typeof value.s !== 'string' || typeof value.q !== 'number') {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  return value as Resume;
}

/** First index of `stream` that comes after the resume point in the merged order. */
function indexAfter(stream: LogStreamState, resume: Resume): number {
  const byName = compareNames(stream.name, resume.s);
  if (byName < 0) return stream.indexAt(resume.t, true);
  let index = stream.indexAt(resume.t);
  if (byName === 0) {
    const list = stream.ordered();
    while (index < list.length && list[index]!.timestamp === resume.t && list[index]!.seq <= resume.q) index++;
  }
  return index;
}

const MAX_TIME = Number.MAX_SAFE_INTEGER;

export const filterLogEvents: Operation = {
  name: 'FilterLogEvents',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const groupName = logGroupNameOrIdentifier(input);
    const names = optionalStringList(input, 'logStreamNames');
    const prefix = optionalString(input, 'logStreamNamePrefix');
    if (names !== undefined && prefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive.');
    }
    const startTime = optionalInteger(input, 'startTime', 0, MAX_TIME);
    const endTime = optionalInteger(input, 'endTime', 0, MAX_TIME);
    const limit = optionalInteger(input, 'limit', 1, MAX_EVENTS_PER_PAGE) ?? MAX_EVENTS_PER_PAGE;
    const matches = compileFilterPattern(optionalString(input, 'filterPattern'));
    if (optionalBoolean(input, 'startFromHead') === false && optionalString(input, 'nextToken') === undefined) {
      throw invalidParameter('fake CloudWatch Logs does not implement FilterLogEvents with startFromHead: false');
    }
    const resume = decodeResume(optionalString(input, 'nextToken'));
    const group = ctx.store.requireGroup(groupName);

    // Unknown names in logStreamNames select nothing.
    const streams =
      names !== undefined
        ? [...new Set(names)].flatMap((n) => group.streams.get(n) ?? [])
        : group.sortedStreams().filter((s) => prefix === undefined || s.name.startsWith(prefix));
    const cursors: Cursor[] = streams.map((stream) => {
      const events = stream.ordered();
      const first = startTime === undefined ? 0 : stream.indexAt(startTime);
      const index = resume === undefined ? first : Math.max(first, indexAfter(stream, resume));
      const end = endTime === undefined ? events.length : stream.indexAt(endTime, true);
      return { stream, events, index, end };
    });

    const page: object[] = [];
    let bytes = 0;
    let nextToken: string | undefined;
    let last: Resume | undefined;
    for (const { stream, event } of mergeByTime(cursors)) {
      if (!matches(event.message)) continue;
      const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
      if (page.length >= limit || (page.length > 0 && bytes + size > MAX_PAGE_BYTES)) {
        nextToken = encodeToken('filter', last);
        break;
      }
      bytes += size;
      last = { t: event.timestamp, s: stream.name, q: event.seq };
      page.push({
        logStreamName: stream.name,
        timestamp: event.timestamp,
        message: event.message,
        ingestionTime: event.ingestionTime,
        eventId: String(event.seq).padStart(56, '0'),
      });
    }
    return { events: page, searchedLogStreams: [], ...(nextToken === undefined ? {} : { nextToken }) };
  },
};
