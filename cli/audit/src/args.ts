import { parseArgs } from 'node:util';
import { AuditError } from './errors.js';

/** Options of every command; each command reads the ones it documents (`--help`). */
const options = {
  source: { type: 'string' },
  'data-dir': { type: 'string' },
  service: { type: 'string' },
  device: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  insights: { type: 'boolean' },
  threshold: { type: 'string' },
  'ntp-threshold': { type: 'string' },
  at: { type: 'string' },
  lookback: { type: 'string' },
  'archive-bucket': { type: 'string' },
  lateness: { type: 'string' },
  record: { type: 'boolean' },
  'backup-interval': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ParsedArgs = {
  command: string | undefined;
  /** The bundle directory of `verify DIR` and `record DIR`. */
  target: string | undefined;
  values: {
    source?: string;
    'data-dir'?: string;
    service?: string;
    device?: string;
    from?: string;
    to?: string;
    format?: string;
    out?: string;
    insights?: boolean;
    threshold?: string;
    'ntp-threshold'?: string;
    at?: string;
    lookback?: string;
    'archive-bucket'?: string;
    lateness?: string;
    record?: boolean;
    'backup-interval'?: string[];
    help?: boolean;
  };
};

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    const takesTarget = positionals[0] === 'verify' || positionals[0] === 'record';
    const extra = positionals[takesTarget ? 2 : 1];
    if (extra !== undefined) throw new AuditError('AUDIT_USAGE', `unexpected argument '${extra}'`);
    return { command: positionals[0], target: takesTarget ? positionals[1] : undefined, values };
  } catch (err) {
    if (err instanceof AuditError) throw err;
    throw new AuditError('AUDIT_USAGE', (err as Error).message);
  }
}

export function oneOfOption<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AuditError('AUDIT_USAGE', `--${name} '${value}' is not one of ${allowed.join(', ')}`);
}

export const usage = `netsidecar-audit: audit evidence from CloudWatch Logs, the S3 archive or the local file sink

Commands:
  logs      --service syslog|ntp|config|scan [--device NAME|all] [--from T] [--to T]
            [--format jsonl|csv] [--out FILE] [--insights]
            The events of one service, streamed to stdout (or FILE). Default range: the last 24h.
  evidence  --from T --to T --out DIR [--lookback 400d] [--backup-interval [GLOB=]25h]...
            [--record]
            An evidence bundle: syslog per device, NTP sync history and offsets, config versions,
            compliance, stale backups, scan findings, MANIFEST.json + SHA256SUMS, summary.md and
            summary.html. The state at --to (drift, open findings) also reads up to --lookback
            before --from. With --record, the SHA-256 of SHA256SUMS is recorded in the audit log
            group (<prefix>/audit); without, the exact command that records it is printed.
  verify    DIR
            Checks every file of a bundle against its SHA256SUMS, and that the SHA256SUMS digest
            is recorded in the audit log group of --source. Exit 4 tampered, 5 missing file,
            6 digest not recorded.
  record    DIR
            Records a bundle's SHA256SUMS digest in the audit log group of --source (after
            checking its files), e.g. for a bundle made without --record.
  silence   [--threshold 1h] [--ntp-threshold 30m] [--at now] [--format text|jsonl]
            Devices silent in syslog, routers that stopped asking for time. Exit 3 when any.

Common options:
  --source file|cloudwatch|archive
                             file (default): NETSIDECAR_DATA_DIR/logs; cloudwatch: the SDK's region,
                             credentials and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS; archive: the S3 bucket
                             the stack's Firehose streams write (logs and evidence only)
  --data-dir DIR             the file sink's data dir (default NETSIDECAR_DATA_DIR, else ./var)
  --archive-bucket NAME      the archive bucket (stack output ArchiveBucketName)
  --lateness 15d             archive: how long after its time an event may still arrive

Times: 2026-03-01 (UTC midnight), 2026-03-01T12:00:00Z, now, or an age: 90m, 24h, 30d, 2w.
--from is included, --to excluded. Exit 0 ok, 1 AWS/archive/disk failure, 2 bad input, 3 silent devices,
4/5/6 verify: tampered, missing file, digest not recorded.
`;
