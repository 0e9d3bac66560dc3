// Issue 13, point 7: TCP frames still in the socket buffers when SIGTERM comes. The service stops
// accepting, tells each sender it is closing (FIN), reads what the kernel holds and what is in
// flight, delivers it, then closes. The real service, numbered frames, SIGTERM while most of them
// are in the kernel's buffers (the service reads them as its sink takes them).
import t from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { eventually, within } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';
import { numbersInFileSink, syslogOnLoopback } from './support/syslog-env.js';
import { describe, tally } from './support/tally.js';

t.setTimeout(240_000);

t.test('SIGTERM with frames in the socket buffers: every frame reaches the sink, exit 0', async (t) => {
  const service = await spawnService(t, 'services/syslog/src/main.ts', {
    ...syslogOnLoopback,
    // A small sink: it pushes back on the sender from 512 KiB until it has written them, so most of
    // the 2.5 MB wait in the kernel's buffers and the sender's while the service works through them.
    NETSIDECAR_SINK_MEMORY_LIMIT: '1MiB',
  });
  const listening = await service.waitForLog('listening');
  const started = await service.waitForLog('started');
  const total = 30_000;
  let wire = '';
  for (let i = 0; i < total; i++) wire += `<190>1 2026-11-22T14:00:00.000Z edge-7 app - - - n=${i} ${'x'.repeat(40)}\n`;
  const sender = connect({ host: '127.0.0.1', port: listening.tcpPort as number });
  sender.on('error', () => {});
  await once(sender, 'connect');
  sender.write(wire);
  // Not ended: a router keeps its connection open. It closes its side when the service's FIN comes
  // (Node's default, allowHalfOpen false), after what it has written.

  // Some frames have been read (the rest is in the buffers): stop the service now.
  const received = await eventually(
    async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${started.healthPort}/metrics`)).text();
      const count = Number(/netsidecar_syslog_received_total\{transport="tcp",service="syslog"\} (\d+)/.exec(metrics)?.[1] ?? 0);
      return count > 0 ? count : false;
    },
    { timeoutMs: 60_000, what: 'the service to read a first frame' },
  );
  t.ok(received < total, `${received} of ${total} read when SIGTERM is sent: the rest is in the socket buffers`);
  const code = await within(service.stop('SIGTERM'), { timeoutMs: 60_000, what: 'the service to exit after SIGTERM' });
  const result = tally(total, await numbersInFileSink(service.dataDir, 'edge-7'));
  t.comment(describe('point 7, SIGTERM with frames in the socket buffers', result));
  const drained = service.logs.find((l) => l.msg === 'connections drained');
  t.match(drained, { transport: 'tcp', connections: 1, senderClosed: 1, cutAtDeadline: 0 }, 'the sender closed after the FIN: nothing cut');
  t.same(result, { sent: total, delivered: total, duplicated: 0, lost: 0, holes: [] }, 'every frame once, none lost');
  t.equal(code, 0, 'exit 0');
  t.match(
    service.logs.find((l) => l.msg === 'drained'),
    { pending: 0 },
  );
});
