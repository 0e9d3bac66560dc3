import type { Operation } from '../operation.js';
import { filterLogEvents } from './filter-log-events.js';
import { getLogEvents } from './get-log-events.js';
import { createLogGroup, deleteLogGroup, describeLogGroups, putRetentionPolicy } from './log-groups.js';
import { createLogStream, describeLogStreams } from './log-streams.js';
import { putLogEvents } from './put-log-events.js';

/**
 * Every operation the fake answers, by `X-Amz-Target` suffix. Anything else is an
 * UnknownOperationException. To add one (Logs Insights next: StartQuery, GetQueryResults,
 * StopQuery), write an `Operation` in its own file here and list it below; queries will need
 * their own state beside the LogStore, passed in through OperationContext.
 */
const all: readonly Operation[] = [
  createLogGroup,
  createLogStream,
  deleteLogGroup,
  describeLogGroups,
  describeLogStreams,
  filterLogEvents,
  getLogEvents,
  putLogEvents,
  putRetentionPolicy,
  // Logs Insights: startQuery, getQueryResults, stopQuery (not yet)
];

export const operations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
