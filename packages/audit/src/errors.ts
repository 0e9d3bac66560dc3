/**
 * Every failure the CLI reports, by code (one registry, as fastify's FST_ERR_*): a test checks that
 * each code is unique and documented in the README. Exit 2 means "what you asked for cannot be
 * answered as asked" (bad input, environment); exit 1 means "AWS, the archive or the disk let us down".
 */
export const auditErrors = {
  AUDIT_USAGE: { exit: 2, what: 'bad command line (unknown option, missing value, bad format)' },
  AUDIT_RANGE_INVERTED: { exit: 2, what: '--from is not before --to' },
  AUDIT_BEYOND_RETENTION: { exit: 2, what: 'the range starts before the log group retention: those events are gone' },
  AUDIT_UNKNOWN_DEVICE: { exit: 2, what: 'no log stream of that name in the log group' },
  AUDIT_NO_LOG_GROUP: { exit: 2, what: 'the log group (or file sink folder) does not exist' },
  AUDIT_NO_CREDENTIALS: { exit: 2, what: 'no AWS credentials found by the SDK credential chain' },
  AUDIT_NO_REGION: { exit: 2, what: 'no AWS region (set AWS_REGION)' },
  AUDIT_CONFIG: { exit: 2, what: 'an invalid NETSIDECAR_* variable' },
  AUDIT_OUT_EXISTS: { exit: 2, what: 'the evidence output directory already exists' },
  AUDIT_NO_ARCHIVE: { exit: 2, what: 'the archive bucket does not exist (or --archive-bucket is missing)' },
  AUDIT_THROTTLED: { exit: 1, what: 'CloudWatch Logs or S3 kept throttling (or was unavailable) after every retry' },
  AUDIT_AWS_ERROR: { exit: 1, what: 'CloudWatch Logs or S3 answered with an error that is not retried' },
  AUDIT_ARCHIVE_CORRUPT: { exit: 1, what: 'an archive object is not a complete GZIP stream of JSON event lines' },
  AUDIT_INSIGHTS_FAILED: { exit: 1, what: 'a Logs Insights query failed, was cancelled or timed out' },
  AUDIT_IO: { exit: 1, what: 'reading the file sink or writing the output failed' },
} as const;

export type AuditErrorCode = keyof typeof auditErrors;

export class AuditError extends Error {
  readonly exitCode: number;
  constructor(
    readonly code: AuditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditError';
    this.exitCode = auditErrors[code].exit;
  }
}

export const isAuditError = (err: unknown): err is AuditError => err instanceof AuditError;
