import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { auditCli } from '@netsidecar/contracts';
import { commonVariables, ConfigError, loadConfig } from '@netsidecar/config';
import { oneOfOption, type ParsedArgs } from './args.js';
import { AuditError } from './errors.js';
import type { JoinStats } from './parts-joiner.js';
import { Progress, type ProgressOutput } from './progress.js';
import { createArchiveSource } from './source/archive-source.js';
import { createCloudWatchAuditLog, createFileAuditLog, type AuditLog } from './source/audit-log.js';
import { createCloudWatchSource } from './source/cloudwatch-source.js';
import { createFileSource } from './source/file-source.js';
import { defaultRetryPolicy, type RetryPolicy } from './source/retry.js';
import type { EventSource } from './source/source.js';
import { parseDuration } from './time-range.js';
import { resolve } from 'node:path';
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
  /** Builds the S3 client of `--source archive`; default: the SDK's chain. */
  s3Client?: () => S3Client;
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
  /**
   * The audit CLI's own log group where bundle digests are recorded: the file sink's or CloudWatch's,
   * as the source; none for the archive (written by Firehose only: record in CloudWatch).
   */
  auditLog?: AuditLog;
  /** The options that name the same audit log on another command line (`--source file --data-dir ./var`). */
  auditLogOptions: string[];
  logGroupPrefix: string;
}

export async function createContext(io: MainIo, args: ParsedArgs): Promise<Context> {
  let config;
  try {
    // The common schema whole: the CLI runs from the services' shell, where all of them may be set.
    config = loadConfig(commonVariables, { env: io.env, ownPrefix: auditCli.envPrefix });
  } catch (err) {
    if (err instanceof ConfigError) throw new AuditError('AUDIT_CONFIG', err.message);
    throw err;
  }
  const kind = oneOfOption('source', args.values.source, ['file', 'cloudwatch', 'archive'] as const, 'file');
  const progress = new Progress(io.stderr, io.now);
  const joinStats: JoinStats = { joined: 0, incomplete: 0 };
  const now = (io.now ?? Date.now)();
  const prefix = config.NETSIDECAR_LOG_GROUP_PREFIX;
  const common = { io, args, now, progress, joinStats, logGroupPrefix: prefix };
  if (kind === 'file') {
    if (args.values.insights) throw new AuditError('AUDIT_USAGE', '--insights reads CloudWatch Logs: add --source cloudwatch');
    const dataDir = args.values['data-dir'] ?? config.NETSIDECAR_DATA_DIR;
    return {
      ...common,
      source: createFileSource({ dataDir, logGroupPrefix: prefix, joinStats }),
      sourceLabel: `file sink at ${dataDir}`,
      auditLog: createFileAuditLog(dataDir, prefix),
      auditLogOptions: ['--source', 'file', '--data-dir', resolve(dataDir)],
    };
  }
  if (kind === 'archive') {
    if (args.values.insights) throw new AuditError('AUDIT_USAGE', '--insights reads CloudWatch Logs: the archive is read object by object');
    const bucket = args.values['archive-bucket'];
    if (bucket === undefined || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new AuditError(
        'AUDIT_NO_ARCHIVE',
        `--source archive needs --archive-bucket NAME (an S3 bucket name; the stack output ArchiveBucketName)${bucket === undefined ? '' : `, got '${bucket}'`}`,
      );
    }
    const latenessMs = parseDuration('--lateness', args.values.lateness ?? DEFAULT_LATENESS);
    const client = io.s3Client?.() ?? new S3Client({ maxAttempts: 1 });
    const region = await checkAwsClient(client);
    const source = createArchiveSource({
      client,
      bucket,
      logGroupPrefix: prefix,
      latenessMs,
      now,
      joinStats,
      ...(io.retry ? { retry: io.retry } : {}),
      onRetry: (operation) => progress.update(`${operation} throttled or unavailable: retrying`, true),
      onProgress: (text) => progress.update(text),
    });
    // No audit log: the archive is written by Firehose only; bundles are recorded in CloudWatch.
    return {
      ...common,
      source: withClient(source, client),
      sourceLabel: `S3 archive s3://${bucket}, region ${region}`,
      auditLogOptions: ['--source', 'cloudwatch'],
    };
  }
  const client = io.cloudWatchClient?.() ?? new CloudWatchLogsClient({ maxAttempts: 1 });
  const region = await checkAwsClient(client);
  const source = createCloudWatchSource({
    client,
    logGroupPrefix: prefix,
    insights: args.values.insights === true,
    joinStats,
    ...(io.retry ? { retry: io.retry } : {}),
    onRetry: (operation) => progress.update(`${operation} throttled or unavailable: retrying`, true),
  });
  return {
    ...common,
    source: withClient(source, client),
    sourceLabel: `CloudWatch Logs, region ${region}`,
    auditLog: createCloudWatchAuditLog({ client, prefix, retry: io.retry ?? defaultRetryPolicy(), region }),
    auditLogOptions: ['--source', 'cloudwatch'],
  };
}

/** `--lateness` when not given: CloudWatch Logs takes events up to 14 days old, Firehose buffers up to 15 min. */
export const DEFAULT_LATENESS = '15d';

/** The region, and credentials found, before any call: a clear error instead of a failed first read. */
async function checkAwsClient(client: CloudWatchLogsClient | S3Client): Promise<string> {
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
  return region;
}

/** The source closes its client with it. */
function withClient<S extends EventSource>(source: S, client: { destroy(): void }): S {
  const close = source.close.bind(source);
  source.close = async () => {
    await close();
    client.destroy();
  };
  return source;
}
