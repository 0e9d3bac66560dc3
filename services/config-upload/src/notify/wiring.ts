import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { ConfigError } from '@netsidecar/config';
import { spoolOwnerName } from '@netsidecar/runtime';
import { DEFAULT_SPOOL_LEASE_MS } from '@netsidecar/sink';
import { SlackClient, isWebhookUrl } from '@netsidecar/slack';
import type { Logger } from '@netsidecar/telemetry';
import type { UploadConfig } from '../service.js';
import type { Timers } from '@netsidecar/sink';
import { ChangeNotices, type NoticeMetrics } from './change-notices.js';
import { SlackDestination, SnsDestination, type Destination } from './destinations.js';
import { Outbox } from './outbox.js';

export interface NoticeSeams {
  /** Tests pass a client with a local endpoint; production: the standard AWS SDK environment. */
  sns?: SNSClient;
  slack?: SlackClient;
  random?: () => number;
  /** This task's outbox directory name (tests run two tasks in one process); default: the ECS task ID, else the host name. */
  owner?: string;
}

/** The change notices the variables ask for, or null when no destination is configured. */
export async function changeNoticesFrom(
  config: UploadConfig,
  dataDir: string,
  deps: { logger: Logger; metrics: NoticeMetrics; now: () => number; timers: Timers },
  seams: NoticeSeams = {},
): Promise<ChangeNotices | null> {
  const destinations: Destination[] = [];
  const webhookFile = config.NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE;
  if (webhookFile !== null) {
    // The outbox retries on its own schedule: one request per try.
    const client = seams.slack ?? new SlackClient({ maxAttempts: 1 });
    destinations.push(new SlackDestination(client, loadWebhook(webhookFile), config.NETSIDECAR_UPLOAD_NOTIFY_SLACK_DEVICES));
  }
  const topic = config.NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN;
  if (topic !== null) destinations.push(new SnsDestination(seams.sns ?? new SNSClient({ maxAttempts: 1 }), topic, config.NETSIDECAR_UPLOAD_NOTIFY_SNS_DEVICES));
  if (destinations.length === 0) return null;
  return new ChangeNotices({
    // The data dir may be the volume every task mounts (the CDK app's EFS): one directory per task.
    outbox: new Outbox({
      root: join(dataDir, 'config-upload', 'outbox'),
      owner: seams.owner ?? (await spoolOwnerName()),
      leaseMs: DEFAULT_SPOOL_LEASE_MS,
      now: deps.now,
    }),
    destinations,
    diffLimit: config.NETSIDECAR_UPLOAD_NOTIFY_DIFF_LIMIT,
    maxAgeMs: config.NETSIDECAR_UPLOAD_NOTIFY_MAX_AGE,
    ...deps,
    ...(seams.random ? { random: seams.random } : {}),
  });
}

/** The webhook URL from its file; an error names the file, never its content (a secret). */
function loadWebhook(file: string): string {
  const variable = 'NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE';
  let url: string;
  try {
    url = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(variable, `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!isWebhookUrl(url)) throw new ConfigError(variable, `${file}: does not hold an http(s) URL`);
  return url;
}
