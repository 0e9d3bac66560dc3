// What the service says about its clients: summaries, clock warnings, and what it refuses.
import t from 'tap';
import { unixNsToNtp } from '../src/packet/ntp-time.js';
import { startTestNtp } from './support/harness.js';
import { clientRequest } from './support/packets.js';

t.test('mode 6 and 7 get no reply at all; short packets neither; all counted', async (t) => {
  const ntp = await startTestNtp(t);
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  t.same(await ntp.repliesBefore(clientRequest({ mode: 6 })), [], 'ntpq (mode 6)');
  t.same(await ntp.repliesBefore(Buffer.concat([Buffer.from('17000304', 'hex'), Buffer.alloc(44)])), [], 'monlist (mode 7)');
  t.same(await ntp.repliesBefore(Buffer.from('1b', 'hex')), [], 'a 1-byte datagram');
  t.same(await ntp.repliesBefore(clientRequest({ mode: 1 })), [], 'symmetric active');
  t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'control_query' }), 2);
  t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'too_short' }), 1);
  t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'not_client_mode' }), 1);
});

t.test('a flood from one client gets KoD RATE after the burst, never more bytes than it sent', async (t) => {
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_RATE_LIMIT_LEAK: '0' });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  const replies: Buffer[] = [];
  for (let i = 0; i < 12; i++) replies.push((await ntp.query()).reply);
  t.same(replies.map((reply) => reply[1]), [10, 10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0], '8 time replies, then KoDs');
  t.equal(replies[8]!.subarray(12, 16).toString('latin1'), 'RATE');
  t.ok(replies.every((reply) => reply.length <= 48));
  t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'kod_rate' }), 4);
});

t.test('client summaries: one event per client in its own stream, at each interval and at stop', async (t) => {
  const ntp = await startTestNtp(t);
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  await ntp.query(clientRequest({ version: 3 }));
  await ntp.query(clientRequest({ version: 4 }));
  ntp.service.flushClientSummaries();
  const summaries = async () => (await ntp.events('127.0.0.1')).filter((e) => e.type === 'client_summary');
  const [summary] = await summaries();
  t.match(summary, {
    schema: 'ntp/1',
    type: 'client_summary',
    clientIp: '127.0.0.1',
    requests: 2,
    timeReplies: 2,
    kodSent: 0,
    versions: [3, 4],
    authenticated: false,
    unauthenticatedRequests: 2,
    keyId: null,
    clientOffsetMethod: 'hidden',
  });
  t.equal((await ntp.events('127.0.0.1')).length, 1, 'a constant transmit timestamp is no clock: no warning');
  t.ok(Date.parse(String(summary?.periodEnd)) >= Date.parse(String(summary?.periodStart)));
  await ntp.query();
  await ntp.service.stop();
  const after = await summaries();
  t.equal(after.length, 2, 'the last partial period is written at stop');
  t.match(after[1], { requests: 1 });
});

t.test('a router whose clock is 5 s behind gets a client_clock_warning event', async (t) => {
  const ntp = await startTestNtp(t);
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  const behindNs = -5_000_000_000n;
  // An ntpd-style client: its transmit timestamp is its (wrong) clock; the second request echoes the
  // first reply. Its clock readings are built from the service's own clock (no ms-granular Date.now),
  // so the exchange is consistent whatever the load: sent 1 ms before we read it, received 1 ms after we sent.
  const clientNow = () => ntp.service.served.nowNs() + behindNs;
  const first = await ntp.query(clientRequest({ transmit: unixNsToNtp(clientNow() - 1_000_000n) }));
  const ourT3 = first.reply.readBigUInt64BE(40);
  const second = clientRequest({ origin: ourT3, receive: ourT3 + ((behindNs + 1_000_000n) << 32n) / 1_000_000_000n, transmit: unixNsToNtp(clientNow()) });
  await ntp.query(second);
  const warning = (await ntp.events('127.0.0.1')).find((e) => e.type === 'client_clock_warning');
  t.match(warning, { clientIp: '127.0.0.1', clientOffsetMethod: 'exchange', thresholdMs: 1000, message: /client clock is 5\.\d{3} s behind/ });
  t.ok(Math.abs(Number(warning?.clientOffsetMs) + 5_000) < 50, `offset ${String(warning?.clientOffsetMs)} ms`);
  t.equal(await ntp.metric('netsidecar_ntp_client_clock_warnings_total'), 1);
  ntp.service.flushClientSummaries();
  t.match((await ntp.events('127.0.0.1')).find((e) => e.type === 'client_summary'), { clientOffsetMethod: 'exchange' });
});
