/**
 * A stand-in for CloudWatch Logs Insights, for tests: the Logs Insights query language evaluated
 * in memory over log events, returning what GetQueryResults returns. The same engine answers
 * StartQuery/GetQueryResults in the fake CloudWatch Logs server (`startFakeCloudWatchLogs`).
 *
 * ```ts
 * const { records } = runInsightsQuery('filter severity <= 3 | stats count(*) by @logStream', events);
 * ```
 *
 * Implemented: commands `fields` (expressions, `as`), `filter`, `stats` (count, count_distinct,
 * min, max, avg, sum, stddev, pct, latest, earliest; `by` several keys, `bin()`), `sort` (several
 * keys, asc/desc), `limit`, `dedup`, `parse` (glob and named-group regex), `display`; operators
 * `= != < <= > >= and or not like =~ in [..] not in [..] + - * / % ^`; functions abs, ceil, floor,
 * sqrt, log, greatest, least, ispresent, isempty, isblank, coalesce, concat, strlen, toupper,
 * tolower, trim, ltrim, rtrim, substr, replace, strcontains, bin, datefloor, dateceil, fromMillis,
 * toMillis, isValidIp(V4|V6), isIpInSubnet, isIpv4InSubnet, isIpv6InSubnet. Anything else the
 * real service knows throws `UnsupportedQueryError` naming it; syntax errors and unknown names
 * throw `MalformedQueryError` (the service's MalformedQueryException). test/README.md lists the
 * semantics and the choices made where the AWS documentation is silent.
 */

// runInsightsQuery(query, events, options?): InsightsResult — rows as GetQueryResults gives them
// (`results`), as plain objects (`records`), and `statistics`. checkInsightsQuery(query): only
// the parse and checks StartQuery does, throwing as runInsightsQuery would. DEFAULT_ACCOUNT_ID:
// the account in `@log` values.
export { checkInsightsQuery, runInsightsQuery, DEFAULT_ACCOUNT_ID } from './execute.js';
// The two refusals: `code` 'MalformedQueryException' (with `position`), or a named construct.
export { MalformedQueryError, UnsupportedQueryError } from './errors.js';
// 10,000 rows unless StartQuery's `limit` says up to 100,000; 10,000 per GetQueryResults page.
export { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT, MAX_ROWS_PER_PAGE } from './limits.js';
/** @deprecated same as DEFAULT_QUERY_LIMIT and MAX_ROWS_PER_PAGE (10,000). */
export { DEFAULT_QUERY_LIMIT as MAX_QUERY_RESULTS } from './limits.js';
// JSON fields discovered per event at most (200, as documented).
export { MAX_DISCOVERED_FIELDS } from './discover.js';
// `2026-03-01 12:00:00.000`, the service's rendering of a time, for building expected rows.
export { formatTimestamp } from './values.js';
export type { InsightsEvent, InsightsOptions, InsightsResult, InsightsStatistics, ResultField } from './types.js';
