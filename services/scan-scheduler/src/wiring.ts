import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { STSClient } from '@aws-sdk/client-sts';
import type { Registry } from 'prom-client';
import type { ConfigOf } from '@netsidecar/config';
import type { Sink } from '@netsidecar/sink';
import type { scanVariables } from './config.js';
import { ScanEvents } from './events.js';
import { EcsInventory } from './inventory/ecs-inventory.js';
import { EksInventory } from './inventory/eks-inventory.js';
import { createEksToken } from './inventory/eks-token.js';
import type { CallCounter, InventorySource } from './inventory/types.js';
import { createScanMetrics, type ScanMetrics } from './metrics.js';
import { Notifier } from './notify/notifier.js';
import { SlackClient } from '@netsidecar/slack';
import type { StateStore } from './state/records.js';
import { DynamoStateStore } from './state/dynamo-store.js';
import { TrivyRunner } from './scan/trivy-runner.js';

export type ScanConfig = ConfigOf<typeof scanVariables> & { NETSIDECAR_DATA_DIR: string };

/** The inventory sources the configuration names, with real AWS clients from the SDK's environment. */
export async function inventorySources(config: ScanConfig, counter?: CallCounter): Promise<InventorySource[]> {
  const sources: InventorySource[] = [];
  if (config.NETSIDECAR_SCAN_ECS_CLUSTERS.length > 0) {
    const client = new ECSClient({});
    for (const cluster of config.NETSIDECAR_SCAN_ECS_CLUSTERS) {
      sources.push(new EcsInventory({ client, cluster, ownerTag: config.NETSIDECAR_SCAN_OWNER_TAG, ...(counter ? { counter } : {}) }));
    }
  }
  if (config.NETSIDECAR_SCAN_EKS_CLUSTERS.length > 0) {
    const sts = new STSClient({});
    for (const cluster of config.NETSIDECAR_SCAN_EKS_CLUSTERS) {
      const caData = config.NETSIDECAR_SCAN_EKS_CA_DIR ? await readFile(join(config.NETSIDECAR_SCAN_EKS_CA_DIR, `${cluster.name}.pem`), 'utf8') : null;
      sources.push(
        new EksInventory({
          name: cluster.name,
          endpoint: cluster.endpoint,
          caData,
          ownerLabel: config.NETSIDECAR_SCAN_OWNER_LABEL,
          // The SDK's default credential chain and region, resolved by the STS client's config.
          token: async () => createEksToken({ clusterName: cluster.name, region: await sts.config.region(), credentials: sts.config.credentials }),
          ...(counter ? { counter } : {}),
        }),
      );
    }
  }
  return sources;
}

export function dynamoStore(config: ScanConfig): StateStore {
  return new DynamoStateStore({
    client: new DynamoDBClient({}),
    imagesTable: config.NETSIDECAR_SCAN_IMAGES_TABLE,
    findingsTable: config.NETSIDECAR_SCAN_FINDINGS_TABLE,
  });
}

/** Trivy as configured: the worker scans with it, the planner asks it for its DB version. */
export function trivyRunner(config: ScanConfig, overrides: { path?: string; env?: NodeJS.ProcessEnv } = {}): TrivyRunner {
  return new TrivyRunner({
    path: overrides.path ?? config.NETSIDECAR_SCAN_TRIVY_PATH,
    server: config.NETSIDECAR_SCAN_TRIVY_SERVER,
    cacheDir: config.NETSIDECAR_SCAN_TRIVY_CACHE_DIR,
    timeoutMs: config.NETSIDECAR_SCAN_TRIVY_TIMEOUT,
    ...(overrides.env ? { env: overrides.env } : {}),
  });
}

export function coverageDir(config: ScanConfig): string {
  return config.NETSIDECAR_SCAN_COVERAGE_DIR ?? join(config.NETSIDECAR_DATA_DIR, 'coverage');
}

export interface Plumbing {
  events: ScanEvents;
  metrics: ScanMetrics;
  notifier: Notifier;
}

/** Events, metrics and the notifier: the same in the planner, the worker and local mode. */
export function plumbing(options: {
  config: ScanConfig;
  sink: Sink;
  logGroup: string;
  registry: Registry;
  store: StateStore;
  running: () => number;
  now?: () => Date;
  slack?: SlackClient;
}): Plumbing {
  const now = options.now ?? (() => new Date());
  const metrics = createScanMetrics(options.registry, options.config.NETSIDECAR_SCAN_CONCURRENCY, options.running);
  const events = new ScanEvents({ sink: options.sink, logGroup: options.logGroup, dropped: metrics.eventsDropped, now });
  const notifier = new Notifier({
    webhooks: options.config.NETSIDECAR_SCAN_SLACK_WEBHOOKS,
    severities: options.config.NETSIDECAR_SCAN_SEVERITIES,
    client: options.slack ?? new SlackClient({ onRetry: () => metrics.slackRetries.inc() }),
    store: options.store,
    events,
    now,
  });
  return { events, metrics, notifier };
}
