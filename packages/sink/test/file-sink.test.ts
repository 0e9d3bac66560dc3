import t from 'tap';
import fc from 'fast-check';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import type { Registry } from 'prom-client';
import { FileSink, fileNameOf, isHashedFileBase, parseStreamNameFile, streamOfFileBase, toLogStreamName } from '@netsidecar/sink';
import { eventually } from '@netsidecar/test-support/eventually';

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-file-sink-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const family = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const samples = family?.values.filter((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value)) ?? [];
  return samples.reduce((sum, v) => sum + v.value, 0);
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
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message: 'late' }), 'closed', 'closed sinks refuse');
});

t.test('encoded lines (writeLines) are written byte for byte, in order with text events of the same file, under the same limit', async (t) => {
  const dataDir = await tempDir(t);
  const registry = createRegistry('test');
  const sink = new FileSink({ dataDir, registry, logger: silentLogger, memoryLimitBytes: 4096, flushBytes: 1e9 });
  const encoded = (...messages: string[]) => ({
    logGroup: '/netsidecar/syslog',
    logStream: 'rtr-1',
    lines: Buffer.from(messages.map((m) => m + '\n').join('')),
    events: messages.length,
  });
  t.equal(sink.writeLines(encoded('{"n":1,"text":"Zürich 🚀"}', '{"n":2}')), 'ok');
  t.equal(sink.write({ logGroup: '/netsidecar/syslog', logStream: 'rtr-1', timestamp: 0, message: '{"n":3}' }), 'ok');
  // A view into a larger buffer (a parse worker's batch): only its own bytes are written.
  const batch = Buffer.from('{"n":0}\n{"n":4}\n{"n":5}\n{"n":6}\n');
  t.equal(sink.writeLines({ logGroup: '/netsidecar/syslog', logStream: 'rtr-1', lines: batch.subarray(8, 24), events: 2 }), 'ok');
  t.equal(sink.queuedEvents(), 5, 'each line counts as an event');
  t.equal(sink.writeLines(encoded('x'.repeat(4096))), 'backpressure', 'counted against the memory limit like text');
  t.equal(sink.writeLines(encoded('{"n":7}', '{"n":8}')), 'full', 'refused at the limit like text, all together');
  t.equal(await metricValue(registry, 'netsidecar_sink_events_total', { outcome: 'refused' }), 2, 'each refused line counted');
  await sink.close(Date.now() + 5_000);
  const lines = (await readFile(join(dataDir, 'logs/netsidecar/syslog/rtr-1.jsonl'), 'utf8')).split('\n');
  t.same(lines.slice(0, 5), ['{"n":1,"text":"Zürich 🚀"}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
  t.equal(lines.length, 7, 'the large line, then nothing after the refused ones');
  t.equal(await metricValue(registry, 'netsidecar_sink_events_total', { outcome: 'delivered' }), 6);
});

t.test('when events stop coming, what is buffered is written without waiting for the flush interval', async (t) => {
  const dataDir = await tempDir(t);
  // A 60 s interval the test never reaches: only the quiet write can put the lines on disk in time.
  const sink = new FileSink({ dataDir, registry: createRegistry('test'), logger: silentLogger, flushIntervalMs: 60_000, quietWriteMs: 20 });
  t.teardown(() => sink.close(Date.now() + 1_000));
  for (let n = 1; n <= 3; n++) t.equal(sink.write({ logGroup: '/g', logStream: 'burst', timestamp: 0, message: `{"n":${n}}` }), 'ok');
  await eventually(async () => (await readFile(join(dataDir, 'logs/g/burst.jsonl'), 'utf8').catch(() => '')) === '{"n":1}\n{"n":2}\n{"n":3}\n', {
    timeoutMs: 10_000,
    intervalMs: 10,
    what: 'the burst to be written once it ended',
  });
  t.equal(sink.queuedEvents(), 0, 'nothing left in memory');
  // The next burst arms the timer again.
  sink.write({ logGroup: '/g', logStream: 'burst', timestamp: 0, message: '{"n":4}' });
  await eventually(async () => (await readFile(join(dataDir, 'logs/g/burst.jsonl'), 'utf8')).endsWith('{"n":4}\n'), {
    timeoutMs: 10_000,
    intervalMs: 10,
    what: 'the second burst to be written',
  });
});

t.test("writeLines keeps a copy: the caller's buffer, reused at once, changes nothing written, flush after flush", async (t) => {
  const dataDir = await tempDir(t);
  const sink = new FileSink({
    dataDir,
    registry: createRegistry('test'),
    logger: silentLogger,
    flushIntervalMs: 60_000,
    quietWriteMs: 60_000,
    flushBytes: 1e9,
  });
  // One buffer, as the syslog parse pool reuses its output buffers: overwritten after every call.
  const reused = Buffer.alloc(64);
  const expected: string[] = [];
  for (let flush = 0; flush < 3; flush++) {
    for (let n = 0; n < 100; n++) {
      const line = `{"flush":${flush},"n":${n}}\n`;
      const length = reused.write(line);
      t.equal(sink.writeLines({ logGroup: '/g', logStream: 'reused', lines: reused.subarray(0, length), events: 1 }), 'ok');
      reused.fill(0x78);
      expected.push(line);
    }
    // The next flush's lines go into the chunks this one gave back once written.
    await sink.flush();
  }
  // A line larger than a chunk of the sink's.
  const huge = Buffer.from('{"huge":"' + 'h'.repeat(300_000) + '"}\n');
  t.equal(sink.writeLines({ logGroup: '/g', logStream: 'reused', lines: huge, events: 1 }), 'ok');
  huge.fill(0x78);
  expected.push('{"huge":"' + 'h'.repeat(300_000) + '"}\n');
  await sink.close(Date.now() + 5_000);
  t.ok((await readFile(join(dataDir, 'logs/g/reused.jsonl'), 'utf8')) === expected.join(''), '301 lines, each as it was given');
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
  t.equal(sink.write({ logGroup: '/g', logStream: 's', timestamp: 0, message }), 'full');
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
  await eventually(() => sink.refusalReason() !== null, { timeoutMs: 5_000, intervalMs: 5, what: 'the write to fail' });
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
  t.notOk(outcomes.includes('full'), 'nothing refused: the hard limit stays at twice 64 MiB');
  await sink.close(Date.now() + 5_000);
});

t.test('file names: ordinary stream names are the file name; %, / and control characters are escaped, reversibly', async (t) => {
  t.equal(fileNameOf('rtr-tyo-1'), 'rtr-tyo-1.jsonl');
  t.equal(fileNameOf('2001_db8__1'), '2001_db8__1.jsonl');
  t.equal(fileNameOf('a/b%c\u0000d\u007f'), 'a%2Fb%25c%00d%7F.jsonl');
  t.equal(streamOfFileBase('a%2Fb%25c%00d%7F'), 'a/b%c\u0000d\u007f');
  t.equal(streamOfFileBase('50%off'), '50%off', 'a % that is not one of the escapes (a file written before) is kept');
  t.equal(fileNameOf('..'), '...jsonl', 'never a special path: the extension is always there');
});

t.test('file names: any stream name maps to one safe path component of at most 255 bytes, distinct names to distinct files', async (t) => {
  // Hostile names: long, multi-byte, separators, lone surrogates; one in four long enough to be hashed.
  const alphabet = ['a', 'Z', '9', '-', '.', '%', '/', ':', '*', '~', ' ', '\u0000', '\n', 'é', '日本', '😀', '\ud800', '\udc00', '%~', '%25'];
  const name = (maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength, size: 'max' }).map((pieces) => pieces.join(''));
  const hostileName = fc.oneof({ weight: 3, arbitrary: name(40) }, { weight: 1, arbitrary: name(600) });
  const seen = new Map<string, string>();
  fc.assert(
    fc.property(hostileName, (name) => {
      const file = fileNameOf(name);
      if (Buffer.byteLength(file) > 255 || file.includes('/') || file.includes('\u0000') || !file.endsWith('.jsonl'))
        throw new Error(`unsafe: ${JSON.stringify(file)}`);
      const base = file.slice(0, -'.jsonl'.length);
      if (!isHashedFileBase(base) && streamOfFileBase(base) !== name) throw new Error(`does not read back: ${JSON.stringify(name)}`);
      const other = seen.get(file);
      if (other !== undefined && other !== name) throw new Error(`${JSON.stringify(name)} and ${JSON.stringify(other)} share ${file}`);
      seen.set(file, name);
    }),
    // A fixed seed: the assertion below that the hashed form was reached must not depend on the draw.
    { numRuns: 3_000, seed: 13 },
  );
  t.pass(`${seen.size} distinct names, each safe, distinct, and read back when escaped`);
  t.ok(
    [...seen.keys()].some((file) => isHashedFileBase(file.slice(0, -6))),
    'the generator reached the hashed form',
  );
  t.equal(fileNameOf('x'.repeat(249)), 'x'.repeat(249) + '.jsonl', '255 bytes exactly still fits');
  t.match(fileNameOf('x'.repeat(250)), /^x{215}%~[0-9a-f]{32}\.jsonl$/, 'one byte more is hashed, with the start of the name kept');
  t.match(fileNameOf('日'.repeat(100)), /^(日){71}%~[0-9a-f]{32}\.jsonl$/, 'bytes are counted, not characters');
});

t.test('a 512-character stream name is written (hashed file, full name beside it) with the others, nothing held', async (t) => {
  const dataDir = await tempDir(t);
  const registry = createRegistry('test');
  const sink = new FileSink({ dataDir, registry, logger: silentLogger });
  // The longest name CloudWatch takes (toLogStreamName makes none this long; a file sink takes any).
  const long = 'h'.repeat(512);
  sink.write({ logGroup: '/netsidecar/syslog', logStream: long, timestamp: 1, message: '{"n":1}' });
  sink.write({ logGroup: '/netsidecar/syslog', logStream: 'rtr-1', timestamp: 2, message: '{"n":2}' });
  const report = await sink.close(Date.now() + 5_000);
  t.same(report, { delivered: 2, pending: 0, pendingSpooled: false });
  const dir = join(dataDir, 'logs/netsidecar/syslog');
  const base = fileNameOf(long).slice(0, -'.jsonl'.length);
  t.equal(await readFile(join(dir, `${base}.jsonl`), 'utf8'), '{"n":1}\n');
  t.equal(parseStreamNameFile(await readFile(join(dir, `${base}.name`), 'utf8')), long, 'the full stream name is kept beside the file');
  t.equal(await readFile(join(dir, 'rtr-1.jsonl'), 'utf8'), '{"n":2}\n');
  t.equal(await metricValue(registry, 'netsidecar_sink_errors_total'), 0, 'no write error');
});

t.test('a file that cannot be written holds only its own lines: the others are written, the error is counted, its lines follow once it can be', async (t) => {
  const dataDir = await tempDir(t);
  const registry = createRegistry('test');
  const sink = new FileSink({ dataDir, registry, logger: silentLogger, retryDelayMs: 20, maxRetryDelayMs: 40 });
  const dir = join(dataDir, 'logs/g');
  // A directory where the file of stream `bad` should be: every open fails with EISDIR.
  await mkdir(join(dir, 'bad.jsonl'), { recursive: true });
  sink.write({ logGroup: '/g', logStream: 'bad', timestamp: 0, message: 'bad 1' });
  sink.write({ logGroup: '/g', logStream: 'good', timestamp: 0, message: 'good 1' });
  const flushed = sink.flush(); // resolves only once `bad` is written too
  await eventually(async () => (await metricValue(registry, 'netsidecar_sink_errors_total', { code: 'EISDIR' })) >= 1, {
    timeoutMs: 5_000,
    intervalMs: 5,
    what: 'the first EISDIR counted',
  });
  t.equal(await readFile(join(dir, 'good.jsonl'), 'utf8'), 'good 1\n', 'the good file is written while the bad one fails');
  sink.write({ logGroup: '/g', logStream: 'bad', timestamp: 0, message: 'bad 2' });
  sink.write({ logGroup: '/g', logStream: 'good', timestamp: 0, message: 'good 2' });
  await eventually(async () => (await readFile(join(dir, 'good.jsonl'), 'utf8')) === 'good 1\ngood 2\n', {
    timeoutMs: 5_000,
    intervalMs: 5,
    what: 'both lines in good.jsonl',
  });
  await eventually(async () => (await metricValue(registry, 'netsidecar_sink_errors_total', { code: 'EISDIR' })) >= 2, {
    timeoutMs: 5_000,
    intervalMs: 5,
    what: 'the retry counted as a second EISDIR',
  });
  t.equal(sink.refusalReason(), null, 'one bad file among good ones does not make the task unready');
  t.equal(await metricValue(registry, 'netsidecar_sink_failing_files'), 1);
  t.equal(sink.queuedEvents(), 2, 'both lines of the bad file are still queued');
  await rm(join(dir, 'bad.jsonl'), { recursive: true });
  await flushed;
  t.equal(await readFile(join(dir, 'bad.jsonl'), 'utf8'), 'bad 1\nbad 2\n', 'written once it can be, in order');
  t.equal(await metricValue(registry, 'netsidecar_sink_failing_files'), 0);
  t.same(await sink.close(Date.now() + 1_000), { delivered: 0, pending: 0, pendingSpooled: false });
});

t.test('failing files hold at most half the memory limit: then only their events are refused', async (t) => {
  const dataDir = await tempDir(t);
  const registry = createRegistry('test');
  const sink = new FileSink({ dataDir, registry, logger: silentLogger, memoryLimitBytes: 1_000, flushBytes: 1e9, retryDelayMs: 60_000 });
  await mkdir(join(dataDir, 'logs/g/bad.jsonl'), { recursive: true });
  const message = 'x'.repeat(99); // 100 with its newline
  for (let i = 0; i < 5; i++) t.not(sink.write({ logGroup: '/g', logStream: 'bad', timestamp: 0, message }), 'full');
  const flushed = sink.flush(); // resolves only when the drain gives up on `bad`
  await eventually(async () => (await metricValue(registry, 'netsidecar_sink_errors_total', { code: 'EISDIR' })) === 1, {
    timeoutMs: 5_000,
    intervalMs: 5,
    what: 'one EISDIR counted',
  });
  t.equal(sink.write({ logGroup: '/g', logStream: 'bad', timestamp: 0, message }), 'full', 'the failing file is at its share: its events are refused');
  t.not(sink.write({ logGroup: '/g', logStream: 'good', timestamp: 0, message }), 'full', 'other files still take events');
  const report = await sink.close(Date.now() + 100);
  t.same(report, { delivered: 1, pending: 5, pendingSpooled: false }, 'the undelivered lines are reported at shutdown');
  await flushed;
});
