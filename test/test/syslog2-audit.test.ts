// syslog/2 end to end: the real syslog service (NETSIDECAR_SYSLOG_SCHEMA=2) with the file sink and
// with the CloudWatch sink (wire-level test server), then the audit CLI's export of what they
// stored. The export must be the syslog/1 event of each line, byte for byte what the parser makes
// of it, `raw` included (rebuilt where the service left it out), and `receivedAt` (from `rt`, or the
// CloudWatch event time where the service left it out).
import t, { type Test } from 'tap';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from '@netsidecar/audit';
import { parseSyslog } from '@netsidecar/syslog';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { spawnService, type SpawnedService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';
import { eventually } from '@netsidecar/test-support/eventually';

/** What routers send, and what syslog/2 must still give back: rebuilt lines, kept ones, no PRI, bad UTF-8. */
const lines: Buffer[] = [
  '<189>65: rtr-tyo-1: Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
  '<189>66: rtr-tyo-1: Nov 22 23:00:00.003 JST: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.9.9.9)',
  '<28>1 2026-11-22T14:00:11.000Z rtr-osa-2 mib2d 2345 SNMP_TRAP_LINK_DOWN [junos@2636.1.1.1.2.18 snmp-interface-index="512" interface-name="ge-0/0/1"] ifIndex 512, ifOperStatus down(2)',
  "<38>Nov 22 14:00:12 rtr-osa-2 sshd[4242]: SSHD_LOGIN_FAILED: Login failed for user 'root' from host '10.9.9.9'",
  '<13>Nov 22 14:00:13 rtr-osa-2 app: a trailing newline the event cannot rebuild\n',
  'no PRI at all: a relay takes it for user.notice',
].map((line) => Buffer.from(line));
lines.push(Buffer.concat([Buffer.from('<13>Nov 22 14:00:14 rtr-osa-2 app: latin-1 '), Buffer.from([0xe9, 0xff])]));

/** Sends the lines over TCP with octet counting (in order, nothing lost); resolves with the client's port. */
async function send(port: number): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  const sourcePort = socket.localPort!;
  socket.end(Buffer.concat(lines.flatMap((line) => [Buffer.from(`${line.length} `), line])));
  await once(socket, 'close');
  return sourcePort;
}

async function audit(argv: string[], env: Record<string, string>, fake?: FakeCloudWatchLogs): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let stderr = '';
  const code = await main({
    argv,
    env,
    stdout,
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    now: () => Date.now(),
    ...(fake ? { cloudWatchClient: () => cloudWatchLogsClientFor(fake) } : {}),
  });
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr };
}

/** The audit export must be, line for line, the syslog/1 event the parser makes of each line sent. */
function checkExport(t: Test, exported: string, sourcePort: number): void {
  const events = exported.split('\n').slice(0, -1);
  t.equal(events.length, lines.length, 'one exported event per line sent');
  const unmatched = new Set(lines);
  for (const text of events) {
    const e = JSON.parse(text) as { schema: string; receivedAt: string; raw?: string; rawBase64?: string };
    t.equal(e.schema, 'syslog/1', 'exported as the syslog/1 event it stands for');
    const line = [...unmatched].find((l) => (e.raw !== undefined ? l.toString('utf8') === e.raw : l.toString('base64') === e.rawBase64));
    if (!t.ok(line, `raw is a line that was sent: ${e.raw ?? e.rawBase64}`)) continue;
    unmatched.delete(line!);
    const { event } = parseSyslog(line!, { receivedAt: new Date(e.receivedAt), sourceIp: '127.0.0.1', sourcePort, transport: 'tcp' });
    t.equal(text, JSON.stringify(event), 'byte for byte the syslog/1 event (NETSIDECAR_SYSLOG_SCHEMA=1)');
  }
  t.equal(unmatched.size, 0, 'every line sent is exported');
}

const schema2 = { ...syslogOnLoopback, NETSIDECAR_SYSLOG_SCHEMA: '2', NETSIDECAR_SINK_FLUSH_INTERVAL: '100ms' };
const range = () => ['--from', new Date(Date.now() - 3_600_000).toISOString(), '--to', new Date(Date.now() + 60_000).toISOString()];

t.test('file sink: syslog/2 lines with the receive time (rt); the audit export is every syslog/1 event, raw rebuilt', async (t) => {
  const service: SpawnedService = await spawnService(t, 'services/syslog/src/main.ts', schema2);
  const listening = await service.waitForLog('listening');
  await service.waitForLog('started');
  const sourcePort = await send(listening.tcpPort as number);
  const read = async () => [...(await service.fileEvents('netsidecar/syslog')).values()].flat();
  const stored = await eventually(
    async () => {
      const events = await read();
      return events.length >= lines.length ? events : false;
    },
    { timeoutMs: 20_000, intervalMs: 50, what: 'every line in the file sink' },
  );
  t.equal(stored.length, lines.length, 'every line stored');
  t.ok(
    stored.every((e) => e.v === 2 && Number.isSafeInteger(e.rt) && !('receivedAt' in e) && !('schema' in e)),
    'stored as syslog/2, the receive time kept as rt (the file has no event time)',
  );
  t.equal(stored.filter((e) => 'raw' in e || 'rawBase64' in e).length, 2, 'raw kept only where the fields cannot rebuild it');
  t.equal(await service.stop(), 0);

  const out = await audit(['logs', '--service', 'syslog', ...range()], { NETSIDECAR_DATA_DIR: service.dataDir });
  t.equal(out.code, 0, out.stderr);
  checkExport(t, out.stdout, sourcePort);

  // CSV: the syslog/1 columns, filled from the syslog/2 event (receivedAt, the names of the numbers).
  const csv = await audit(['logs', '--service', 'syslog', '--device', 'rtr-tyo-1', '--format', 'csv', ...range()], { NETSIDECAR_DATA_DIR: service.dataDir });
  t.equal(csv.code, 0, csv.stderr);
  const [header, first] = csv.stdout.split('\r\n');
  t.equal(header, 'receivedAt,stream,sourceIp,sourcePort,transport,facility,facilityName,severity,severityName,timestamp,host,app,procId,msgId,message');
  t.match(first, /^\d{4}-\d\d-\d\dT[\d:.]+Z,rtr-tyo-1,127\.0\.0\.1,\d+,tcp,23,local7,5,notice,2026-11-22T14:00:00\.003Z,rtr-tyo-1,,,LINK-3-UPDOWN,/);
});

t.test('CloudWatch sink: syslog/2 with rt equal to the event time; the audit export gives back syslog/1', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  const service = await spawnService(t, 'services/syslog/src/main.ts', {
    ...schema2,
    NETSIDECAR_SINK: 'cloudwatch',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDNETSIDECARTEST',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
  });
  const listening = await service.waitForLog('listening');
  await service.waitForLog('started');
  const sourcePort = await send(listening.tcpPort as number);
  const stored = () => ['rtr-tyo-1', 'rtr-osa-2', '127.0.0.1'].flatMap((stream) => fake.events('/netsidecar/syslog', stream));
  await eventually(() => stored().length >= lines.length, { timeoutMs: 20_000, what: 'every line in CloudWatch' });
  t.equal(await service.stop(), 0);
  const messages = stored().map((e) => JSON.parse(e.message) as Record<string, unknown>);
  t.ok(
    messages.every((e) => e.v === 2 && !('schema' in e)),
    'stored as syslog/2',
  );
  t.ok(
    stored().every((e) => (JSON.parse(e.message) as { rt: number }).rt === e.timestamp),
    'the receive time kept as rt, equal to the CloudWatch event time',
  );
  t.ok(
    messages.every((e) => !('facilityName' in e) && !('severityName' in e)),
    'no names the numbers give',
  );

  const out = await audit(['logs', '--service', 'syslog', '--source', 'cloudwatch', ...range()], { AWS_REGION: 'eu-west-1' }, fake);
  t.equal(out.code, 0, out.stderr);
  checkExport(t, out.stdout, sourcePort);
  const exportedTimes = out.stdout
    .split('\n')
    .slice(0, -1)
    .map((l) => Date.parse((JSON.parse(l) as { receivedAt: string }).receivedAt))
    .sort();
  t.same(
    exportedTimes,
    stored()
      .map((e) => e.timestamp)
      .sort(),
    'receivedAt is the CloudWatch event time',
  );

  // The evidence bundle holds the same syslog/1 events.
  const evidence = await audit(['evidence', '--source', 'cloudwatch', '--out', `${service.dataDir}/bundle`, ...range()], { AWS_REGION: 'eu-west-1' }, fake);
  t.equal(evidence.code, 0, evidence.stderr);
  const tyo = await readFile(`${service.dataDir}/bundle/syslog/rtr-tyo-1.jsonl`, 'utf8');
  t.equal(
    tyo,
    out.stdout
      .split('\n')
      .filter((l) => l.includes('"host":"rtr-tyo-1"'))
      .map((l) => l + '\n')
      .join(''),
    'the bundle file of a device: its exported syslog/1 events',
  );
});
