// IPv6: a dual-stack socket serves IPv4 and IPv6 clients; an IPv6 upstream (as fd00:ec2::123 on
// Nitro) works and gets the MD5-hash reference ID. Loopback only (::1).
import t from 'tap';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { decodeHeader } from '../src/packet/header.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startTestNtp, startTestNtpWithIo, udpIoModes } from './support/harness.js';
import { clientRequest } from './support/packets.js';

// Under each way of reading UDP (NETSIDECAR_NTP_UDP_IO): each reports a client's address its own way.
for (const io of udpIoModes) {
  t.test(`${io}: bound to ::, IPv4 and IPv6 clients are served; each gets its own stream`, async (t) => {
    const ntp = await startTestNtpWithIo(t, io, { NETSIDECAR_NTP_BIND_ADDRESS: '::' });
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
    t.equal((await ntp.query()).reply[1], 10, 'IPv4 client (as ::ffff:127.0.0.1)');
    const socket = createSocket('udp6');
    t.teardown(() => socket.close());
    socket.bind(0, '::1');
    await once(socket, 'listening');
    // Bounded: no reply fails the test in 5 s instead of hanging it.
    const reply = once(socket, 'message', { signal: AbortSignal.timeout(5_000) });
    socket.send(clientRequest(), ntp.service.port, '::1');
    const [message, remote] = (await reply) as [Buffer, { address: string; port: number }];
    t.equal(message[1], 10, 'IPv6 client');
    t.same([remote.address, remote.port], ['::1', ntp.service.port], 'the reply comes from the service, over IPv6');
    ntp.service.flushClientSummaries();
    t.match(await ntp.events('127.0.0.1'), [{ type: 'client_summary', clientIp: '127.0.0.1' }], 'the IPv4-mapped address is reported as IPv4');
    t.match(await ntp.events('__1'), [{ type: 'client_summary', clientIp: '::1' }], "':' is not allowed in stream names");
  });
}

t.test('an IPv6 upstream: synchronised, refid = first 4 bytes of MD5(address)', async (t) => {
  const upstream = await startFakeUpstream(t, {}, '::1');
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised over IPv6');
  const expected = createHash('md5').update(Buffer.from('00000000000000000000000000000001', 'hex')).digest().readUInt32BE(0);
  t.match(decodeHeader((await ntp.query()).reply), { stratum: 2, refId: expected });
  t.match((await ntp.events('upstream'))[0], { server: upstream.address, result: 'ok' });
});
