import t from 'tap';
import { isSourceAddressStream } from '../src/commands/device-events.js';
import { syslogEvent, type Seed } from './support/fixtures.js';
import { seededSources } from './support/seeded.js';

// A syslog event whose host name the cap on new streams refused a stream of its own goes to its
// source address's stream and keeps its `host` (services/syslog, NETSIDECAR_SYSLOG_NEW_STREAMS_*).
// `logs --device` must find it there too, from the file sink and from CloudWatch alike.
const H = 3_600_000;
const t0 = Date.parse('2026-03-05T00:00:00.000Z');
const capped = (host: string, source: string, time: number, message: string): Seed => ({
  ...syslogEvent(host, time, message, { sourceIp: source }),
  stream: source.replace(/:/g, '_'),
});
const seeds: Seed[] = [
  syslogEvent('rtr-cap-1', t0, 'own stream, first'),
  capped('rtr-cap-1', '198.51.100.7', t0 + H, 'capped into the IPv4 source stream'),
  capped('rtr-noisy-9', '198.51.100.7', t0 + H + 1, 'another host in the same source stream'),
  syslogEvent('rtr-cap-1', t0 + 2 * H, 'own stream, second'),
  capped('rtr-cap-1', '2001:db8::7', t0 + 3 * H, 'capped into the IPv6 source stream'),
  syslogEvent('rtr-cap-10', t0 + 3 * H, 'a device whose name starts the same'),
  capped('rtr-cap-1', '198.51.100.7', t0 + 30 * H, 'capped, after the range'),
];

const range = ['--from', '2026-03-05', '--to', '2026-03-06'];
const { both } = await seededSources(t, 'capped', seeds);

t.test("a device's events capped into source address streams are found by its name, in time order", async (t) => {
  const { file, cloud } = await both(['logs', '--service', 'syslog', '--device', 'rtr-cap-1', ...range]);
  t.equal(file.code, 0, file.stderr);
  t.equal(cloud.code, 0, cloud.stderr);
  const lines = file.stdout
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as { host: string; message: string; sourceIp: string });
  t.same(
    lines.map((e) => e.message),
    ['own stream, first', 'capped into the IPv4 source stream', 'own stream, second', 'capped into the IPv6 source stream'],
  );
  t.ok(
    lines.every((e) => e.host === 'rtr-cap-1'),
    "no other host's event",
  );
  t.same(
    lines.map((e) => e.sourceIp),
    ['192.0.2.10', '198.51.100.7', '192.0.2.10', '2001:db8::7'],
  );
  t.equal(cloud.stdout, file.stdout, 'CloudWatch (with the name as a filter term) gives what the file sink gives');
});

t.test('CSV names the stream each event was found in', async (t) => {
  const { file, cloud } = await both(['logs', '--service', 'syslog', '--device', 'rtr-cap-1', ...range, '--format', 'csv']);
  t.equal(file.code, 0, file.stderr);
  const streams = file.stdout
    .split('\r\n')
    .slice(1, -1)
    .map((row) => row.split(',')[1]);
  t.same(streams, ['rtr-cap-1', '198.51.100.7', 'rtr-cap-1', '2001_db8__7']);
  t.equal(cloud.stdout, file.stdout);
});

t.test('a source address as the device: its stream, as before, once', async (t) => {
  const { file, cloud } = await both(['logs', '--service', 'syslog', '--device', '198.51.100.7', ...range]);
  t.equal(file.code, 0, file.stderr);
  t.same(
    file.stdout
      .split('\n')
      .slice(0, -1)
      .map((l) => (JSON.parse(l) as { message: string }).message),
    ['capped into the IPv4 source stream', 'another host in the same source stream'],
  );
  t.equal(cloud.stdout, file.stdout);
  const noisy = await both(['logs', '--service', 'syslog', '--device', 'rtr-noisy-9', ...range]);
  t.equal(noisy.file.code, 2, 'a host with neither a stream of its own is still an unknown device');
});

t.test('source address streams: IPv4 names and IPv6 names as toLogStreamName writes them, nothing else', async (t) => {
  for (const stream of ['198.51.100.7', '2001_db8__7', '2001_db8_0_0_0_0_0_1']) t.ok(isSourceAddressStream(stream), stream);
  for (const stream of ['rtr-cap-1', 'rtr_cap_1', '198.51.100', '2001:db8::7', 'a_b', '_', '300.1.1.1']) t.notOk(isSourceAddressStream(stream), stream);
});
