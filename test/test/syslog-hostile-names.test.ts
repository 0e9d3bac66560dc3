// Issue 13, point 2: one device with a hostname too long for a file name must not stop the file sink
// (the default `npm start` sink) for every other device. The real service, numbered lines over TCP
// from a 600-character hostname and from ordinary devices; every line counted at the end.
import t from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { toLogStreamName } from '@netsidecar/sink';
import { eventually } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';

const ports = syslogOnLoopback;

t.test("a 600-character hostname: its lines and every other device's are written, /healthz stays ready", async (t) => {
  const service = await spawnService(t, 'services/syslog/src/main.ts', { ...ports, NETSIDECAR_SINK_FLUSH_INTERVAL: '50ms' });
  const listening = await service.waitForLog('listening');
  const started = await service.waitForLog('started');
  const long = `h${'o'.repeat(598)}t`;
  const hosts = ['rtr-a', long, 'rtr-b', 'sw%1'];
  const perHost = 250;
  let wire = '';
  for (let i = 0; i < perHost; i++) for (const host of hosts) wire += `<190>1 2026-11-22T14:00:00.000Z ${host} app - - - ${host.slice(0, 8)} ${i}\n`;
  const socket = connect({ host: '127.0.0.1', port: listening.tcpPort as number });
  await once(socket, 'connect');
  socket.end(wire);
  await once(socket, 'close');

  // Bounded wait for every line in the files; the numbers say what is missing if it never comes.
  const count = async () => {
    const byStream = await service.fileEvents('netsidecar/syslog');
    return hosts.map((host) => byStream.get(toLogStreamName(host))?.length ?? 0);
  };
  const counts = await eventually(
    async () => {
      const now = await count();
      if (now.some((n) => n < perHost)) throw new Error(`per host ${now.join('/')}`);
      return now;
    },
    { timeoutMs: 15_000, intervalMs: 50, what: `${perHost} lines of every device in the files` },
  );
  const sent = hosts.length * perHost;
  const delivered = counts.reduce((a, b) => a + b, 0);
  t.comment(`point 2: sent ${sent}, delivered ${delivered}, lost ${sent - delivered} (per host ${counts.join('/')})`);
  t.same(
    counts,
    hosts.map(() => perHost),
    'every line of every device, the 600-character one included',
  );
  const health = await fetch(`http://127.0.0.1:${started.healthPort}/healthz`);
  t.equal(health.status, 200, 'still ready');
  const metrics = await (await fetch(`http://127.0.0.1:${started.healthPort}/metrics`)).text();
  t.notMatch(metrics, /netsidecar_sink_errors_total\{code=/, 'no write error at all');
  t.equal(await service.stop('SIGTERM'), 0);
  const byStream = await service.fileEvents('netsidecar/syslog');
  for (const host of hosts) {
    const events = byStream.get(toLogStreamName(host)) ?? [];
    const numbers = events.map((e) => Number(String(e.message).split(' ')[1]));
    t.same(numbers, [...Array(perHost).keys()], `${host.slice(0, 12)}: each line once, in order`);
  }
});
