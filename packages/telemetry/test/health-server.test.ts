import t from 'tap';
import { Readiness, counter, createRegistry, startHealthServer } from '@netsidecar/telemetry';

t.test('/healthz follows the readiness checks and /metrics serves Prometheus text', async (t) => {
  const registry = createRegistry('syslog');
  const readiness = new Readiness();
  let sinkReason: string | null = null;
  readiness.add('sink', () => sinkReason);
  counter(registry, 'netsidecar_syslog_received_total', 'messages received', ['transport']).inc({ transport: 'udp' }, 3);
  const server = await startHealthServer({ port: 0, host: '127.0.0.1', registry, readiness });
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${server.port}`;

  let res = await fetch(`${base}/healthz`);
  t.equal(res.status, 200);
  t.same(await res.json(), { status: 'ready' });

  sinkReason = 'spool full';
  res = await fetch(`${base}/healthz`);
  t.equal(res.status, 503);
  t.same(await res.json(), { status: 'not ready', reasons: ['sink: spool full'] });

  sinkReason = null;
  readiness.markShuttingDown();
  res = await fetch(`${base}/healthz`);
  t.equal(res.status, 503);
  t.match(await res.json(), { reasons: ['shutting down'] });

  res = await fetch(`${base}/metrics`);
  t.equal(res.status, 200);
  t.match(await res.text(), /netsidecar_syslog_received_total\{transport="udp",service="syslog"\} 3/);

  res = await fetch(`${base}/nope`);
  t.equal(res.status, 404);
  res = await fetch(`${base}/healthz`, { method: 'POST' });
  t.equal(res.status, 405);
});

t.test('it binds the address it is given, and says which', async (t) => {
  const registry = createRegistry('config');
  const loopback = await startHealthServer({ port: 0, host: '127.0.0.1', registry, readiness: new Readiness() });
  t.teardown(() => loopback.close());
  t.equal(loopback.address, '127.0.0.1');
  t.equal((await fetch(`http://127.0.0.1:${loopback.port}/healthz`)).status, 200);
  const every = await startHealthServer({ port: 0, registry, readiness: new Readiness() });
  t.teardown(() => every.close());
  t.equal(every.address, '0.0.0.0', 'every IPv4 address when no host is given, as before');
});
