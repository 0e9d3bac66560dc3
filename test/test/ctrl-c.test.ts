// Issue 13, point 1: Ctrl-C in the terminal of `npm start`. The terminal sends SIGINT to the whole
// process group, the launcher (scripts/start-local.mjs) and every service; one request to stop must
// be one drain, so every buffered event reaches the file sink. Only a deliberate second Ctrl-C (more
// than a second later) cuts the drain short, and then the service says what it leaves undelivered.
import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameOf } from '@netsidecar/sink';
import { eventually, within } from '@netsidecar/test-support/eventually';
import { spawnService, type SpawnedService } from './support/spawn-service.js';
import { describe, tally } from './support/tally.js';
import { numbersInFileSink, syslogOnLoopback } from './support/syslog-env.js';

// Two processes started (the launcher, and syslog compiled from TypeScript), twice, on a shared machine.
t.setTimeout(300_000);

/** `node scripts/start-local.mjs --from-source syslog` in a process group of its own, as a terminal runs it. */
function launch(t: Test, env: Record<string, string>): Promise<SpawnedService> {
  return spawnService(t, 'scripts/start-local.mjs', { ...syslogOnLoopback, ...env }, { args: ['--from-source', 'syslog'], detached: true });
}

async function sendNumbered(port: number, host: string, total: number): Promise<void> {
  let wire = '';
  for (let i = 0; i < total; i++) wire += `<190>1 2026-11-22T14:00:00.000Z ${host} app - - - n=${i}\n`;
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.end(wire);
  await once(socket, 'close');
}

/** Until the service counts `total` received over TCP: they are accepted, buffered in the sink. */
async function waitReceived(healthPort: number, total: number): Promise<void> {
  const pattern = new RegExp(`netsidecar_syslog_received_total\\{transport="tcp",service="syslog"\\} ${total}\\b`);
  await eventually(async () => pattern.test(await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text()), {
    timeoutMs: 30_000,
    intervalMs: 20,
    what: `the service to receive ${total} lines`,
  });
}

t.test('Ctrl-C (SIGINT to the process group) drains every buffered line to the file sink, exit 0', async (t) => {
  // 60 s flush interval: at Ctrl-C every line is still in the sink's memory, only the drain writes it.
  const run = await launch(t, { NETSIDECAR_SINK_FLUSH_INTERVAL: '60s' });
  const listening = await run.waitForLog('listening');
  const started = await run.waitForLog('started');
  const total = 1_000;
  await sendNumbered(listening.tcpPort as number, 'edge-1', total);
  await waitReceived(started.healthPort as number, total);
  process.kill(-run.child.pid!, 'SIGINT');
  const code = await within(run.exited, { timeoutMs: 60_000, what: 'the launcher to exit after Ctrl-C' });
  const result = tally(total, await numbersInFileSink(run.dataDir, 'edge-1'));
  t.comment(describe('point 1, Ctrl-C', result));
  t.same(result, { sent: total, delivered: total, duplicated: 0, lost: 0, holes: [] }, 'every line once');
  t.equal(code, 0, 'the launcher exits 0: every service drained and exited 0');
  t.equal(run.logs.filter((l) => l.service === 'syslog' && l.msg === 'shutting down: no longer accepting, draining').length, 1, 'one drain');
  t.match(
    run.logs.find((l) => l.service === 'syslog' && l.msg === 'drained'),
    { pending: 0 },
  );
});

t.test('a second Ctrl-C more than a second later cuts the drain short and says what it leaves', async (t) => {
  const run = await launch(t, { NETSIDECAR_SINK_FLUSH_INTERVAL: '60s', NETSIDECAR_SHUTDOWN_DEADLINE: '100s' });
  // A directory where edge-stuck's file belongs: its lines can never be written, so the drain would
  // retry them until its deadline.
  await mkdir(join(run.dataDir, 'logs/netsidecar/syslog', fileNameOf('edge-stuck')), { recursive: true });
  const listening = await run.waitForLog('listening');
  const started = await run.waitForLog('started');
  await sendNumbered(listening.tcpPort as number, 'edge-ok', 300);
  await sendNumbered(listening.tcpPort as number, 'edge-stuck', 200);
  await waitReceived(started.healthPort as number, 500);
  process.kill(-run.child.pid!, 'SIGINT');
  const first = await run.waitForLog('shutting down: no longer accepting, draining');
  // The drain is under way (edge-ok written, edge-stuck failing); the rule is about wall time, so
  // the second press waits out the second the first one is given.
  await run.waitForLog('file sink write failed; retrying this file with backoff, the others go on');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(first.time as string) + 1_100 - Date.now())));
  process.kill(-run.child.pid!, 'SIGINT');
  const code = await within(run.exited, { timeoutMs: 30_000, what: 'the second Ctrl-C to stop it well before the 100 s deadline' });
  t.equal(code, 1, 'a drain cut short is a failure');
  t.match(
    run.logs.find((l) => l.service === 'syslog' && l.msg === 'second request to stop: exiting before the drain finished'),
    {
      level: 'error',
      signal: 'SIGINT',
      undeliveredEvents: 200,
      sink: 'file',
    },
    "it says how many accepted events it leaves: exactly the stuck device's",
  );
  t.same(
    tally(300, await numbersInFileSink(run.dataDir, 'edge-ok')),
    { sent: 300, delivered: 300, duplicated: 0, lost: 0, holes: [] },
    'the other device was written',
  );
});
