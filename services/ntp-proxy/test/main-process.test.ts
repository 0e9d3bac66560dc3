// The service as a process, the way `npm start` and ECS run it: configuration from the environment,
// the local default said loudly, /healthz and /metrics, and SIGTERM draining the last summaries.
import t from 'tap';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServiceProcess } from '@netsidecar/test-support/service-process';
import { clientRequest } from './support/packets.js';

/** The service's real main() as a process, on loopback with free ports. */
const startMain = (t: { teardown(fn: () => unknown): void }, env: Record<string, string>) =>
  startServiceProcess(t, 'services/ntp-proxy/src/main.ts', {
    NETSIDECAR_NTP_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_NTP_PORT: '0',
    NETSIDECAR_NTP_HEALTH_PORT: '0',
    ...env,
  });

t.test('an invalid variable stops the service with one line naming it', async (t) => {
  const service = await startMain(t, { NETSIDECAR_NTP_UPSTREAM: 'time.aws.com' });
  t.equal(await service.exited, 2);
  t.match(service.stderr(), /^netsidecar-ntp: NETSIDECAR_NTP_UPSTREAM: 'time.aws.com' is not an IP address/);
  t.equal(service.stderr().trim().split('\n').length, 1, 'one line');
});

t.test('npm start: the local clock, said loudly; ready; answers; SIGTERM drains and exits 0', async (t) => {
  const service = await startMain(t, { NETSIDECAR_SINK_FLUSH_INTERVAL: '60s' });
  const warning = await service.waitForLog(/THIS MACHINE'S OWN CLOCK/);
  t.equal(warning.level, 'warn');
  const listening = await service.waitForLog('listening');
  const started = await service.waitForLog('started');
  await service.waitForLog('synchronised');
  t.match(started, { service: 'ntp', logGroup: '/netsidecar/ntp', sink: 'file' });

  const health = await fetch(`http://127.0.0.1:${String(started.healthPort)}/healthz`);
  t.equal(health.status, 200);
  const metrics = await (await fetch(`http://127.0.0.1:${String(started.healthPort)}/metrics`)).text();
  t.match(metrics, /netsidecar_ntp_synchronised\{service="ntp"\} 1/);
  t.match(metrics, /netsidecar_ntp_stratum\{service="ntp"\} 10/);

  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const reply = once(socket, 'message');
  socket.send(clientRequest(), Number(listening.ntpPort), '127.0.0.1');
  const [message] = (await reply) as [Buffer];
  socket.close();
  t.equal(message[1], 10, 'stratum 10');
  t.equal(message.subarray(12, 16).toString('latin1'), 'LOCL');

  service.child.kill('SIGTERM');
  t.equal(await service.exited, 0, 'exits 0 after draining');
  const summaries = await readFile(join(service.dataDir, 'logs/netsidecar/ntp/127.0.0.1.jsonl'), 'utf8');
  t.match(
    JSON.parse(summaries.trim().split('\n').at(-1)!),
    { schema: 'ntp/1', type: 'client_summary', requests: 1 },
    'the last summary reached the sink before exit',
  );
  t.match(
    service.logs.find((line) => line.msg === 'drained'),
    { pending: 0 },
  );
});
