import { serviceTable } from '@netsidecar/contracts';
import { byteSize, duration, integer, oneOf, port, text, type Variable } from '@netsidecar/config';
import { parseCidrList, type Cidr } from './auth/cidr.js';
import { parseS3Url } from './analyse/intended-s3.js';
import { globToRegExp } from './auth/glob.js';
import { parseStaleAfter, parseStaleOverrides, type StaleOverride } from './stale/stale-policy.js';

const { ports } = serviceTable.config;
const optional = (raw: string): string | null => text(raw);

/** The upload service's own variables (README.md lists them). All under NETSIDECAR_UPLOAD_. */
export const uploadVariables = {
  NETSIDECAR_UPLOAD_BIND_ADDRESS: { parse: text, default: '::', description: 'Address the HTTP server binds to.' },
  NETSIDECAR_UPLOAD_PORT: { parse: port, default: ports.http, description: 'HTTP; the NLB maps TCP 80 and TLS 443 here.' },
  NETSIDECAR_UPLOAD_HEALTH_PORT: { parse: port, default: ports.health, description: 'GET /healthz and GET /metrics.' },
  NETSIDECAR_UPLOAD_USERS_FILE: {
    parse: optional,
    default: null as string | null,
    description: 'principal:scrypt:<salt b64>:<hash b64>:<device globs>[:<roles>], one a line.',
  },
  NETSIDECAR_UPLOAD_ALLOWED_CIDRS: {
    parse: (raw: string) => parseCidrList(raw),
    default: null as Cidr[] | null,
    description: 'Comma-separated CIDRs allowed to connect; any address when unset.',
  },
  NETSIDECAR_UPLOAD_REDACTION_KEY_FILE: {
    parse: optional,
    default: null as string | null,
    description: 'HMAC key for redaction tags; default: generated once under the data dir.',
  },
  NETSIDECAR_UPLOAD_MAX_BODY: {
    parse: byteSize(1024, 1024 ** 3),
    default: 16 * 1024 * 1024, // 16 MiB, raw and decoded
    description: 'Largest body, raw and after gzip decoding.',
  },
  NETSIDECAR_UPLOAD_RATE_LIMIT: {
    parse: integer(0, 1_000_000),
    default: 60, // per minute per source address: a router uploads on commit, a few times an hour at most
    description: 'Requests per minute per source address (burst of the same size); 0 = off.',
  },
  NETSIDECAR_UPLOAD_MAX_CONCURRENT: {
    parse: integer(1, 1024),
    default: 8, // each holds up to ~3x the max body (raw, decoded, redacted): 8 x 48 MiB worst case
    description: 'Uploads processed at once; more get 503 busy.',
  },
  NETSIDECAR_UPLOAD_STORE: { parse: oneOf(['file', 's3'] as const), default: 'file' as 'file' | 's3', description: 'file (data dir) or s3.' },
  NETSIDECAR_UPLOAD_S3_BUCKET: { parse: optional, default: null as string | null, description: 'Bucket for the s3 store (versioning on).' },
  NETSIDECAR_UPLOAD_S3_PREFIX: {
    parse: (raw: string) => {
      const value = text(raw);
      if (value.startsWith('/')) throw new Error('expected a key prefix without a leading slash, like configs/');
      return value.endsWith('/') ? value : `${value}/`;
    },
    default: 'configs/',
    description: 'Key prefix in the bucket.',
  },
  NETSIDECAR_UPLOAD_INTENDED_DIR: {
    parse: optional,
    default: null as string | null,
    description: 'Directory of intended configs (a checkout of the Git repository), <device>[.cfg|.conf|.txt|.rsc|.set|.config|.xml].',
  },
  NETSIDECAR_UPLOAD_INTENDED_S3: {
    parse: parseS3Url,
    default: null as { bucket: string; prefix: string } | null,
    description: 'Or an S3 prefix of intended configs, s3://bucket/prefix/ (not with NETSIDECAR_UPLOAD_INTENDED_DIR).',
  },
  NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: {
    parse: optional,
    default: null as string | null,
    description: 'JSON file of compliance rules (required and forbidden lines per device glob); none: no compliance check.',
  },
  NETSIDECAR_UPLOAD_COMPLIANCE_RULES: {
    parse: optional,
    default: null as string | null,
    description: 'The compliance rules inline, as JSON text (at most 32 KiB; not with NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE): what the CDK app sets.',
  },
  NETSIDECAR_UPLOAD_STALE_AFTER: {
    parse: parseStaleAfter,
    default: 25 * 3_600_000, // a daily archive job, plus an hour of slack
    description: 'A device without an upload for longer is a stale backup (alarm); 1m to 1440h.',
  },
  NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE: {
    parse: parseStaleOverrides,
    default: [] as StaleOverride[],
    description: 'Per device glob, glob=duration or glob=off, comma separated, first match wins: fw-*=49h,lab-*=off.',
  },
  NETSIDECAR_UPLOAD_STALE_CHECK_INTERVAL: {
    parse: duration(1_000, 24 * 3_600_000),
    default: 10 * 60_000,
    description: 'How often the last uploads are checked for stale backups.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: {
    parse: optional,
    default: null as string | null,
    description: 'File holding the Slack incoming webhook URL for change notices (a secret: never logged); none: no Slack notices.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_SLACK_DEVICES: {
    parse: globList,
    default: [/^.*$/] as RegExp[],
    description: 'Device globs whose changes go to Slack, comma separated.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN: {
    parse: (raw: string) => {
      const value = text(raw);
      if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(value))
        throw new Error('expected an SNS topic ARN, arn:aws:sns:<region>:<account>:<name>');
      return value;
    },
    default: null as string | null,
    description: 'SNS topic for change notices (the alarm topic); none: no SNS notices.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_SNS_DEVICES: {
    parse: globList,
    default: [/^.*$/] as RegExp[],
    description: 'Device globs whose changes go to SNS, comma separated.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_DIFF_LIMIT: {
    parse: integer(200, 100_000),
    default: 2_000, // characters: a Slack section holds 3,000 and the diff is escaped there
    description: 'Longest diff in a change notice, in characters, cut at a line boundary.',
  },
  NETSIDECAR_UPLOAD_NOTIFY_MAX_AGE: {
    parse: duration(60_000, 7 * 24 * 3_600_000),
    default: 24 * 3_600_000,
    description: 'A change notice not delivered this long after its upload is given up (counted expired).',
  },
} satisfies Record<string, Variable<unknown>>;

/** `rtr-*,fw-tyo-?`: globs on the whole device name, as in the users file. */
function globList(raw: string): RegExp[] {
  const globs = raw
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  if (globs.length === 0 || !globs.every((g) => /^[A-Za-z0-9._*?-]+$/.test(g))) throw new Error('expected device globs, comma separated, like rtr-*,fw-tyo-?');
  return globs.map(globToRegExp);
}
