// withIpv4Fallback: `::` falls back to 0.0.0.0 only when the kernel has no IPv6; everything else is
// the caller's error. A kernel without IPv6 cannot be made here, so the opener fails as one would.
import dgram from 'node:dgram';
import t from 'tap';
import { withIpv4Fallback } from '../src/index.js';

const errno = (code: string) => Object.assign(new Error(`bind ${code}`), { code });

for (const code of ['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']) {
  t.test(`'::' failing with ${code}: opens on 0.0.0.0 and says so`, async (t) => {
    const tried: string[] = [];
    const fallbacks: (string | undefined)[] = [];
    const opened = await withIpv4Fallback(
      '::',
      (address) => {
        tried.push(address);
        if (address === '::') throw errno(code);
        return `open on ${address}`;
      },
      (reason) => fallbacks.push(reason),
    );
    t.equal(opened, 'open on 0.0.0.0');
    t.same(tried, ['::', '0.0.0.0']);
    t.same(fallbacks, [code]);
  });
}

t.test('any other failure, or another address, is thrown as it is', async (t) => {
  const never = () => t.fail('no fallback');
  await t.rejects(
    withIpv4Fallback('::', () => Promise.reject(errno('EADDRINUSE')), never),
    { code: 'EADDRINUSE' },
  );
  await t.rejects(
    withIpv4Fallback('::1', () => Promise.reject(errno('EADDRNOTAVAIL')), never),
    { code: 'EADDRNOTAVAIL' },
    'only :: has an IPv4 meaning',
  );
  await t.rejects(
    withIpv4Fallback('0.0.0.0', () => Promise.reject(errno('EAFNOSUPPORT')), never),
    { code: 'EAFNOSUPPORT' },
  );
});

t.test('where IPv6 works, `::` is opened as asked (a real socket)', async (t) => {
  const socket = await withIpv4Fallback(
    '::',
    (address) =>
      new Promise<dgram.Socket>((resolve, reject) => {
        const s = dgram.createSocket('udp6');
        s.once('error', reject);
        s.bind({ address, port: 0, exclusive: true }, () => resolve(s));
      }),
    () => t.fail('no fallback'),
  );
  t.teardown(() => socket.close());
  t.equal(socket.address().address, '::');
});
