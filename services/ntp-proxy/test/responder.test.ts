import t from 'tap';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { unixNsToNtp } from '../src/packet/ntp-time.js';
import { clientRequest } from './support/packets.js';
import { responderHarness, synchronisedState } from './support/responder-harness.js';

t.test('a v4 request gets a v4 time reply with T2, T3 and the origin copied', async (t) => {
  const h = responderHarness();
  const request = clientRequest({ version: 4, poll: 6, transmit: 0xfeedfacecafebeefn });
  const reply = h.ask(request)!;
  t.equal(reply.length, 48);
  t.equal(reply[0], 0x24, 'LI 0, VN 4, mode 4');
  t.equal(reply[1], 2);
  t.equal(reply.readInt8(2), 6);
  t.equal(reply.readInt8(3), -22);
  t.equal(reply.readUInt32BE(12), 0xa9fea97b);
  t.same(reply.subarray(24, 32), request.subarray(40, 48));
  t.equal(reply.readBigUInt64BE(32), unixNsToNtp(h.nowNs));
  t.equal(reply.readBigUInt64BE(40), unixNsToNtp(h.nowNs + 50_000n));
  t.equal(await h.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 1);
  t.equal(await h.metric('netsidecar_ntp_requests_total'), 1);
  t.equal(await h.metric('netsidecar_ntp_auth_total', { result: 'none' }), 1);
});

t.test('versions 1-7 are served, echoed up to 4; v3 routers get v3', async (t) => {
  const h = responderHarness();
  for (const version of [1, 2, 3, 4, 5, 6, 7]) {
    const reply = h.ask(clientRequest({ version }))!;
    t.equal((reply[0]! >> 3) & 7, Math.min(version, 4), `v${version}`);
  }
});

t.test('unsynchronised: LI 3, stratum 0, counted as such', async (t) => {
  const h = responderHarness({ state: { ...synchronisedState, synchronised: false, leap: 3, stratum: 0, refId: 0, refIdText: '' } });
  const reply = h.ask(clientRequest())!;
  t.equal(reply[0]! >> 6, 3);
  t.equal(reply[1], 0);
  t.equal(await h.metric('netsidecar_ntp_replies_total', { kind: 'unsynchronised' }), 1);
  t.equal(await h.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 0);
});

t.test('dropped with a counted reason, never answered', async (t) => {
  const h = responderHarness();
  const cases: [Buffer, string][] = [
    [Buffer.alloc(0), 'too_short'],
    [clientRequest().subarray(0, 47), 'too_short'],
    [clientRequest({ mode: 6 }), 'control_query'],
    [clientRequest({ mode: 7 }), 'control_query'],
    [clientRequest({ mode: 0 }), 'not_client_mode'],
    [clientRequest({ mode: 1 }), 'not_client_mode'],
    [clientRequest({ mode: 2 }), 'not_client_mode'],
    [clientRequest({ mode: 4 }), 'not_client_mode'],
    [clientRequest({ mode: 5 }), 'not_client_mode'],
    [clientRequest({ version: 0 }), 'bad_version'],
    [Buffer.concat([clientRequest(), Buffer.alloc(10)]), 'malformed'],
  ];
  for (const [packet, reason] of cases) {
    t.equal(h.ask(packet), null, reason);
  }
  const counts: Record<string, number> = {};
  for (const [, reason] of cases) counts[reason] = (counts[reason] ?? 0) + 1;
  for (const [reason, count] of Object.entries(counts)) t.equal(await h.metric('netsidecar_ntp_dropped_total', { reason }), count, `${reason} counted`);
  t.equal(await h.metric('netsidecar_ntp_requests_total'), cases.length);
});

t.test('a real ntpq (mode 6) READSTAT and an ntpdc monlist (mode 7) get nothing', async (t) => {
  const h = responderHarness();
  const ntpqReadstat = Buffer.from('160100010000000000000000', 'hex'); // 12 bytes: dropped as too short
  const monlist = Buffer.concat([Buffer.from('17000304', 'hex'), Buffer.alloc(44)]); // mode 7, MON_GETLIST_1, padded to 48
  const paddedNtpq = Buffer.concat([Buffer.from('16020001', 'hex'), Buffer.alloc(44)]);
  t.equal(h.ask(ntpqReadstat), null);
  t.equal(h.ask(monlist), null);
  t.equal(h.ask(paddedNtpq), null);
  t.equal(await h.metric('netsidecar_ntp_dropped_total', { reason: 'control_query' }), 2);
});

t.test('rate limit: a burst of 8, then KoD RATE or silence', async (t) => {
  const draws = [0.1, 0.9, 0.9, 0.9, 0.1];
  let i = 0;
  const h = responderHarness({ rateLimit: { enabled: true }, random: () => draws[i++] ?? 0.9 });
  const replies = Array.from({ length: 13 }, () => h.ask(clientRequest({ transmit: 0x0a0b0c0d0e0f1011n })));
  t.equal(replies.slice(0, 8).filter((r) => r && r[1] === 2).length, 8, '8 time replies');
  const limited = replies.slice(8);
  t.same(
    limited.map((r) => (r === null ? 'drop' : r.subarray(12, 16).toString('latin1'))),
    ['RATE', 'drop', 'drop', 'drop', 'RATE'],
  );
  const kod = limited[0]!;
  t.equal(kod.length, 48);
  t.equal(kod[0]! >> 6, 3);
  t.equal(kod[1], 0);
  t.equal(kod.readBigUInt64BE(24), 0x0a0b0c0d0e0f1011n, 'the client can match it to its request');
  t.equal(await h.metric('netsidecar_ntp_replies_total', { kind: 'kod_rate' }), 2);
  t.equal(await h.metric('netsidecar_ntp_dropped_total', { reason: 'rate_limited' }), 3);
  t.match(h.clients.peek('192.0.2.1'), { requests: 13, timeReplies: 8, kodSent: 2, dropped: 3 });
  t.ok(h.ask(clientRequest(), '192.0.2.2'), 'another client has its own bucket');
  h.advanceMs(8_000);
  t.equal(h.ask(clientRequest())?.[1], 2, 'a token back after 8 s');
});

t.test('no reply is ever larger than its request, and nothing throws (random datagrams)', async (t) => {
  const h = responderHarness({ rateLimit: { enabled: true, leakLog2: 0, burst: 50 } });
  // Half of them claim mode 3 (a client request), so that many get past the first check. A fixed
  // seed keeps the run the same every time: with unseeded bytes the count of answerable packets
  // varied from run to run and once fell under the bound below.
  const packet = fc.tuple(fc.noBias(fc.uint8Array({ maxLength: 119, size: 'max' })), fc.boolean()).map(([bytes, client]) => {
    if (!client) return Buffer.from(bytes);
    // As the loop this replaces drew them: an even length, so that many are a 48-byte header
    // plus whole 32-bit words.
    const out = Buffer.from(bytes.subarray(0, bytes.length & ~1));
    if (out.length > 0) out[0] = (out[0]! & 0xf8) | 3;
    return out;
  });
  let answered = 0;
  let sent = 0;
  fc.assert(
    fc.property(packet, (request) => {
      const reply = h.ask(request, `198.51.100.${sent++ % 200}`);
      if (!reply) return;
      answered++;
      if (reply.length > request.length) throw new Error(`reply of ${reply.length} to a request of ${request.length}`);
    }),
    { numRuns: 5_000, seed: 0x5eed },
  );
  t.ok(answered > 100, `${answered} answered`);
  const requests = await h.metric('netsidecar_ntp_requests_total');
  t.equal(requests, 5_000);
});

t.test('an ntpd-style client 5 s ahead: one warning per period, and its estimate kept', async (t) => {
  const h = responderHarness({ thresholdMs: 1000 });
  const clientAheadNs = 5_000_000_000n;
  let previousReply: Buffer | null = null;
  for (let i = 0; i < 3; i++) {
    const t1 = unixNsToNtp(h.nowNs - 1_000_000n + clientAheadNs); // sent 1 ms before we receive it
    const request = previousReply
      ? clientRequest({ origin: previousReply.readBigUInt64BE(40), receive: unixNsToNtp(h.nowNs - 64_000_000_000n + 1_050_000n + clientAheadNs), transmit: t1 })
      : clientRequest({ transmit: t1 });
    previousReply = h.ask(request);
    h.advanceMs(64_000);
  }
  t.equal(h.warnings.length, 1, 'warned once');
  t.equal(h.warnings[0]?.ip, '192.0.2.1');
  t.equal(h.warnings[0]?.offset.method, 'exchange');
  const offsetMs = Number(h.warnings[0]!.offset.offsetNs) / 1e6;
  t.ok(Math.abs(offsetMs - 5000) < 0.1, `estimated ${offsetMs} ms`);
  t.match(h.clients.peek('192.0.2.1')?.offset, { method: 'exchange' });
});

t.test('a chrony client (random transmit, zero origin): no estimate, no warning, marked hidden', async (t) => {
  const h = responderHarness({ thresholdMs: 1000 });
  for (let i = 0; i < 4; i++) {
    h.ask(clientRequest({ transmit: randomBytes(8).readBigUInt64BE() }));
    h.advanceMs(64_000);
  }
  t.equal(h.warnings.length, 0);
  t.match(h.clients.peek('192.0.2.1'), { offset: null, offsetHidden: true });
});
