// The syslog service as a process writes the same events with its C line encoder as without it
// (NETSIDECAR_SYSLOG_NATIVE_ENCODER=false): the bench corpus and lines of other vendors over TCP,
// read back from the file sink. Only the receive time (`rt`) and the sender's port differ between the
// two runs.
import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { eventually } from '@netsidecar/test-support/eventually';
import { buildCorpus } from '../../bench/lib/corpus.mjs';
import { spawnService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';

const corpus = buildCorpus({ lines: 3_000, devices: 20, seed: 7, when: new Date('2026-11-22T14:00:00.000Z') });
const others = [
  '<189>Nov 22 14:00:00 bigip1 err mcpd[5678]: 01070151:3: Rule /Common/x failed',
  '<190>date=2026-11-22 time=14:00:00 devname="fw1" eventtime=1795356000123456789 logid="0000000013" msg="x"',
  '<189>65: 000065: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: sequence number (TypeScript)',
  '<165>1 2026-11-22T14:00:00Z rtr1 app - - [a@1 x="1" x="2"] Repeated names (TypeScript)',
  'no PRI at all',
];
const lines = [...corpus.lines, ...others];

async function eventsWritten(t: Test, native: boolean): Promise<{ encoder: unknown; events: Record<string, unknown>[] }> {
  const service = await spawnService(t, 'services/syslog/src/main.ts', {
    ...syslogOnLoopback,
    NETSIDECAR_SINK_FLUSH_INTERVAL: '60s',
    NETSIDECAR_SYSLOG_NATIVE_ENCODER: String(native),
  });
  const listening = await service.waitForLog('listening');
  const started = await service.waitForLog('started');
  const socket = connect({ host: '127.0.0.1', port: listening.tcpPort as number });
  await once(socket, 'connect');
  socket.end(lines.map((line) => `${Buffer.byteLength(line)} ${line}`).join(''));
  await once(socket, 'close');
  const received = new RegExp(`netsidecar_syslog_received_total\\{transport="tcp",service="syslog"\\} ${lines.length}\\b`);
  await eventually(async () => received.test(await (await fetch(`http://127.0.0.1:${started.healthPort}/metrics`)).text()), {
    timeoutMs: 30_000,
    intervalMs: 20,
    what: `the service to read the ${lines.length} lines`,
  });
  t.equal(await service.stop('SIGTERM'), 0, 'drains and exits 0');
  const events = [...(await service.fileEvents('netsidecar/syslog')).values()].flat();
  return { encoder: listening.lineEncoder, events };
}

t.test('the same events with the C encoder as without it, every line of the corpus and others', async (t) => {
  const native = await eventsWritten(t, true);
  const typescript = await eventsWritten(t, false);
  t.equal(native.encoder, 'native', 'the listening log says the C encoder is in use');
  t.equal(typescript.encoder, 'typescript', 'and that it is not, when turned off');
  const withoutRt = (events: Record<string, unknown>[]) =>
    events
      .map(({ rt, sourcePort, ...rest }) =>
        typeof rt === 'number' && typeof sourcePort === 'number' ? JSON.stringify(rest) : 'no rt or port: ' + JSON.stringify(rest),
      )
      .sort();
  t.equal(native.events.length, lines.length, 'every line written');
  t.same(withoutRt(native.events), withoutRt(typescript.events), 'the same events, the receive time and the sender’s port aside');
});
