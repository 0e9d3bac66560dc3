// formatIpv6 and SourceNames against what Node itself prints for the same addresses.
import net from 'node:net';
import t from 'tap';
import fc from 'fast-check';
import { formatIpv6, META, META_STRIDE, SourceNames } from '../src/index.js';

/** The address word of an IPv4 address as the addon writes it (network-order bytes). */
function ipv4Word(address: string): number {
  const bytes = Uint8Array.from(address.split('.').map(Number));
  return new Int32Array(bytes.buffer)[0]!;
}

/** Bytes of an IPv6 address given as hex groups with at most one `::` (no dotted quad). */
function ipv6Bytes(address: string): Uint8Array {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) throw new Error(`not an IPv6 address: ${address}`);
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const value = parseInt(g, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}
/** Node's (WHATWG URL) canonical text of an IPv6 address, without brackets. */
const byUrl = (address: string) => new URL(`http://[${address}]/`).hostname.slice(1, -1);
/** Node's (libuv inet_ntop) text, as node:dgram and node:net print peers. */
const bySocketAddress = (address: string) => new net.SocketAddress({ address, family: 'ipv6' }).address;
const full = (bytes: Uint8Array) => Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':');

function metaFor(entries: ({ family: 4; address: string } | { family: 6; address: string })[]): Int32Array {
  const meta = new Int32Array(entries.length * META_STRIDE);
  entries.forEach((e, i) => {
    const m = i * META_STRIDE;
    meta[m + META.family] = e.family;
    if (e.family === 4) meta[m + META.address] = ipv4Word(e.address);
    else meta.set(new Int32Array(ipv6Bytes(e.address).slice().buffer), m + META.address);
  });
  return meta;
}

t.test('formatIpv6 matches Node for chosen addresses', async (t) => {
  const cases: [string, string][] = [
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // equal runs: the first is compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins over an earlier one
    ['1::', '1::'],
    ['fe80::1:2', 'fe80::1:2'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['0:0:1:0:0:0:0:0', '0:0:1::'],
    ['FFFF:ABCD:0:0:0:0:0:0', 'ffff:abcd::'],
    ['fd00::2', 'fd00::2'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ];
  for (const [input, expected] of cases) {
    const formatted = formatIpv6(ipv6Bytes(input));
    t.equal(formatted, expected, `${input} -> ${expected}`);
    t.equal(formatted, byUrl(input), `${input}: as URL prints it`);
    t.equal(formatted, bySocketAddress(input), `${input}: as net.SocketAddress prints it`);
  }
});

t.test('formatIpv6 matches the URL canonical form for many addresses with zero runs', async (t) => {
  // Plenty of zero groups and runs of every length, small values and any value between them.
  const group = fc.oneof(
    { weight: 55, arbitrary: fc.constant(0) },
    { weight: 13, arbitrary: fc.integer({ min: 1, max: 15 }) },
    { weight: 32, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
  );
  fc.assert(
    fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const bytes = new Uint8Array(16);
      groups.forEach((value, g) => {
        bytes[2 * g] = value >> 8;
        bytes[2 * g + 1] = value & 0xff;
      });
      const mine = formatIpv6(bytes);
      const node = byUrl(full(bytes));
      if (mine !== node) throw new Error(`${full(bytes)}: formatIpv6 ${mine}, Node ${node}`);
    }),
    { numRuns: 5000 },
  );
  t.pass('all 5000 agree');
});

t.test('SourceNames turns meta words into dgram-style strings, cached', async (t) => {
  const names = new SourceNames();
  const meta = metaFor([
    { family: 4, address: '127.0.0.1' },
    { family: 4, address: '192.0.2.254' },
    { family: 6, address: '::1' },
    { family: 6, address: '2001:db8:0:0:1:0:0:1' },
    { family: 4, address: '127.0.0.1' },
    { family: 6, address: '::1' },
    { family: 4, address: '0.0.0.0' },
    { family: 4, address: '255.255.255.255' },
  ]);
  const got = Array.from({ length: 8 }, (_, i) => names.of(meta, i));
  t.same(got, ['127.0.0.1', '192.0.2.254', '::1', '2001:db8::1:0:0:1', '127.0.0.1', '::1', '0.0.0.0', '255.255.255.255']);
  t.equal(names.of(meta, 0), names.of(meta, 4), 'the same IPv4 address gives the same string');
  t.equal(names.of(meta, 2), names.of(meta, 5), 'the same IPv6 address gives the same string');
  const cache = names as unknown as { v4: Map<number, string>; v6: Map<string, string> };
  t.equal(cache.v4.size, 4, 'one IPv4 entry per distinct address');
  t.equal(cache.v6.size, 2, 'one IPv6 entry per distinct address');
  const before = cache.v4.get(ipv4Word('127.0.0.1'));
  t.equal(names.of(meta, 4), before, 'a repeat comes from the cache');
});

t.test('SourceNames stays correct when its cache fills and is cleared', async (t) => {
  const names = new SourceNames(2);
  const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.4'];
  const meta = metaFor(addresses.map((address) => ({ family: 4 as const, address })));
  t.same(
    addresses.map((_, i) => names.of(meta, i)),
    addresses,
  );
  const six = ['2001:db8::1', '2001:db8::2', '2001:db8::3', '2001:db8::1'];
  const meta6 = metaFor(six.map((address) => ({ family: 6 as const, address })));
  t.same(
    six.map((_, i) => names.of(meta6, i)),
    six,
  );
  const cache = names as unknown as { v4: Map<number, string>; v6: Map<string, string> };
  t.ok(cache.v4.size <= 2 && cache.v6.size <= 2, 'never more than maxEntries per family');
});
