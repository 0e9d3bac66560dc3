// Devices whose stream names the file sink cannot use as file names as they are (too long for the
// file system, or with `%` or `/`): the file sink maps them, and the audit still lists them by their
// names and finds their events.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FileSink, toLogStreamName } from '@netsidecar/sink';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import { syslogEvent } from './support/fixtures.js';
import { runAudit } from './support/run.js';

const long = `core-${'x'.repeat(400)}.example.net`;
const percent = 'rtr-50%-a/b';
const dir = await mkdtemp(join(tmpdir(), 'audit-names-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
// Written by the real file sink, so the names are exactly what a service leaves.
const sink = new FileSink({ dataDir: dir, registry: createRegistry('test'), logger: silentLogger });
const start = Date.parse('2026-03-01T00:00:00.000Z');
for (let i = 0; i < 3; i++) {
  for (const host of [long, percent, 'rtr-tyo-1']) {
    const seed = syslogEvent(host, start + i * 60_000, `line ${i} of ${host.slice(0, 12)}`);
    sink.write({ logGroup: seed.group, logStream: toLogStreamName(host), timestamp: seed.timestamp, message: seed.message });
  }
}
await sink.close(Date.now() + 5_000);
const file = ['--source', 'file', '--data-dir', dir];

t.test('the file names are mapped: none is the raw stream name of the two odd devices', async (t) => {
  const names = await readdir(join(dir, 'logs/netsidecar/syslog'));
  t.equal(names.length, 4, 'three .jsonl files and the .name of the hashed one');
  t.ok(names.every((n) => Buffer.byteLength(n) <= 255));
  t.ok(names.includes('rtr-50%25-a_b.jsonl'), '% escaped (the / was already _ in the stream name)');
});

t.test('a device with a 420-character name: found by its name, all its events', async (t) => {
  const result = await runAudit(['logs', '--service', 'syslog', '--device', long, '--from', '2026-03-01', '--to', '2026-03-02', ...file]);
  t.equal(result.code, 0, result.stderr);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { host: string; message: string });
  t.same(
    lines.map((l) => l.message),
    [0, 1, 2].map((i) => `line ${i} of ${long.slice(0, 12)}`),
  );
  t.ok(lines.every((l) => l.host === long));
});

t.test('a device with % in its name: found by its name', async (t) => {
  const result = await runAudit(['logs', '--service', 'syslog', '--device', percent, '--from', '2026-03-01', '--to', '2026-03-02', '--format', 'csv', ...file]);
  t.equal(result.code, 0, result.stderr);
  t.equal(result.stdout.split('\r\n').length - 2, 3, 'three rows after the header');
  t.match(result.stdout, /,rtr-50%-a_b,/, 'the stream column is the stream name, not the file name');
});

t.test('listing (silence) names the devices by their stream names', async (t) => {
  const result = await runAudit(['silence', '--at', '2026-03-02T00:00:00Z', '--threshold', '1h', '--format', 'jsonl', ...file]);
  t.equal(result.code, 3, result.stderr);
  const devices = result.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { device: string }).device)
    .sort();
  // Stream names are bounded (packages/sink: 255 characters, then `~` and a hash): the listing gives
  // the stream name, which for the long one is its bounded form.
  t.same(devices, [toLogStreamName(long), 'rtr-50%-a_b', 'rtr-tyo-1'].sort());
  t.ok(toLogStreamName(long).length <= 255 && toLogStreamName(long).startsWith('core-xxx'), 'the long name, bounded');
});
