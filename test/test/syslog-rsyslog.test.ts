// rsyslog forwarding (omfwd) to the syslog service, over UDP (RFC 5424 template) and TCP with
// octet-counted framing (traditional template), as a Linux host or a log relay would send.
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';

const run = promisify(execFile);

async function startRsyslog(t: { teardown(fn: () => unknown): void }, actions: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-rsyslog-'));
  const socket = join(dir, 'log.sock');
  const conf = join(dir, 'rsyslog.conf');
  await writeFile(
    conf,
    [
      `global(workDirectory="${dir}" maxMessageSize="64k")`,
      // Input from a private Unix socket (logger -u), never the system's /dev/log.
      'module(load="imuxsock" SysSock.Use="off")',
      `input(type="imuxsock" Socket="${socket}" CreatePath="on")`,
      actions,
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  t.teardown(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dir, { recursive: true, force: true });
  });
  // rsyslog creates the socket when its input is ready.
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode})`);
      await run('test', ['-S', socket]);
      return true;
    },
    { timeoutMs: 10_000, intervalMs: 20, what: "rsyslogd's socket" },
  ).catch((err: Error) => {
    throw new Error(`rsyslogd did not start: ${err.message}; its stderr: ${stderr}`, { cause: err });
  });
  return socket;
}

t.test('rsyslog omfwd over UDP (RFC 5424) and TCP octet-counted (traditional) arrive as events', async (t) => {
  const service = await spawnService(t, 'services/syslog/src/main.ts', syslogOnLoopback);
  const listening = await service.waitForLog('listening');
  const socket = await startRsyslog(
    t,
    [
      `action(type="omfwd" target="127.0.0.1" port="${listening.udpPort}" protocol="udp" template="RSYSLOG_SyslogProtocol23Format")`,
      `action(type="omfwd" target="127.0.0.1" port="${listening.tcpPort}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_TraditionalForwardFormat")`,
    ].join('\n'),
  );
  await run('logger', ['-u', socket, '-p', 'local7.err', '-t', 'bgpd', 'BGP neighbor 192.0.2.1 Down hold time expired']);

  const events = await eventually(
    async () => {
      const all = [...(await service.fileEvents('netsidecar/syslog')).values()].flat();
      if (all.length < 2) throw new Error(`${all.length} events`);
      return all;
    },
    { timeoutMs: 15_000, intervalMs: 50, what: 'the UDP and the TCP event' },
  );
  const host = hostname();
  const udp = events.find((e) => e.transport === 'udp');
  const tcp = events.find((e) => e.transport === 'tcp');
  // syslog/2 (the default): local7.err as numbers, no null fields.
  t.match(udp, { v: 2, host, app: 'bgpd', facility: 23, severity: 3, message: 'BGP neighbor 192.0.2.1 Down hold time expired' });
  t.match(udp?.timestamp, /Z$/, 'RFC 5424 time from rsyslog is converted to UTC');
  t.match(tcp, { v: 2, host, app: 'bgpd', facility: 23, severity: 3, message: 'BGP neighbor 192.0.2.1 Down hold time expired' });
  t.notOk(tcp && 'timestamp' in tcp, 'a BSD time without a zone cannot be known: no timestamp');
  t.equal(await service.stop(), 0);
});
