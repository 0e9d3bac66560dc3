import type { Operation } from '../operation.js';
import { filterLogEvents } from './filter-log-events.js';
import { getLogEvents } from './get-log-events.js';
import { createLogGroup, deleteLogGroup, describeLogGroups, putRetentionPolicy } from './log-groups.js';
import { createLogStream, describeLogStreams } from './log-streams.js';
import { describeQueries } from './describe-queries.js';
import { getQueryResults } from './get-query-results.js';
import { putLogEvents } from './put-log-events.js';
import { startQuery } from './start-query.js';
import { stopQuery } from './stop-query.js';

/**
 * Every operation the fake answers, by `X-Amz-Target` suffix. Anything else is an
 * UnknownOperationException. To add one, write an `Operation` in its own file here and list it
 * below. Logs Insights queries keep their state in the QueryStore (OperationContext.queries).
 */
const all: readonly Operation[] = [
  createLogGroup,
  createLogStream,
  deleteLogGroup,
  describeLogGroups,
  describeLogStreams,
  describeQueries,
  filterLogEvents,
  getLogEvents,
  getQueryResults,
  putLogEvents,
  putRetentionPolicy,
  startQuery,
  stopQuery,
];

export const operations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
