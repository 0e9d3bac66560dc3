import t from 'tap';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { eventually } from '@netsidecar/test-support/eventually';
import { parseUpstream, type UpstreamServer } from '../src/upstream/server-list.js';
import { SntpClient, type StrayReason } from '../src/upstream/sntp-client.js';
import { fakeUpstreamClock, startFakeUpstream } from './support/fake-upstream.js';

const serverAt = (port: number): UpstreamServer => {
  const setting = parseUpstream(`127.0.0.1:${port}`);
  if (setting.kind !== 'servers') throw new Error('expected servers');
  return setting.servers[0]!;
};

const until = (condition: () => boolean, what: string) => eventually(condition, { timeoutMs: 10_000, intervalMs: 2, what });

function newClient(t: { teardown(fn: () => unknown): void }, options: { timeoutMs?: number; nonce?: () => bigint; strays?: StrayReason[] } = {}) {
  const client = new SntpClient({
    clock: fakeUpstreamClock,
    precision: -20,
    timeoutMs: options.timeoutMs ?? 5_000,
    pollExponent: 4,
    nonce: options.nonce,
    onStray: (reason) => options.strays?.push(reason),
  });
  t.teardown(() => client.close());
  return client;
}

t.test('a sample from a loopback server 250 ms ahead', async (t) => {
  const upstream = await startFakeUpstream(t, { offsetMs: 250, stratum: 1 });
  const client = newClient(t);
  const result = await client.query(serverAt(upstream.port));
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  const offsetMs = Number(result.sample.offsetNs) / 1e6;
  const delayMs = Number(result.sample.delayNs) / 1e6;
  // The offset is exact up to half the round trip (NTP's own error bound), whatever the load.
  t.ok(Math.abs(offsetMs - 250) <= delayMs / 2 + 0.001, `offset ${offsetMs} ms, delay ${delayMs} ms`);
  t.equal(result.sample.stratum, 1);
});

t.test('the request: v4, mode 3, a random nonce as transmit timestamp, nothing about our clock', async (t) => {
  const upstream = await startFakeUpstream(t);
  const client = newClient(t);
  await client.query(serverAt(upstream.port));
  await client.query(serverAt(upstream.port));
  const [first, second] = upstream.requests;
  t.equal(first!.length, 48);
  t.equal(first![0], 0x23, 'LI 0, VN 4, mode 3');
  t.equal(first!.readInt8(2), 4, 'poll exponent');
  t.equal(first!.subarray(4, 40).toString('hex'), '0'.repeat(72), 'no root values, reference, origin or receive time');
  t.not(first!.readBigUInt64BE(40), second!.readBigUInt64BE(40), 'a fresh nonce per request');
  t.not(first!.readBigUInt64BE(40), 0n);
});

t.test('a reply that does not echo our nonce is not taken; the query times out', async (t) => {
  const upstream = await startFakeUpstream(t, { tamper: (reply) => reply.writeBigUInt64BE(reply.readBigUInt64BE(24) ^ 1n, 24) });
  const strays: StrayReason[] = [];
  const client = newClient(t, { timeoutMs: 300, strays });
  const result = await client.query(serverAt(upstream.port));
  t.match(result, { ok: false, reason: 'timeout' });
  t.same(strays, ['unsolicited']);
});

t.test('a reply with our nonce from another port is not taken; the real one still is', async (t) => {
  const upstream = await startFakeUpstream(t, { silent: true });
  const impostor = createSocket('udp4');
  impostor.bind(0, '127.0.0.1');
  await once(impostor, 'listening');
  t.teardown(() => new Promise<void>((done) => impostor.close(() => done())));
  const strays: StrayReason[] = [];
  const client = newClient(t, { timeoutMs: 10_000, strays });
  const querying = client.query(serverAt(upstream.port));
  await until(() => upstream.requests.length === 1, 'the request upstream');
  // The impostor knows the nonce (an on-path attacker would) but not the server's address and port.
  const spoof = Buffer.alloc(48);
  spoof[0] = 0x24;
  spoof[1] = 1;
  upstream.requests[0]!.copy(spoof, 24, 40, 48);
  spoof.writeBigUInt64BE(1n << 60n, 32);
  spoof.writeBigUInt64BE(1n << 60n, 40);
  impostor.send(spoof, upstream.remotes[0]!.port, '127.0.0.1');
  await until(() => strays.length === 1, 'the stray reply counted');
  t.same(strays, ['wrong_source']);
  upstream.answer(0);
  const result = await querying;
  t.ok(result.ok, 'the genuine reply, arriving after the spoof, is the one used');
  t.ok(result.ok && result.sample.offsetNs < 1_000_000_000n, 'not the spoofed 1n << 60n time');
});

t.test('a silent server: timeout', async (t) => {
  const upstream = await startFakeUpstream(t, { silent: true });
  const client = newClient(t, { timeoutMs: 100 });
  t.match(await client.query(serverAt(upstream.port)), { ok: false, reason: 'timeout', stratum: null });
});

t.test('rejections come back with their reason', async (t) => {
  const upstream = await startFakeUpstream(t, { leap: 3, stratum: 0, refId: 0 });
  const client = newClient(t);
  t.match(await client.query(serverAt(upstream.port)), { ok: false, reason: 'unsynchronised', leap: 3, stratum: 0 });
});

t.test('after close, queries fail cleanly and pending ones end', async (t) => {
  const upstream = await startFakeUpstream(t, { silent: true });
  const client = newClient(t, { timeoutMs: 60_000 });
  const pending = client.query(serverAt(upstream.port));
  await until(() => upstream.requests.length === 1, 'the request upstream');
  await client.close();
  t.match(await pending, { ok: false, reason: 'timeout' });
  t.match(await client.query(serverAt(upstream.port)), { ok: false, reason: 'send_failed' });
});
