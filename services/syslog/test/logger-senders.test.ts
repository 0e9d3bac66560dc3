// Real senders: util-linux `logger` over every transport and framing it offers, into the running
// service, out of the file sink.
import t from 'tap';
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import { startTestSyslog, startTestSyslogWithIo, udpIoModes } from './harness.js';

const run = promisify(execFile);
const host = hostname();

async function logger(args: string[]): Promise<void> {
  await run('logger', args, { timeout: 10_000 });
}

// The UDP cases run under each way of reading UDP (NETSIDECAR_SYSLOG_UDP_IO).
for (const io of udpIoModes) {
  t.test(`${io}: logger --udp --rfc5424 with structured data and msgid`, async (t) => {
    const syslog = await startTestSyslogWithIo(t, io);
    await logger([
      '--udp',
      '--server',
      '127.0.0.1',
      '--port',
      String(syslog.service.udpPort),
      '--rfc5424',
      '-p',
      'local4.warning',
      '-t',
      'bgpd',
      '--id=4242',
      '--msgid',
      'ADJCHANGE',
      '--sd-id',
      'peer@32473',
      '--sd-param',
      'addr="10.1.1.1"',
      'neighbor 10.1.1.1 Down',
    ]);
    const [event] = await syslog.waitForEvents(1);
    t.ok(event);
    t.match(event, {
      schema: 'syslog/1',
      transport: 'udp',
      sourceIp: '127.0.0.1',
      facility: 20,
      severity: 4,
      facilityName: 'local4',
      severityName: 'warning',
      host,
      app: 'bgpd',
      procId: '4242',
      msgId: 'ADJCHANGE',
      message: 'neighbor 10.1.1.1 Down',
      structuredData: { 'peer@32473': { addr: '10.1.1.1' } },
    });
    t.match(event!.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'RFC 5424 time carries its offset: converted to UTC');
    t.ok(Math.abs(Date.parse(event!.timestamp!) - Date.parse(event!.receivedAt)) < 60_000);
    t.match(event!.raw, /^<164>1 /);
    t.equal(await syslog.metric('netsidecar_syslog_received_total', { transport: 'udp' }), 1);
    t.equal(await syslog.metric('netsidecar_syslog_parsed_total', { format: 'rfc5424' }), 1);
  });

  t.test(`${io}: the stream is the device name; without a host it is the source IP`, async (t) => {
    const syslog = await startTestSyslogWithIo(t, io);
    await logger(['--udp', '--server', '127.0.0.1', '--port', String(syslog.service.udpPort), '--rfc5424=nohost', 'anonymous']);
    const events = await syslog.waitForEvents(1, '127.0.0.1');
    t.equal(events.length, 1);
    t.equal(events[0]!.host, null);
  });

  t.test(`${io}: bound to ::, an IPv4 sender is reported as IPv4 and an IPv6 one as IPv6`, async (t) => {
    // Parsed on the reading thread (no workers): the source address comes straight from the reader.
    const syslog = await startTestSyslogWithIo(t, io, { NETSIDECAR_SYSLOG_BIND_ADDRESS: '::', NETSIDECAR_SYSLOG_PARSE_WORKERS: '0' });
    for (const server of ['127.0.0.1', '::1']) {
      await logger(['--udp', '--server', server, '--port', String(syslog.service.udpPort), '--rfc5424=nohost', `from ${server}`]);
    }
    const events = await syslog.waitForEvents(2);
    t.same(
      events.map((e) => [e.message, e.sourceIp]).sort(),
      [
        ['from 127.0.0.1', '127.0.0.1'],
        ['from ::1', '::1'],
      ],
      'the IPv4-mapped address (::ffff:127.0.0.1) is reported as 127.0.0.1',
    );
  });
}

t.test('logger --tcp --octet-count --rfc5424, several messages on one connection, in order', async (t) => {
  const syslog = await startTestSyslog(t);
  const lines = ['first', 'second line', 'third: with = signs and [brackets]'];
  await run(
    'sh',
    [
      '-c',
      `printf '%s\\n' "${lines.join('" "')}" | logger --tcp --octet-count --server 127.0.0.1 --port ${syslog.service.tcpPort} --rfc5424 -p auth.notice -t sshd`,
    ],
    { timeout: 10_000 },
  );
  const events = await syslog.waitForEvents(3, host);
  t.same(
    events.map((e) => e.message),
    lines,
  );
  t.same(
    events.map((e) => [e.transport, e.facility, e.severity, e.app]),
    lines.map(() => ['tcp', 4, 5, 'sshd']),
  );
});

t.test('logger --tcp --rfc3164 (LF framing): BSD line, device time without zone stays null', async (t) => {
  const syslog = await startTestSyslog(t);
  await logger([
    '--tcp',
    '--server',
    '127.0.0.1',
    '--port',
    String(syslog.service.tcpPort),
    '--rfc3164',
    '-p',
    'daemon.err',
    '-t',
    'ntpd',
    'no servers reachable',
  ]);
  const [event] = await syslog.waitForEvents(1);
  t.match(event, { transport: 'tcp', facility: 3, severity: 3, app: 'ntpd', message: 'no servers reachable', timestamp: null });
  t.match(event!.timestampRaw, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d$/);
});
