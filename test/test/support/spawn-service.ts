import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isHashedFileBase, parseStreamNameFile, streamFileExtension, streamNameFileExtension, streamOfFileBase } from '@netsidecar/sink';
import { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from '@netsidecar/test-support/service-process';

export { repoRoot } from '@netsidecar/test-support/service-process';

export interface SpawnedService extends ServiceProcess {
  /** Events of a log group (`netsidecar/syslog`) in the file sink, by stream (as named by the sink's file names). */
  fileEvents(group: string): Promise<Map<string, Record<string, unknown>[]>>;
}

/** A service's real main() as its own process (startServiceProcess), and what its file sink wrote. */
export async function spawnService(
  t: { teardown(fn: () => unknown): void },
  main: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): Promise<SpawnedService> {
  const service = await startServiceProcess(t, main, env, options);
  const fileEvents = async (group: string) => {
    const dir = join(service.dataDir, 'logs', group);
    const byStream = new Map<string, Record<string, unknown>[]>();
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      if (!file.endsWith(streamFileExtension)) continue; // a hashed file's `.name`
      const lines = (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean);
      const base = file.slice(0, -streamFileExtension.length);
      const stream = isHashedFileBase(base)
        ? (parseStreamNameFile(await readFile(join(dir, base + streamNameFileExtension), 'utf8')) ?? base)
        : streamOfFileBase(base);
      byStream.set(
        stream,
        lines.map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    }
    return byStream;
  };
  return { ...service, fileEvents };
}
