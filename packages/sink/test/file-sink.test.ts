import t from 'tap';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import { FileSink, toLogStreamName } from '@netsidecar/sink';

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-file-sink-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('events land in <dataDir>/logs/<group>/<stream>.jsonl, one per line, in order', async (t) => {
  const dataDir = await tempDir(t);
  const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger });
  for (let i = 0; i < 3; i++) {
    t.equal(sink.write({ logGroup: '/netsidecar/syslog', logStream: 'rtr-tyo-1', timestamp: i, message: JSON.stringify({ i }) }), 'ok');
  }
  sink.write({ logGroup: '/netsidecar/syslog', logStream: toLogStreamName('2001:db8::1'), timestamp: 9, message: '{"v6":true}' });
  t.equal(sink.queuedEvents(), 4);
  const report = await sink.close(Date.now() + 5_000);
  t.same(report, { delivered: 4, pending: 0, pendingSpooled: false });
  t.equal(await readFile(join(dataDir, 'logs/netsidecar/syslog/rtr-tyo-1.jsonl'), 'utf8'), '{"i":0}\n{"i":1}\n{"i":2}\n');
  t.equal(await readFile(join(dataDir, 'logs/netsidecar/syslog/2001_db8__1.jsonl'), 'utf8'), '{"v6":true}\n');
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message: 'late' }), 'refused', 'closed sinks refuse');
});

t.test('appends across restarts instead of truncating', async (t) => {
  const dataDir = await tempDir(t);
  for (const n of [1, 2]) {
    const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger });
    sink.write({ logGroup: '/netsidecar/ntp', logStream: 'status', timestamp: n, message: `{"run":${n}}` });
    await sink.close(Date.now() + 5_000);
  }
  t.equal(await readFile(join(dataDir, 'logs/netsidecar/ntp/status.jsonl'), 'utf8'), '{"run":1}\n{"run":2}\n');
});

t.test('signals backpressure at half the memory limit and refuses at the limit', async (t) => {
  const dataDir = await tempDir(t);
  const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger, memoryLimitBytes: 200, flushBytes: 1e9 });
  const message = 'x'.repeat(49);
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'ok');
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'backpressure');
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'backpressure');
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'backpressure');
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'refused');
  t.match(sink.refusalReason(), /^buffer full/);
  let writable = false;
  const waiting = sink.whenWritable().then(() => (writable = true));
  t.equal(writable, false);
  await sink.flush();
  await waiting;
  t.equal(writable, true, 'whenWritable resolves once the buffer is written');
  t.equal(sink.refusalReason(), null);
  await sink.close(Date.now() + 1_000);
  t.equal((await readFile(join(dataDir, 'logs/g/s.jsonl'), 'utf8')).split('\n').length - 1, 4);
});

t.test('a failing disk delays delivery but loses nothing', async (t) => {
  const dataDir = await tempDir(t);
  // A file where the group directory should be: mkdir fails with ENOTDIR/EEXIST until it is removed.
  await writeFile(join(dataDir, 'logs'), 'not a directory');
  const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger, retryDelayMs: 5 });
  sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message: 'kept' });
  t.equal(sink.refusalReason(), null, 'healthy before the first write fails');
  const flushed = sink.flush();
  // Wait for the failure itself (it is certain), not for a guessed time.
  while (sink.refusalReason() === null) await new Promise((resolve) => setTimeout(resolve, 5));
  t.match(sink.refusalReason(), /^writes under .* failing \((ENOTDIR|EEXIST)\); retrying$/, 'the reason names the error for /healthz');
  t.equal(sink.queuedEvents(), 1, 'still queued while the disk fails');
  await rm(join(dataDir, 'logs'));
  await flushed;
  t.equal(await readFile(join(dataDir, 'logs/g/s.jsonl'), 'utf8'), 'kept\n');
  t.equal(sink.refusalReason(), null, 'healthy again once a write succeeds');
  await sink.close(Date.now() + 1_000);
});

t.test('with the default 64 MiB limit, senders are pushed back from 8 MiB buffered: a file needs no more', async (t) => {
  const dataDir = await tempDir(t);
  const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger, flushBytes: 1e9 });
  const message = 'y'.repeat(1023); // 1 KiB with its newline
  const outcomes: string[] = [];
  for (let i = 0; i < 9 * 1024; i++) outcomes.push(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }));
  t.equal(outcomes.indexOf('backpressure'), 8 * 1024 - 1, 'backpressure from the event that reaches 8 MiB');
  t.notOk(outcomes.includes('refused'), 'nothing refused: the hard limit stays at twice 64 MiB');
  await sink.close(Date.now() + 5_000);
});
