// TCP limits: idle senders are cut, the connection cap holds, bad framing is counted, and a full
// sink pushes back on the sender instead of growing memory.
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { SinkEvent, WriteOutcome } from '@netsidecar/sink';
import { eventually } from '@netsidecar/test-support/eventually';
import { startTestSyslog } from './harness.js';
import { RecordingSink } from './recording-sinks.js';

function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  return once(socket, 'connect').then(() => socket);
}

t.test('a silent connection is closed at the idle timeout and counted', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_IDLE_TIMEOUT: '1s' });
  const socket = await open(syslog.service.tcpPort);
  socket.write('<13>one message, then silence\n');
  await once(socket, 'close');
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'idle_timeout' }), 1);
  t.equal((await syslog.waitForEvents(1)).length, 1, 'what it sent before going quiet is kept');
});

t.test('connections above the limit are refused and counted; the others keep working', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_MAX_CONNECTIONS: '2' });
  const first = await open(syslog.service.tcpPort);
  const second = await open(syslog.service.tcpPort);
  first.write('<13>first\n');
  second.write('<13>second\n');
  await syslog.waitForEvents(2);
  const third = await open(syslog.service.tcpPort);
  await once(third, 'close');
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'connection_limit' }), 1);
  first.end('<13>still here\n');
  second.end();
  t.equal((await syslog.waitForEvents(3)).length, 3);
});

t.test('a huge octet count closes that connection with a reason; frames before it are kept', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '1KiB' });
  const socket = await open(syslog.service.tcpPort);
  socket.write('11 <13>before\n999999999999 <13>garbage follows');
  await once(socket, 'close');
  t.same(
    (await syslog.waitForEvents(1)).map((e) => e.message),
    ['before'],
  );
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'message_too_large' }), 1);
});

/** A sink that says `backpressure` while blocked and records every event. */
class BlockingSink extends RecordingSink {
  blocked = true;
  private waiters: (() => void)[] = [];
  override write(event: SinkEvent): WriteOutcome {
    super.write(event);
    return this.blocked ? 'backpressure' : 'ok';
  }
  override whenWritable(): Promise<void> {
    return this.blocked ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
  release(): void {
    this.blocked = false;
    for (const wake of this.waiters.splice(0)) wake();
  }
}

// Without workers the connection sees the sink's answer itself; with them the parse pool does (it
// writes the frames later) and holds every connection until the sink is writable again.
for (const workers of ['0', '1']) {
  t.test(`${workers} parse workers: a full sink pauses the TCP sender (kernel backpressure) and loses nothing when it frees up`, async (t) => {
    const sink = new BlockingSink();
    const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_PARSE_WORKERS: workers }, sink);
    const socket = await open(syslog.service.tcpPort);
    const total = 20_000;
    const body = 'x'.repeat(1000);
    const lines: string[] = [];
    for (let i = 0; i < total; i++) lines.push(`<13>Nov 22 14:00:00 rtr1 app: ${i} ${body}\n`);
    let written = false;
    socket.write(lines.join(''), () => (written = true)); // ~20 MB, more than the socket buffers hold

    await eventually(() => sink.events.length > 0, { timeoutMs: 10_000, intervalMs: 1, what: 'the first event' });
    // Give the kernel time to fill both socket buffers; the service must not read past them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.ok(sink.events.length < total / 2, `paused after ${sink.events.length} of ${total} events`);
    t.equal(written, false, 'the sender is blocked by TCP flow control');

    sink.release();
    await eventually(() => sink.events.length >= total, { timeoutMs: 30_000, what: `${total} events after the release` });
    t.equal(sink.events.length, total);
    t.same(
      sink.events.slice(0, 3).map((e) => JSON.parse(e.message).message.split(' ')[0]),
      ['0', '1', '2'],
    );
    t.equal(JSON.parse(sink.events[total - 1]!.message).message.split(' ')[0], String(total - 1), 'in order, none lost');
    socket.destroy();
  });
}
