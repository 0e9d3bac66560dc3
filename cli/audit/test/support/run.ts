import { PassThrough } from 'node:stream';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { S3Client } from '@aws-sdk/client-s3';
import { main } from '../../src/main.js';
import type { RetryPolicy } from '../../src/source/retry.js';
import { NOW } from './fixtures.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Backoff delays asked for by the retry policy, in order. */
  sleeps: number[];
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  client?: () => CloudWatchLogsClient;
  s3?: () => S3Client;
  now?: number;
  tty?: boolean;
  maxAttempts?: number;
}

/** Runs the CLI in-process, as `netsidecar-audit ...argv`, with captured output and no real sleeping. */
export async function runAudit(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  const sleeps: number[] = [];
  const retry: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? 4,
    baseMs: 200,
    capMs: 10_000,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  };
  const code = await main({
    argv,
    env: options.env ?? {},
    stdout,
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    now: () => options.now ?? NOW,
    retry,
    ...(options.client ? { cloudWatchClient: options.client } : {}),
    ...(options.s3 ? { s3Client: options.s3 } : {}),
  });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr, sleeps };
}
