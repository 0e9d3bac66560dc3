import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { commonVariables, ConfigError, loadConfig } from '@netsidecar/config';
import { oneOfOption, type ParsedArgs } from './args.js';
import { AuditError } from './errors.js';
import type { JoinStats } from './parts-joiner.js';
import { Progress, type ProgressOutput } from './progress.js';
import { createCloudWatchSource } from './source/cloudwatch-source.js';
import { createFileSource } from './source/file-source.js';
import type { RetryPolicy } from './source/retry.js';
import type { EventSource } from './source/source.js';
import type { Writable } from 'node:stream';

/** What `main()` gets from the outside: injectable so tests run the CLI in-process. */
export interface MainIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: ProgressOutput;
  now?: () => number;
  /** Builds the CloudWatch Logs client; default: the SDK's chain (region, credentials, endpoint from env). */
  cloudWatchClient?: () => CloudWatchLogsClient;
  retry?: RetryPolicy;
}

export interface Context {
  io: MainIo;
  args: ParsedArgs;
  now: number;
  source: EventSource;
  progress: Progress;
  joinStats: JoinStats;
  /** For the MANIFEST: where the events came from, without anything secret. */
  sourceLabel: string;
}

export async function createContext(io: MainIo, args: ParsedArgs): Promise<Context> {
  let config;
  try {
    // The common schema whole: the CLI runs from the services' shell, where all of them may be set.
    config = loadConfig(commonVariables, { env: io.env, ownPrefix: 'NETSIDECAR_AUDIT_' });
  } catch (err) {
    if (err instanceof ConfigError) throw new AuditError('AUDIT_CONFIG', err.message);
    throw err;
  }
  const kind = oneOfOption('source', args.values.source, ['file', 'cloudwatch'] as const, 'file');
  const progress = new Progress(io.stderr, io.now);
  const joinStats: JoinStats = { joined: 0, incomplete: 0 };
  const now = (io.now ?? Date.now)();
  if (kind === 'file') {
    if (args.values.insights) throw new AuditError('AUDIT_USAGE', '--insights reads CloudWatch Logs: add --source cloudwatch');
    const dataDir = args.values['data-dir'] ?? config.NETSIDECAR_DATA_DIR;
    return {
      io,
      args,
      now,
      progress,
      joinStats,
      source: createFileSource({ dataDir, logGroupPrefix: config.NETSIDECAR_LOG_GROUP_PREFIX, joinStats }),
      sourceLabel: `file sink at ${dataDir}`,
    };
  }
  const client = io.cloudWatchClient?.() ?? new CloudWatchLogsClient({ maxAttempts: 1 });
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    client.destroy();
    throw new AuditError('AUDIT_NO_REGION', 'no AWS region: set AWS_REGION (or a region in the AWS profile)');
  }
  try {
    await client.config.credentials();
  } catch (err) {
    client.destroy();
    throw new AuditError(
      'AUDIT_NO_CREDENTIALS',
      `no AWS credentials found (${(err as Error).message.split('\n')[0]}): set AWS_PROFILE, or run inside a role, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`,
    );
  }
  const source = createCloudWatchSource({
    client,
    logGroupPrefix: config.NETSIDECAR_LOG_GROUP_PREFIX,
    insights: args.values.insights === true,
    joinStats,
    ...(io.retry ? { retry: io.retry } : {}),
    onRetry: (operation) => progress.update(`${operation} throttled or unavailable: retrying`, true),
  });
  const close = source.close;
  source.close = async () => {
    await close();
    client.destroy();
  };
  return { io, args, now, progress, joinStats, source, sourceLabel: `CloudWatch Logs, region ${region}` };
}
