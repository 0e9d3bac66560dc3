// What the service says about its clients: summaries, clock warnings, and what it refuses.
import t from 'tap';
import { unixNsToNtp } from '../src/packet/ntp-time.js';
import { startTestNtp, startTestNtpWithIo, udpIoModes } from './support/harness.js';
import { clientRequest } from './support/packets.js';

// The refusals, under each way of reading UDP (NETSIDECAR_NTP_UDP_IO).
for (const io of udpIoModes) {
  t.test(`${io}: mode 6 and 7 get no reply at all; short packets neither; all counted`, async (t) => {
    const ntp = await startTestNtpWithIo(t, io);
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
    t.same(await ntp.repliesBefore(clientRequest({ mode: 6 })), [], 'ntpq (mode 6)');
    t.same(await ntp.repliesBefore(Buffer.concat([Buffer.from('17000304', 'hex'), Buffer.alloc(44)])), [], 'monlist (mode 7)');
    t.same(await ntp.repliesBefore(Buffer.from('1b', 'hex')), [], 'a 1-byte datagram');
    t.same(await ntp.repliesBefore(Buffer.alloc(0)), [], 'an empty datagram');
    t.same(await ntp.repliesBefore(clientRequest({ mode: 1 })), [], 'symmetric active');
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'control_query' }), 2);
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'too_short' }), 2);
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'not_client_mode' }), 1);
  });

  t.test(`${io}: a mode 3 request over 1024 bytes gets no reply and is counted as malformed; 1024 bytes is served`, async (t) => {
    const ntp = await startTestNtpWithIo(t, io);
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
    // A well-formed request but for its size: the header and one RFC 7822 extension field.
    const withExtension = (length: number) => {
      const field = Buffer.alloc(length, 0x22);
      field.writeUInt16BE(0x0104, 0);
      field.writeUInt16BE(length, 2);
      return Buffer.concat([clientRequest({ transmit: 0x0badc0ffee000000n + BigInt(length) }), field]);
    };
    const largest = withExtension(1024 - 48);
    t.equal(largest.length, 1024);
    const [reply] = await ntp.repliesBefore(largest);
    t.ok(reply, 'a 1024-byte request is answered');
    t.equal(reply!.length, 48);
    t.equal(reply![0]! & 7, 4, 'mode 4 (server)');
    t.equal(reply!.readBigUInt64BE(24), 0x0badc0ffee000000n + 976n, 'origin: its transmit timestamp');
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'malformed' }), 0);
    t.same(await ntp.repliesBefore(withExtension(1028 - 48)), [], '1028 bytes: no reply');
    t.same(await ntp.repliesBefore(withExtension(4096 - 48)), [], '4096 bytes: no reply');
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'malformed' }), 2, 'both counted as malformed');
    // The datagrams above and the three sentinels repliesBefore sent.
    t.equal(await ntp.metric('netsidecar_ntp_requests_total'), 6, 'and as requests');
  });
}

t.test('a flood from one client gets KoD RATE after the burst, never more bytes than it sent', async (t) => {
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_RATE_LIMIT_LEAK: '0' });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  const replies: Buffer[] = [];
  for (let i = 0; i < 12; i++) replies.push((await ntp.query()).reply);
  t.same(
    replies.map((reply) => reply[1]),
    [10, 10, 10, 10, 10, 10, 10, 10, 0, 0, 0, 0],
    '8 time replies, then KoDs',
  );
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
  t.match(
    (await ntp.events('127.0.0.1')).find((e) => e.type === 'client_summary'),
    { clientOffsetMethod: 'exchange' },
  );
});
