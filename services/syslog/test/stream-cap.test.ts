// Host names come from message text: a source sending many (junk, hostile, or a relay's devices)
// opens at most NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE new streams a minute; the rest of its
// events go to its address's stream, counted, never dropped; a known device keeps its stream.
import t from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { toLogStreamName } from '@netsidecar/sink';
import { startTestSyslog } from './harness.js';

// TCP is parsed on the thread that reads it: no parse worker to start.
const tcpOnly = { NETSIDECAR_SYSLOG_PARSE_WORKERS: '0' };

t.test('one source, 200 host names: 5 streams open, the rest go to the source address, none lost', async (t) => {
  // 5 a minute: the bucket gains its next token 12 s after the first, beyond this test's 10 s waits.
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE: '5', ...tcpOnly });
  const socket = connect({ host: '127.0.0.1', port: syslog.service.tcpPort });
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write('<13>Nov 22 14:00:00 rtr-ctl-1 app: control 0\n');
  await syslog.waitForEvents(1, 'rtr-ctl-1');

  const long = `rtr-${'x'.repeat(3_000)}`;
  const junk = [long, ...Array.from({ length: 199 }, (_, i) => `junk-${i}`)];
  socket.write(junk.map((host, i) => `<13>Nov 22 14:00:01 ${host} app: junk ${i}\n`).join('') + '<13>Nov 22 14:00:02 rtr-ctl-1 app: control 1\n');
  socket.end();
  const all = await syslog.waitForEvents(202);
  t.equal(all.length, 202, 'every line is an event');

  t.same(
    (await syslog.events('rtr-ctl-1')).map((e) => e.message),
    ['control 0', 'control 1'],
    'the known device keeps its stream',
  );
  // The control device opened one stream of the 5; the long name and junk-0..junk-2 the others.
  t.equal((await syslog.events(toLogStreamName(long))).length, 1, 'the 3,000-character host has a bounded stream of its own');
  t.ok(toLogStreamName(long).length <= 255);
  for (let i = 0; i < 3; i++) t.equal((await syslog.events(`junk-${i}`)).length, 1, `junk-${i} has its stream`);
  const bySource = await syslog.events('127.0.0.1');
  t.equal(bySource.length, 196, 'junk-3..junk-198 in the source address stream');
  t.same(
    bySource.map((e) => e.host),
    junk.slice(4),
    'in order, each with its host name kept in the event',
  );
  t.equal(await syslog.metric('netsidecar_syslog_streams_capped_total', { reason: 'source_limit' }), 196);
  t.equal(await syslog.metric('netsidecar_syslog_streams_capped_total', { reason: 'global_limit' }), 0);
  t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'sink_full' }), 0, 'nothing dropped');
});

t.test('the cap on all sources together counts its own reason', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE: '0', NETSIDECAR_SYSLOG_NEW_STREAMS_PER_MINUTE: '2', ...tcpOnly });
  const socket = connect({ host: '127.0.0.1', port: syslog.service.tcpPort });
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.end(['a', 'b', 'c', 'd'].map((host) => `<13>Nov 22 14:00:01 rtr-${host} app: hello\n`).join(''));
  t.equal((await syslog.waitForEvents(4)).length, 4);
  t.equal((await syslog.events('127.0.0.1')).length, 2);
  t.equal(await syslog.metric('netsidecar_syslog_streams_capped_total', { reason: 'global_limit' }), 2);
});
