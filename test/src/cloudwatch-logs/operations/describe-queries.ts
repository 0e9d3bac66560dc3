import { optionalInteger, optionalString } from '../input.js';
import type { Operation } from '../operation.js';
import { invalidParameter, LOG_GROUP_NOT_FOUND } from '../service-error.js';
import { decodeOffset, encodeOffset } from '../tokens.js';

/** DescribeQueries: newest first, optionally of one log group and one status, paged by `maxResults` (1..1000). */
const STATUSES = new Set(['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);

export const describeQueries: Operation = {
  name: 'DescribeQueries',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const group = optionalString(input, 'logGroupName');
    const status = optionalString(input, 'status');
    if (status !== undefined && !STATUSES.has(status)) {
      throw invalidParameter(
        `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
      );
    }
    const maxResults = optionalInteger(input, 'maxResults', 1, 1000) ?? 1000;
    const offset = decodeOffset('describe-queries', optionalString(input, 'nextToken'));
    const matching = ctx.queries.list().filter((q) => (group === undefined || q.logGroups.includes(group)) && (status === undefined || q.status === status));
    const page = matching.slice(offset, offset + maxResults);
    return {
      queries: page.map((q) => ({
        queryLanguage: 'CWLI',
        queryId: q.queryId,
        queryString: q.queryString,
        status: q.status,
        createTime: q.createTime,
        logGroupName: q.logGroups[0],
      })),
      ...(offset + page.length < matching.length ? { nextToken: encodeOffset('describe-queries', offset + page.length) } : {}),
    };
  },
};
