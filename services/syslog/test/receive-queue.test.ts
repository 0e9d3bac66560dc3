// NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE: the udp-batch receive thread reads datagrams while the
// service's event loop is busy, and each event's receivedAt is when that thread read it, not when
// the event loop got to it. A queue too small for the largest datagrams stops the start, named.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { kernelUdpQueuedBytes } from '@netsidecar/telemetry';
import { UDP_RECEIVE_QUEUE_BYTES_METRIC, UDP_RECEIVE_QUEUE_FULL_METRIC } from '../src/metrics.js';
import { startTestSyslog, startTestSyslogWithIo } from './harness.js';

const DEADLINE_MS = 10_000;

/** Spins on this thread (the service's event loop does not run) until `condition`, or throws at the deadline. */
function spinUntil(condition: () => boolean, what: string): void {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS} ms`);
}

t.test('a datagram that arrives while the event loop is busy is read by the receive thread and dated when it came', async (t) => {
  const syslog = await startTestSyslogWithIo(t, 'recvmmsg');
  const port = syslog.service.udpPort;
  // From here to the end of the spin the event loop does not run: only the receive thread can read.
  const sentFrom = Date.now();
  execFileSync('logger', ['--udp', '--server', '127.0.0.1', '--port', String(port), '--rfc3164', '-t', 'bgpd', 'while the loop was busy'], {
    timeout: DEADLINE_MS,
  });
  const sentBy = Date.now();
  spinUntil(() => kernelUdpQueuedBytes(port) === 0, 'the receive thread takes the datagram from the kernel');
  const busyUntil = Date.now() + 100;
  spinUntil(() => Date.now() >= busyUntil, 'a busy event loop');
  // The gauges are read now, before the event loop runs (prom-client calls collect() at once).
  const queuedWhileBusy = syslog.metric(UDP_RECEIVE_QUEUE_BYTES_METRIC);
  const [event] = await syslog.waitForEvents(1);
  t.equal(event!.message, 'while the loop was busy');
  t.ok((await queuedWhileBusy) > 0, `${UDP_RECEIVE_QUEUE_BYTES_METRIC} shows the datagram waiting in the queue (${await queuedWhileBusy} bytes)`);
  t.equal(await syslog.metric(UDP_RECEIVE_QUEUE_BYTES_METRIC), 0, 'and 0 once it is read');
  t.equal(await syslog.metric(UDP_RECEIVE_QUEUE_FULL_METRIC), 0, `${UDP_RECEIVE_QUEUE_FULL_METRIC}: the queue was never full`);
  const receivedAt = Date.parse(event!.receivedAt);
  t.ok(receivedAt >= sentFrom - 1, 'received after it was sent');
  t.ok(receivedAt < busyUntil - 50, `dated when the thread read it (${receivedAt - sentBy} ms after logger returned), not when the busy event loop got to it`);
});

t.test('a receive queue too small for four of the largest datagrams stops the start, naming the variable; 0 turns the thread off', async (t) => {
  await t.rejects(
    startTestSyslog(t, { NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE: '64KiB', NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '64KiB' }),
    /NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE.*at least 262336 bytes/,
  );
  const withoutThread = await startTestSyslogWithIo(t, 'recvmmsg', { NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE: '0' });
  execFileSync(
    'logger',
    ['--udp', '--server', '127.0.0.1', '--port', String(withoutThread.service.udpPort), '--rfc3164', '-t', 'x', 'read on the event loop'],
    {
      timeout: DEADLINE_MS,
    },
  );
  const [event] = await withoutThread.waitForEvents(1);
  t.equal(event!.message, 'read on the event loop');
});
