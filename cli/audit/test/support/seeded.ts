import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { NOW, putToCloudWatch, writeFileSink, type Seed } from './fixtures.js';
import { runAudit, type RunResult } from './run.js';

export interface SeededSources {
  /** A temporary directory of the test's own, removed at teardown. */
  dir: string;
  /** The file sink's data dir, inside `dir`. */
  data: string;
  /** A fake CloudWatch Logs whose clock is NOW, holding the same events. */
  fake: FakeCloudWatchLogs;
  client: () => CloudWatchLogsClient;
  /** Runs one command against the file sink and against CloudWatch: the two must export the same. */
  both: (args: string[]) => Promise<{ file: RunResult; cloud: RunResult }>;
}

/**
 * The same events in a file sink (`<dir>/data`) and in a fake CloudWatch Logs, removed and closed
 * when `t` ends: what a test comparing the sources starts from.
 */
export async function seededSources(t: { teardown(fn: () => unknown): void }, name: string, seeds: readonly Seed[]): Promise<SeededSources> {
  const dir = await mkdtemp(join(tmpdir(), `audit-${name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  await writeFileSink(data, seeds);
  const fake = await startFakeCloudWatchLogs({ now: () => NOW });
  t.teardown(() => fake.close());
  const seedClient = cloudWatchLogsClientFor(fake);
  await putToCloudWatch(seedClient, seeds);
  seedClient.destroy();
  const client = () => cloudWatchLogsClientFor(fake);
  return {
    dir,
    data,
    fake,
    client,
    both: async (args) => ({
      file: await runAudit([...args, '--source', 'file', '--data-dir', data]),
      cloud: await runAudit([...args, '--source', 'cloudwatch'], { client }),
    }),
  };
}
