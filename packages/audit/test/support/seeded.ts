import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { NOW, putToCloudWatch, writeFileSink, type Seed } from './fixtures.js';
import { runAudit, type RunResult } from './run.js';

export interface SeededSources {
  /** The file sink's data dir. */
  dir: string;
  fake: FakeCloudWatchLogs;
  client: () => CloudWatchLogsClient;
  /** Runs one command against the file sink and against CloudWatch: the two must export the same. */
  both: (args: string[]) => Promise<{ file: RunResult; cloud: RunResult }>;
}

/** The same seeds in a file sink (a temp dir) and in a fake CloudWatch Logs, both removed at teardown. */
export async function seedBoth(t: { teardown(fn: () => unknown): void }, seeds: readonly Seed[]): Promise<SeededSources> {
  const dir = await mkdtemp(join(tmpdir(), 'audit-seeded-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFileSink(dir, seeds);
  const fake = await startFakeCloudWatchLogs({ now: () => NOW });
  t.teardown(() => fake.close());
  const seedClient = cloudWatchLogsClientFor(fake);
  await putToCloudWatch(seedClient, seeds);
  seedClient.destroy();
  const client = () => cloudWatchLogsClientFor(fake);
  return {
    dir,
    fake,
    client,
    both: async (args) => ({
      file: await runAudit([...args, '--source', 'file', '--data-dir', dir]),
      cloud: await runAudit([...args, '--source', 'cloudwatch'], { client }),
    }),
  };
}
