/**
 * The two ways a query string can be refused. `MalformedQueryError` is what the real service
 * answers as `MalformedQueryException` (a syntax error, an unknown command or function);
 * `UnsupportedQueryError` is a valid Logs Insights construct this stand-in does not implement:
 * a test must never get wrong rows silently, so it fails loudly naming the construct instead.
 */
export class MalformedQueryError extends Error {
  /** The exception name the real service answers with. */
  readonly code = 'MalformedQueryException';
  constructor(
    message: string,
    /** 0-based offset in the query string where the problem was found, when known. */
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} (at offset ${position})`);
    this.name = 'MalformedQueryError';
  }
}

export class UnsupportedQueryError extends Error {
  readonly code = 'UnsupportedByFake';
  constructor(
    /** The command, function or feature, e.g. `unnest` or `sortsFirst()`. */
    readonly construct: string,
    detail = '',
  ) {
    super(`Logs Insights stand-in does not implement ${construct}${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedQueryError';
  }
}
