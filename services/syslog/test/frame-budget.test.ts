// Issue 13, point 8: the memory held for unfinished TCP frames is bounded across connections, not
// only per connection. Real sockets; the service's own gauges say what it holds and who waits.
import t from 'tap';
import { eventually } from '@netsidecar/test-support/eventually';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { startTestSyslog, type TestSyslog } from './harness.js';

function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  return once(socket, 'connect').then(() => socket);
}

interface Gauges {
  held: number;
  waiting: number;
  connections: number;
  evicted: number;
}

/** The service's gauges once `check` holds; fails after 20 s with the last values. */
function gaugesWhen(syslog: TestSyslog, what: string, check: (m: Gauges) => boolean): Promise<Gauges> {
  return eventually(
    async () => {
      const m = {
        held: await syslog.metric('netsidecar_syslog_tcp_held_frame_bytes'),
        waiting: await syslog.metric('netsidecar_syslog_tcp_budget_waiting'),
        connections: await syslog.metric('netsidecar_syslog_connections', { transport: 'tcp' }),
        evicted: await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'held_frame_timeout' }),
      };
      if (!check(m)) throw new Error(JSON.stringify(m));
      return m;
    },
    { timeoutMs: 20_000, what },
  );
}

const frameBytes = 65_000;
/** Frame n: exactly `frameBytes` bytes, numbered. */
const body = (n: number) => `<13>Nov 22 14:00:00 rtr${n} app: frame ${n} ${'x'.repeat(frameBytes)}`.slice(0, frameBytes);

t.test('40 connections each part-way through a 65 KB frame: the service holds at most the budget, the rest wait, nothing is lost', async (t) => {
  // 1 MiB budget, 64 KiB messages: 15 unfinished frames at most (counted at their largest).
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_FRAME_BUDGET: '1MiB' });
  const count = 40;
  const sockets = await Promise.all(Array.from({ length: count }, () => open(syslog.service.tcpPort)));
  const cut = 60_000; // of each frame's 65,000 bytes (plus its `65000 ` octet count)
  for (const [n, socket] of sockets.entries()) socket.write(`${frameBytes} ${body(n).slice(0, cut)}`);
  const tight = await gaugesWhen(syslog, 'the budget used up', (m) => m.connections === count && m.waiting === count - 15);
  t.comment(`point 8: ${count} connections x ${cut} bytes sent part-way; held ${tight.held} bytes (budget 1048576), ${tight.waiting} waiting`);
  t.ok(tight.held <= 1024 * 1024, `held ${tight.held} bytes: within the 1 MiB budget (without it: ${count * (cut + 6)})`);
  t.ok(tight.held >= 15 * cut, 'the 15 slots are used');
  t.equal(tight.evicted, 0, 'nobody closed: waiting is TCP backpressure');
  for (const [n, socket] of sockets.entries()) socket.end(body(n).slice(cut));
  const events = await syslog.waitForEvents(count);
  t.equal(events.length, count, 'every frame delivered once the senders finished them');
  t.same(
    events.map((e) => Number(/frame (\d+)/.exec(e.message ?? '')?.[1])).sort((a, b) => a - b),
    [...Array(count).keys()],
  );
  const after = await gaugesWhen(syslog, 'everything released', (m) => m.held === 0 && m.waiting === 0);
  t.same(after, { held: 0, waiting: 0, connections: after.connections, evicted: 0 });
});

t.test('senders that never finish their frame cannot hold the budget: after the frame timeout they are closed and counted', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_FRAME_BUDGET: '1MiB', NETSIDECAR_SYSLOG_FRAME_TIMEOUT: '1s' });
  const slow = await Promise.all(Array.from({ length: 15 }, () => open(syslog.service.tcpPort)));
  for (const [n, socket] of slow.entries()) socket.write(`${frameBytes} ${body(n).slice(0, 100)}`);
  await gaugesWhen(syslog, 'the budget used up by slow senders', (m) => m.connections === 15);
  const router = await open(syslog.service.tcpPort);
  router.end('<13>Nov 22 14:00:00 rtr-good app: must get through\n');
  const closed = Promise.all(slow.map((socket) => once(socket, 'close')));
  const events = await syslog.waitForEvents(1);
  t.same(
    events.map((e) => e.message),
    ['must get through'],
    'the waiting router gets through',
  );
  await closed;
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'held_frame_timeout' }), 15, 'each slow sender closed and counted once');
});
