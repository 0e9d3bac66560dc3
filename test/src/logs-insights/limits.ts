/**
 * Row limits of the current API (SDK 3.1169 model): StartQuery's `limit` defaults to 10,000 and
 * goes up to 100,000; one GetQueryResults answer carries at most 10,000 rows and `nextToken`
 * pages through the rest. A query's `limit` command truncates where it stands; the rows
 * returned are never more than StartQuery's `limit` (so 10,000 unless it is raised).
 */
export const DEFAULT_QUERY_LIMIT = 10_000;
export const MAX_QUERY_LIMIT = 100_000;
export const MAX_ROWS_PER_PAGE = 10_000;
