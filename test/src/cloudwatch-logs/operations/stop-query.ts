import { requiredString } from '../input.js';
import type { Operation } from '../operation.js';
import { resourceNotFound } from '../service-error.js';
import { QUERY_NOT_FOUND } from './get-query-results.js';

/** StopQuery: `success: true` when the query was Scheduled or Running (it is Cancelled now), else false. */
export const stopQuery: Operation = {
  name: 'StopQuery',
  notFoundMessage: QUERY_NOT_FOUND,
  apply(input, ctx) {
    const query = ctx.queries.get(requiredString(input, 'queryId'));
    if (query === undefined) throw resourceNotFound(QUERY_NOT_FOUND);
    return { success: query.stop() };
  },
};
