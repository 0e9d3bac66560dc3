import { CodedError, type CodedErrorOptions } from '@netsidecar/config';

/**
 * Every failure the CLI reports, by code (one registry, as fastify's FST_ERR_*): a test checks that
 * each code is unique and documented in the README. Exit 2 means "what you asked for cannot be
 * answered as asked" (bad input, environment); exit 1 means "AWS, the archive or the disk let us down";
 * exits 4, 5, 6 are `verify`'s findings, one per kind, so a script can tell them apart.
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
  AUDIT_NOT_A_BUNDLE: { exit: 2, what: 'verify/record: the directory is not an evidence bundle (no SHA256SUMS)' },
  AUDIT_NOT_RECORDED: { exit: 1, what: 'evidence/record: the bundle is complete but its SHA256SUMS digest could not be recorded in the audit log group' },
  AUDIT_BUNDLE_TAMPERED: { exit: 4, what: 'verify: a file differs from SHA256SUMS, is not listed in it, or SHA256SUMS is malformed' },
  AUDIT_BUNDLE_FILE_MISSING: { exit: 5, what: 'verify: a file listed in SHA256SUMS is missing' },
  AUDIT_DIGEST_NOT_RECORDED: { exit: 6, what: 'verify: the SHA256SUMS digest is not recorded in the audit log group' },
} as const;

export type AuditErrorCode = keyof typeof auditErrors;

export class AuditError extends CodedError<AuditErrorCode> {
  readonly exitCode: number;
  constructor(code: AuditErrorCode, message: string, options?: CodedErrorOptions) {
    super(code, message, options);
    this.exitCode = auditErrors[code].exit;
  }
}

export const isAuditError = (err: unknown): err is AuditError => err instanceof AuditError;
