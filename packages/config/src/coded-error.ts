/** What a coded error may wrap: the error it was made from (ES2022 `cause`, printed by Node). */
export interface CodedErrorOptions {
  cause?: unknown;
}

/**
 * The one error style of netsidecar. `code` is what callers, tests, exit codes, HTTP answers and
 * metrics key on, a string union per package (`UploadErrorCode`, `AuditErrorCode`...), usually the
 * keys of one table that maps each code to what it means there (an HTTP status, an exit code):
 * never parsed out of a message. `message` is for people; `cause` keeps the error it wraps. `name`
 * is the subclass's own name.
 *
 * Here, in the package every other one depends on, so that a service and a package it uses
 * throw errors of one shape.
 */
export class CodedError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: CodedErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export const isCodedError = (err: unknown): err is CodedError => err instanceof CodedError;
