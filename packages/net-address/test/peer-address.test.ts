// A peer address as the services report it, taken from real sockets on a dual-stack `::` listener.
import net from 'node:net';
import t from 'tap';
import { normaliseAddress } from '../src/index.js';

/** The remote address a `::` TCP server sees for a client connecting from `from`. */
async function seenFrom(from: string): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: '::', port: 0 }, resolve));
  try {
    const accepted = new Promise<string>((resolve) =>
      server.once('connection', (socket) => {
        resolve(socket.remoteAddress ?? '');
        socket.destroy();
      }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const client = net.connect({ host: from, port });
    client.on('error', () => {}); // the server closes it at once
    const seen = await accepted;
    client.destroy();
    return seen;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

t.test('an IPv4 peer of a dual-stack socket is reported as plain IPv4', async (t) => {
  const raw = await seenFrom('127.0.0.1');
  t.equal(raw, '::ffff:127.0.0.1', 'what node:net gives');
  t.equal(normaliseAddress(raw), '127.0.0.1');
});

t.test('an IPv6 peer is reported as given', async (t) => {
  t.equal(normaliseAddress(await seenFrom('::1')), '::1');
});

t.test('only the IPv4-mapped form is changed', async (t) => {
  t.equal(normaliseAddress('192.0.2.1'), '192.0.2.1');
  t.equal(normaliseAddress('::ffff:c000:201'), '::ffff:c000:201', 'hex form: not a dotted IPv4 address');
  t.equal(normaliseAddress('2001:db8::ffff:192.0.2.1'), '2001:db8::ffff:192.0.2.1', 'an embedded IPv4 that is not mapped');
  t.equal(normaliseAddress(''), '');
});
