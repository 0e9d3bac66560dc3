import t from 'tap';
import { dataset } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { seededSources } from './support/seeded.js';

// The same events in the file sink and in (fake) CloudWatch must export identically, byte for byte:
// order, the IPv6 stream name, the event over 1 MB that CloudWatch holds as parts.
const seeds = dataset();
const { data: dir, fake, both } = await seededSources(t, 'logs', seeds);

t.test('syslog of all devices, JSON lines: the same from both sources, parts joined', async (t) => {
  const { file, cloud } = await both(['logs', '--service', 'syslog', '--from', '2026-03-01', '--to', '2026-03-06']);
  t.equal(file.code, 0, file.stderr);
  t.equal(cloud.code, 0, cloud.stderr);
  const expected = seeds
    .filter((s) => s.group === '/netsidecar/syslog')
    .sort((a, b) => a.timestamp - b.timestamp || (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const lines = file.stdout.split('\n').slice(0, -1);
  t.equal(lines.length, expected.length);
  t.same(
    lines,
    expected.map((s) => s.message),
    'file source: every event, in time then stream order',
  );
  t.ok(
    lines.some((l) => l.length > 1_500_000),
    'the big event is one line',
  );
  t.ok(fake.events('/netsidecar/syslog', 'rtr-tyo-1').filter((e) => e.message.startsWith('{"schema":"part/1"')).length >= 2, 'CloudWatch holds it as parts');
  t.equal(cloud.stdout, file.stdout, 'CloudWatch export equals the file export');
  t.ok(fake.calls('FilterLogEvents').length > 1, 'FilterLogEvents was paged');
});

t.test('one device, a sub-range, CSV: the same from both sources', async (t) => {
  const { file, cloud } = await both([
    'logs',
    '--service',
    'syslog',
    '--device',
    '2001:db8::1',
    '--from',
    '2026-03-02T00:00:00Z',
    '--to',
    '2026-03-03T00:00:00Z',
    '--format',
    'csv',
  ]);
  t.equal(file.code, 0, file.stderr);
  t.equal(cloud.code, 0, cloud.stderr);
  const rows = file.stdout.split('\r\n').slice(0, -1);
  t.match(rows[0], /^receivedAt,stream,sourceIp,/);
  t.equal(rows.length, 1 + 8, 'header + one event every 3 hours');
  t.match(rows[1], /^2026-03-02T00:00:01\.000Z,2001_db8__1,2001:db8::1,/);
  t.equal(cloud.stdout, file.stdout);
});

t.test('CSV neutralises formulas and quotes', async (t) => {
  const { file } = await both([
    'logs',
    '--service',
    'syslog',
    '--device',
    'rtr-osa-2',
    '--from',
    '2026-03-01',
    '--to',
    '2026-03-01T01:00:00Z',
    '--format',
    'csv',
  ]);
  t.equal(file.code, 0, file.stderr);
  t.match(file.stdout, `"'=cmd|' /C calc'!A0 0, ""quoted"""`);
});

t.test('ntp of every stream: the same from both sources', async (t) => {
  const { file, cloud } = await both(['logs', '--service', 'ntp', '--from', '2026-03-01', '--to', '2026-03-10']);
  t.equal(file.code, 0, file.stderr);
  t.equal(cloud.code, 0, cloud.stderr);
  t.equal(file.stdout.split('\n').length - 1, seeds.filter((s) => s.group === '/netsidecar/ntp').length);
  t.equal(cloud.stdout, file.stdout);
});

t.test('progress on a terminal only', async (t) => {
  const args = ['logs', '--service', 'ntp', '--from', '2026-03-01', '--to', '2026-03-10', '--data-dir', dir];
  const quiet = await runAudit(args);
  t.equal(quiet.stderr, '', 'not a TTY: nothing on stderr');
  const tty = await runAudit(args, { tty: true });
  t.match(tty.stderr, /\r\x1b\[2Kntp: 256 events, at 2026-03-0/);
  t.match(tty.stderr, /\r\x1b\[2K[\d,]+ events\n$/, 'the line is cleared, then the count');
  t.equal(tty.stdout, quiet.stdout);
});
