import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { NOW, putToCloudWatch, writeFileSink, type Seed } from './fixtures.js';

/**
 * The same events in a file sink (`<dir>/data`) and in a fake CloudWatch Logs whose clock is NOW,
 * removed and closed when `t` ends: what a test comparing the sources starts from.
 */
export async function seededSources(t: Test, name: string, seeds: readonly Seed[]) {
  const dir = await mkdtemp(join(tmpdir(), `audit-${name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  await writeFileSink(data, seeds);
  const fake = await startFakeCloudWatchLogs({ now: () => NOW });
  t.teardown(() => fake.close());
  const seedClient = cloudWatchLogsClientFor(fake);
  await putToCloudWatch(seedClient, seeds);
  seedClient.destroy();
  return { dir, data, fake, client: () => cloudWatchLogsClientFor(fake) };
}
