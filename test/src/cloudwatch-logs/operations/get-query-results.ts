import { MAX_ROWS_PER_PAGE, type InsightsResult } from '../../logs-insights/index.js';
import { optionalInteger, optionalString, requiredString } from '../input.js';
import type { Operation } from '../operation.js';
import { invalidParameter, resourceNotFound } from '../service-error.js';
import { decodeToken, encodeToken } from '../tokens.js';

/**
 * GetQueryResults: the query's status (each call moves a scripted query on, see QueryPlan), and
 * once Complete its rows, at most `maxItems` (1..10,000, default 10,000) per answer with a
 * `nextToken` for the rest, as the current API pages results of queries with a raised `limit`.
 */
export const QUERY_NOT_FOUND = 'The specified query does not exist.';

const EMPTY_STATISTICS = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0, resultCount: 0 };

function statistics(result: InsightsResult, logGroups: number): object {
  return { ...result.statistics, logGroupsScanned: logGroups, resultCount: result.results.length };
}

export const getQueryResults: Operation = {
  name: 'GetQueryResults',
  notFoundMessage: QUERY_NOT_FOUND,
  apply(input, ctx) {
    const queryId = requiredString(input, 'queryId');
    const maxItems = optionalInteger(input, 'maxItems', 1, MAX_ROWS_PER_PAGE) ?? MAX_ROWS_PER_PAGE;
    const token = optionalString(input, 'nextToken');
    const query = ctx.queries.get(queryId);
    if (query === undefined) throw resourceNotFound(QUERY_NOT_FOUND);
    let offset = 0;
    if (token !== undefined) {
      const decoded = decodeToken('query-results', token) as { q?: unknown; o?: unknown } | null;
      if (decoded?.q !== queryId || typeof decoded.o !== 'number' || !Number.isSafeInteger(decoded.o) || decoded.o < 0) {
        throw invalidParameter('The specified nextToken is invalid.');
      }
      offset = decoded.o;
    }
    // Paging through a finished result does not count as a poll of a running query.
    const status = token === undefined ? query.poll() : query.status;
    const base = { queryLanguage: 'CWLI', status };
    if (status === 'Running' && query.plan.partialResults) {
      const partial = query.run();
      const rows = partial.results.slice(0, Math.floor(partial.results.length / 2)).slice(0, maxItems);
      return { ...base, results: rows, statistics: { ...statistics(partial, query.logGroups.length), resultCount: rows.length } };
    }
    if (status !== 'Complete' || query.result === undefined) {
      return { ...base, results: [], statistics: EMPTY_STATISTICS };
    }
    const all = query.result.results;
    const page = all.slice(offset, offset + maxItems);
    const next = offset + page.length < all.length ? { nextToken: encodeToken('query-results', { q: queryId, o: offset + page.length }) } : {};
    return { ...base, results: page, statistics: statistics(query.result, query.logGroups.length), ...next };
  },
};
