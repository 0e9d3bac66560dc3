import { serviceTable } from '@netsidecar/contracts';
import { duration, integer, port, text, type Variable } from '@netsidecar/config';
import { isWebhookUrl } from '@netsidecar/slack';

export const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof severities)[number];

export interface EksClusterSetting {
  name: string;
  endpoint: string;
}

const list = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function parseEksClusters(raw: string): EksClusterSetting[] {
  return list(raw).map((item) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9_-]{0,99})=(https?:\/\/[^\s,]+)$/.exec(item);
    if (!match) throw new Error('expected name=https://endpoint pairs separated by commas');
    return { name: match[1]!, endpoint: match[2]!.replace(/\/$/, '') };
  });
}

function parseSeverities(raw: string): Severity[] {
  const values = list(raw).map((item) => item.toUpperCase());
  if (values.length === 0) throw new Error(`expected severities among ${severities.join(', ')}`);
  for (const value of values) if (!(severities as readonly string[]).includes(value)) throw new Error(`expected severities among ${severities.join(', ')}`);
  return values as Severity[];
}

/** Team -> Slack incoming webhook. The value is a secret: errors never repeat it. */
export interface SlackWebhooks {
  default: string | null;
  teams: Record<string, string>;
}

function parseWebhooks(raw: string): SlackWebhooks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('expected a JSON object {"default":"https://...","<team>":"https://..."}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object of team -> webhook URL');
  const teams: Record<string, string> = {};
  let fallback: string | null = null;
  for (const [team, url] of Object.entries(parsed)) {
    if (typeof url !== 'string' || !isWebhookUrl(url)) throw new Error(`the webhook of team '${team}' is not an http(s) URL`);
    if (team === 'default') fallback = url;
    else teams[team] = url;
  }
  return { default: fallback, teams };
}

const optionalText = (raw: string): string | null => text(raw);

/** The scan scheduler's own variables (README.md lists them). */
export const scanVariables = {
  NETSIDECAR_SCAN_HEALTH_PORT: {
    parse: port,
    default: serviceTable.scan.ports.health,
    description: 'GET /healthz and GET /metrics of the worker (plan opens no port).',
  },
  NETSIDECAR_SCAN_ECS_CLUSTERS: { parse: list, default: [] as string[], description: 'ECS cluster names or ARNs to inventory, comma-separated.' },
  NETSIDECAR_SCAN_EKS_CLUSTERS: {
    parse: parseEksClusters,
    default: [] as EksClusterSetting[],
    description: 'EKS clusters to inventory as name=https://endpoint, comma-separated.',
  },
  NETSIDECAR_SCAN_EKS_CA_DIR: { parse: optionalText, default: null as string | null, description: "Folder with <name>.pem, each EKS cluster's CA." },
  NETSIDECAR_SCAN_OWNER_TAG: { parse: text, default: 'team', description: 'ECS service tag (task tag as fallback) naming the owning team.' },
  NETSIDECAR_SCAN_OWNER_LABEL: { parse: text, default: 'team', description: 'Kubernetes namespace label naming the owning team.' },
  NETSIDECAR_SCAN_IMAGES_TABLE: { parse: text, default: 'netsidecar-scan-images', description: 'DynamoDB table of images (partition key digest).' },
  NETSIDECAR_SCAN_FINDINGS_TABLE: {
    parse: text,
    default: 'netsidecar-scan-findings',
    description: 'DynamoDB table of findings (partition key digest, sort key fingerprint).',
  },
  NETSIDECAR_SCAN_QUEUE_URL: { parse: optionalText, default: null as string | null, description: 'SQS queue of scan requests.' },
  NETSIDECAR_SCAN_MAX_AGE: {
    parse: duration(60_000, 90 * 24 * 3_600_000),
    default: 24 * 3_600_000, // 24 h
    description: 'An image whose last scan is older is due (stale).',
  },
  NETSIDECAR_SCAN_DB_RESCAN_MIN_AGE: {
    parse: duration(0, 90 * 24 * 3_600_000),
    default: 6 * 3_600_000, // 6 h: trivy-db is rebuilt every 6 h; rescanning faster only repeats work
    description: 'A newer Trivy DB makes an image due only when its last scan is at least this old.',
  },
  NETSIDECAR_SCAN_QUEUE_LEASE: {
    parse: duration(60_000, 7 * 24 * 3_600_000),
    default: 2 * 3_600_000, // 2 h: longer than a full queue takes to drain at the default cap
    description: 'An image enqueued less than this ago (and not scanned since) is not enqueued again.',
  },
  NETSIDECAR_SCAN_MAX_ENQUEUE: { parse: integer(1, 1_000_000), default: 5_000, description: 'Images enqueued per planning run at most.' },
  NETSIDECAR_SCAN_CONCURRENCY: { parse: integer(1, 64), default: 2, description: 'Scans running at once in one worker task (the cap).' },
  NETSIDECAR_SCAN_TRIVY_PATH: { parse: text, default: 'trivy', description: 'The Trivy executable.' },
  NETSIDECAR_SCAN_TRIVY_SERVER: {
    parse: optionalText,
    default: null as string | null,
    description: 'Trivy server URL for client mode (the sidecar); its GET /version gives the DB version.',
  },
  NETSIDECAR_SCAN_TRIVY_CACHE_DIR: {
    parse: optionalText,
    default: null as string | null,
    description: '--cache-dir for trivy image and, without a server, trivy version.',
  },
  NETSIDECAR_SCAN_TRIVY_TIMEOUT: {
    parse: duration(1_000, 3 * 3_600_000),
    default: 10 * 60_000, // 10 min: large images over a slow registry; the SQS visibility timeout must exceed it
    description: "One scan at most: Trivy's --timeout (trivy_timeout); a Trivy still running 5 s later is killed.",
  },
  NETSIDECAR_SCAN_SEVERITIES: { parse: parseSeverities, default: ['CRITICAL', 'HIGH'] as Severity[], description: 'Severities that are notified.' },
  NETSIDECAR_SCAN_SLACK_WEBHOOKS: {
    parse: parseWebhooks,
    default: null as SlackWebhooks | null,
    description: 'JSON team -> Slack incoming webhook, with "default"; a secret.',
  },
  NETSIDECAR_SCAN_IGNORE_FILE: { parse: optionalText, default: null as string | null, description: 'A .trivyignore.yaml with expiring ignores.' },
  NETSIDECAR_SCAN_COVERAGE_DIR: {
    parse: optionalText,
    default: null as string | null,
    description: 'Where coverage.md and coverage.json go ($NETSIDECAR_DATA_DIR/coverage).',
  },
} satisfies Record<string, Variable<unknown>>;
