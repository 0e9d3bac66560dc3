// runService's drain through a real process and a real SIGTERM: a service whose stop() throws still
// has its sink drained (nothing it accepted is lost), the failure is logged and the exit code is 1.
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileNameOf } from '@netsidecar/sink';

const fixture = new URL('./fixtures/failing-stop-service.ts', import.meta.url).pathname;

t.test('a stop() that throws: the sink is drained anyway, the failure logged, exit 1', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-runtime-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_')));
  // A flush interval of a minute: the event is still in the file sink's memory at SIGTERM.
  const child = spawn(process.execPath, [...process.execArgv, fixture], {
    env: { ...clean, NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_SINK_FLUSH_INTERVAL: '60s' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let stderr = '';
  const started = new Promise<void>((resolve) =>
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('"msg":"started"')) resolve();
    }),
  );
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.teardown(() => clearTimeout(deadline));
  await Promise.race([started, exited]);
  child.kill('SIGTERM');
  const [code] = await exited;
  t.equal(code, 1, 'exit 1: the service did not stop cleanly');
  t.match(stderr, /"msg":"service stop failed: draining the sink anyway".*stop failed on purpose/);
  t.match(stderr, /"msg":"drained"/);
  const written = await readFile(join(dataDir, 'logs/netsidecar/fixture', fileNameOf('device-1')), 'utf8');
  t.same(
    written
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown),
    [{ n: 1 }],
    'the accepted event reached the file',
  );
});
