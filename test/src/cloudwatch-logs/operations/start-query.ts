import { checkInsightsQuery, MAX_QUERY_LIMIT, MalformedQueryError, UnsupportedQueryError } from '../../logs-insights/index.js';
import { optionalInteger, optionalString, optionalStringList, requiredString, type Input } from '../input.js';
import type { Operation } from '../operation.js';
import { invalidParameter, limitExceeded, LOG_GROUP_NOT_FOUND, resourceNotFound, ServiceError } from '../service-error.js';

/**
 * StartQuery: checks the request and the query string at once (a syntax error is a
 * MalformedQueryException here, not a Failed query later), then schedules the query. The time
 * range is `[startTime, endTime]` in epoch seconds, both inclusive as documented; NB the fake
 * reads the end as the instant `endTime` seconds (ms 000), the narrower of the two readings, so a
 * client that splits a range into `[a, m]` and `[m + 1, b]` loses the events of second `m` here:
 * split at the same instant (`[a, m]`, `[m, b]`) and drop the rows seen twice.
 */
const MAX_LOG_GROUPS = 50;
const MAX_QUERY_STRING = 10_000;
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

function logGroupsOf(input: Input): string[] {
  const name = optionalString(input, 'logGroupName');
  const names = optionalStringList(input, 'logGroupNames');
  const identifiers = optionalStringList(input, 'logGroupIdentifiers');
  const given = [name, names, identifiers].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw invalidParameter('A StartQuery operation must include exactly one of logGroupName, logGroupNames or logGroupIdentifiers.');
  }
  if (name !== undefined) return [name];
  const list = (names ?? identifiers)!;
  if (list.length < 1 || list.length > MAX_LOG_GROUPS) {
    throw invalidParameter(`You can include between 1 and ${MAX_LOG_GROUPS} log groups in a query, got ${list.length}.`);
  }
  if (names !== undefined) return [...new Set(names)];
  return [
    ...new Set(
      list.map((id) => {
        const marker = ':log-group:';
        const at = id.indexOf(marker);
        if (!id.startsWith('arn:') || at < 0) return id;
        if (id.endsWith('*')) throw invalidParameter(`A log group ARN in logGroupIdentifiers must not end with *: ${id}`);
        return id.slice(at + marker.length);
      }),
    ),
  ];
}

function malformed(error: MalformedQueryError, query: string): ServiceError {
  const at = error.position ?? 0;
  return new ServiceError('MalformedQueryException', 400, error.message, {
    queryCompileError: {
      location: { startCharOffset: at, endCharOffset: Math.min(query.length, at + 1) },
      message: error.message,
    },
  });
}

export const startQuery: Operation = {
  name: 'StartQuery',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const language = optionalString(input, 'queryLanguage');
    if (language !== undefined && language !== 'CWLI') {
      throw invalidParameter(`fake CloudWatch Logs implements only the Logs Insights query language (CWLI), not ${language}`);
    }
    const groups = logGroupsOf(input);
    const startTime = optionalInteger(input, 'startTime', 0, MAX_SECONDS);
    const endTime = optionalInteger(input, 'endTime', 0, MAX_SECONDS);
    if (startTime === undefined || endTime === undefined) {
      throw invalidParameter(
        `1 validation error detected: Value null at '${startTime === undefined ? 'startTime' : 'endTime'}' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (endTime < startTime) throw invalidParameter('The end time of the query must not be before its start time.');
    const queryString = requiredString(input, 'queryString');
    if (queryString.length > MAX_QUERY_STRING) {
      throw invalidParameter(
        `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_STRING}`,
      );
    }
    const limit = optionalInteger(input, 'limit', 1, MAX_QUERY_LIMIT);
    try {
      checkInsightsQuery(queryString);
    } catch (error) {
      if (error instanceof MalformedQueryError) throw malformed(error, queryString);
      if (error instanceof UnsupportedQueryError) throw invalidParameter(`fake CloudWatch Logs: ${error.message}`);
      throw error;
    }
    for (const group of groups) {
      if (ctx.store.group(group) === undefined) throw resourceNotFound(LOG_GROUP_NOT_FOUND);
    }
    if (ctx.queries.activeCount >= ctx.queries.maxConcurrent) {
      throw limitExceeded(`Account maximum query concurrency limit of [${ctx.queries.maxConcurrent}] reached.`);
    }
    const query = ctx.queries.start({ queryString, logGroups: groups, startTime, endTime, limit, now: ctx.now });
    return { queryId: query.queryId };
  },
};
