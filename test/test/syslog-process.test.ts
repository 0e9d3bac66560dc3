// The syslog service as a process, the way `npm start` and ECS run it: configuration from the
// environment, the file sink, and draining on SIGTERM.
import t from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';

const ports = syslogOnLoopback;

t.test('an invalid variable stops the service with one line naming it', async (t) => {
  const service = await spawnService(t, 'services/syslog/src/main.ts', { ...ports, NETSIDECAR_SYSLOG_UDP_PORT: 'five-five-one-four' });
  t.equal(await service.exited, 2);
  t.equal(service.stderr(), "netsidecar-syslog: NETSIDECAR_SYSLOG_UDP_PORT: expected an integer from 0 to 65535, got 'five-five-one-four'\n");
});

t.test('an unknown NETSIDECAR_SYSLOG_ variable is refused with a suggestion', async (t) => {
  const service = await spawnService(t, 'services/syslog/src/main.ts', { ...ports, NETSIDECAR_SYSLOG_MAX_CONNECTION: '10' });
  t.equal(await service.exited, 2);
  t.match(service.stderr(), /NETSIDECAR_SYSLOG_MAX_CONNECTION: unknown variable \(did you mean NETSIDECAR_SYSLOG_MAX_CONNECTIONS\?\)/);
});

// With parse workers, frames counted as received may still be in a worker at SIGTERM: the drain waits for them.
for (const workers of ['0', '2']) {
  t.test(`${workers} parse workers: SIGTERM: stop accepting, drain every accepted message to the sink, exit 0`, async (t) => {
    const service = await spawnService(t, 'services/syslog/src/main.ts', {
      ...ports,
      NETSIDECAR_SINK_FLUSH_INTERVAL: '60s',
      NETSIDECAR_SYSLOG_PARSE_WORKERS: workers,
    });
    const listening = await service.waitForLog('listening');
    const started = await service.waitForLog('started');
    const health = await fetch(`http://127.0.0.1:${started.healthPort}/healthz`);
    t.equal(health.status, 200);

    const socket = connect({ host: '127.0.0.1', port: listening.tcpPort as number });
    await once(socket, 'connect');
    const total = 2_000;
    let wire = '';
    for (let i = 0; i < total; i++) {
      const message = `<190>1 2026-11-22T14:00:00.000Z edge-1 app - - - message ${i}`;
      wire += `${Buffer.byteLength(message)} ${message}`;
    }
    socket.end(wire);
    await once(socket, 'close');
    // Accepted = parsed: wait until the service has read them all, then stop it before its 60 s flush.
    const received = new RegExp(`netsidecar_syslog_received_total\\{transport="tcp",service="syslog"\\} ${total}\\b`);
    await eventually(async () => received.test(await (await fetch(`http://127.0.0.1:${started.healthPort}/metrics`)).text()), {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: `the service to read the ${total} messages`,
    });
    t.equal(await service.stop('SIGTERM'), 0, 'exits 0 after draining');
    const events = (await service.fileEvents('netsidecar/syslog')).get('edge-1') ?? [];
    t.equal(events.length, total, 'nothing accepted is lost at shutdown');
    t.same(
      events.slice(-1).map((e) => e.message),
      [`message ${total - 1}`],
    );
    t.match(
      service.logs.find((l) => l.msg === 'listening'),
      { parseWorkers: Number(workers) },
    );
    t.match(
      service.logs.find((l) => l.msg === 'drained'),
      { pending: 0 },
    );
  });
}

t.test('a sink that cannot write turns /healthz not ready with the reason, and ready again after', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-e2e-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  // A file where the logs directory should be: every write fails with ENOTDIR/EEXIST until removed.
  await writeFile(join(dataDir, 'logs'), 'not a directory');
  const service = await spawnService(t, 'services/syslog/src/main.ts', { ...ports, NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_SINK_FLUSH_INTERVAL: '50ms' });
  const listening = await service.waitForLog('listening');
  const started = await service.waitForLog('started');
  const healthz = async () => {
    const response = await fetch(`http://127.0.0.1:${started.healthPort}/healthz`);
    return { status: response.status, body: await response.text() };
  };
  t.equal((await healthz()).status, 200);
  const udp = createSocket('udp4');
  t.teardown(() => udp.close());
  udp.send('<190>1 2026-11-22T14:00:00.000Z edge-9 app - - - kept while the disk fails', listening.udpPort as number, '127.0.0.1');
  const failing = await eventually(
    async () => {
      const health = await healthz();
      return health.status !== 200 && health;
    },
    { timeoutMs: 10_000, what: '/healthz to turn not ready' },
  );
  t.equal(failing.status, 503);
  t.match(failing.body, /sink: writes under .* failing \((ENOTDIR|EEXIST)\); retrying/);
  await rm(join(dataDir, 'logs'));
  await eventually(async () => (await healthz()).status === 200, {
    timeoutMs: 30_000,
    what: '/healthz to turn ready again (the sink retries after 1 s, then 2 s)',
  });
  t.equal(await service.stop('SIGTERM'), 0);
  const events = (await service.fileEvents('netsidecar/syslog')).get('edge-9') ?? [];
  t.same(
    events.map((e) => e.message),
    ['kept while the disk fails'],
    'the accepted event was written once the disk recovered',
  );
});
