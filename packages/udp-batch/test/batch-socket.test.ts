// The recvmmsg/sendmmsg addon through real sockets on loopback, with node:dgram as the peer.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { chooseUdpIo, FLAG_TRUNCATED, loadUdpBatch, META, META_STRIDE, SourceNames, type BatchBinding, type BatchSocket } from '../src/index.js';

/** Every wait in these tests gives up (and fails the test) after this long. */
const DEADLINE_MS = 10_000;

const missing = 'the udp-batch addon did not load; build it with `npm install` (needs python3, make and g++)';

/** The addon binding; fails (never skips) the test when it is missing. */
function requireBinding(t: Test): BatchBinding {
  const loaded = loadUdpBatch();
  if ('binding' in loaded) return loaded.binding;
  t.fail(`${missing}: ${loaded.reason}`);
  throw new Error(`${missing}: ${loaded.reason}`);
}

interface Received {
  text: string;
  bytes: Buffer;
  length: number;
  flags: number;
  port: number;
  family: number;
  address: string;
  /** The raw meta words port..address+3, as a reply would copy them. */
  peer: number[];
  /** Which read call returned it (0-based). */
  readIndex: number;
  offset: number;
}

interface ReceiverOptions {
  targetBytes?: number;
  metaSlots?: number;
  max?: number;
}

/**
 * Reads a BatchSocket the way a service does: start(onReadable), then read until 0. Records every
 * datagram, every read's count, and any broken layout invariant (offsets must run back to back,
 * truncated datagrams take no bytes).
 */
class Receiver {
  readonly got: Received[] = [];
  readonly readCounts: number[] = [];
  readonly problems: string[] = [];
  readonly names = new SourceNames();
  error: Error | undefined;
  private readonly target: Uint8Array;
  private readonly meta: Int32Array;
  private readonly max: number;
  private waiters: { count: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    readonly socket: BatchSocket,
    options: ReceiverOptions = {},
  ) {
    this.target = new Uint8Array(options.targetBytes ?? 256 * 1024);
    this.meta = new Int32Array((options.metaSlots ?? 256) * META_STRIDE);
    this.max = options.max ?? 256;
    socket.start(() => this.drain());
  }

  private drain(): void {
    try {
      for (;;) {
        const count = this.socket.read(this.target, this.meta, this.max);
        if (count === 0) break;
        const readIndex = this.readCounts.length;
        this.readCounts.push(count);
        let expectedOffset = 0;
        for (let i = 0; i < count; i++) {
          const m = i * META_STRIDE;
          const offset = this.meta[m + META.offset]!;
          const length = this.meta[m + META.length]!;
          const flags = this.meta[m + META.flags]!;
          if (offset !== expectedOffset) this.problems.push(`read ${readIndex} datagram ${i}: offset ${offset}, expected ${expectedOffset}`);
          const copied = flags & 1 ? 0 : length;
          const bytes = Buffer.from(this.target.subarray(offset, offset + copied));
          expectedOffset = offset + copied;
          this.got.push({
            text: bytes.toString('latin1'),
            bytes,
            length,
            flags,
            port: this.meta[m + META.port]!,
            family: this.meta[m + META.family]!,
            address: this.names.of(this.meta, i),
            peer: Array.from(this.meta.subarray(m + META.port, m + META.address + 4)),
            readIndex,
            offset,
          });
        }
      }
    } catch (err) {
      this.error = err as Error;
      for (const w of this.waiters) w.reject(this.error);
      this.waiters = [];
      return;
    }
    this.settle();
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.got.length < w.count) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `count` datagrams in all were read; rejects after DEADLINE_MS. */
  waitFor(count: number, what = `${count} datagrams`): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.got.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}: ${this.got.length} read`));
      }, DEADLINE_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ count, resolve: done, reject: (err) => (clearTimeout(timer), reject(err)) });
    });
  }
}

function udpClient(type: 'udp4' | 'udp6', address: string): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type, recvBufferSize: 1024 * 1024 });
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function sendTo(client: dgram.Socket, payload: Uint8Array | string, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => client.send(payload, port, address, (err) => (err ? reject(err) : resolve())));
}

function closeClient(client: dgram.Socket): Promise<void> {
  return new Promise((resolve) => client.close(() => resolve()));
}

/** Collects what a dgram socket receives; `waitFor(n)` is bounded by DEADLINE_MS. */
class Collector {
  readonly got: { text: string; address: string; port: number; family: string }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(socket: dgram.Socket) {
    socket.on('message', (msg, rinfo) => {
      this.got.push({ text: msg.toString('latin1'), address: rinfo.address, port: rinfo.port, family: rinfo.family });
      this.waiters = this.waiters.filter((w) => (this.got.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  waitFor(count: number): Promise<void> {
    if (this.got.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${DEADLINE_MS} ms waiting for ${count} replies: ${this.got.length} came`)), DEADLINE_MS);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** The address word of an IPv4 address as the addon writes it (network-order bytes). */
function ipv4Word(address: string): number {
  const bytes = Uint8Array.from(address.split('.').map(Number));
  return new Int32Array(bytes.buffer)[0]!;
}

/** Closes every addon socket a test opened, so the process can exit. */
function opened(t: Test, socket: BatchSocket): BatchSocket {
  t.teardown(() => socket.close());
  return socket;
}

const payload = (i: number) => Buffer.from(`dgram:${i}:`.padEnd(10 + ((i * 37) % 300), String.fromCharCode(97 + (i % 26))), 'latin1');

t.test('the addon loads on this Linux machine', async (t) => {
  t.equal(process.platform, 'linux', 'these tests run on Linux');
  const loaded = loadUdpBatch();
  t.ok('binding' in loaded, 'binding' in loaded ? 'addon loaded' : `${loaded.reason} — run npm install with python3, make and g++ to build it`);
  const binding = requireBinding(t);
  t.equal(binding.META_STRIDE, META_STRIDE);
  t.equal(binding.BATCH, 64);
  t.equal(typeof binding.open, 'function');
  t.equal(loadUdpBatch(), loaded, 'loaded once');
  t.equal(chooseUdpIo('recvmmsg').kind, 'recvmmsg');
  t.equal(chooseUdpIo('auto').kind, 'recvmmsg');
  t.same(chooseUdpIo('dgram'), { kind: 'dgram', reason: 'configured' });
});

t.test('IPv4: 500 datagrams arrive once, in order, with their bytes and source', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 1024 * 1024, 2048));
  const info = socket.info();
  t.equal(info.family, 4);
  t.ok(info.port > 0 && info.port < 65536, `bound to port ${info.port}`);
  t.ok(info.receiveBufferBytes > 0, 'receive buffer size reported');
  const receiver = new Receiver(socket);
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  const clientPort = client.address().port;

  // In windows of 50, waiting for each window to be read: the receive buffer can never overflow.
  for (let i = 0; i < 500;) {
    const end = i + 50;
    for (; i < end; i++) await sendTo(client, payload(i), info.port, '127.0.0.1');
    await receiver.waitFor(i);
  }
  // One more, after which nothing may have been read twice.
  await sendTo(client, 'end', info.port, '127.0.0.1');
  await receiver.waitFor(501);

  t.equal(receiver.got.length, 501, 'each datagram read once');
  t.same(receiver.problems, [], 'offsets back to back');
  let wrong = 0;
  receiver.got.slice(0, 500).forEach((d, i) => {
    if (
      !d.bytes.equals(payload(i)) ||
      d.length !== payload(i).length ||
      d.flags !== 0 ||
      d.port !== clientPort ||
      d.family !== 4 ||
      d.address !== '127.0.0.1'
    ) {
      if (wrong++ < 5) t.fail(`datagram ${i} differs`, { found: { ...d, bytes: undefined }, wanted: payload(i).toString('latin1') });
    }
  });
  t.equal(wrong, 0, 'all 500 in order with the right bytes, port and address');
  t.equal(receiver.got[500]!.text, 'end');
  t.same(receiver.got[0]!.peer, [clientPort, 4, ipv4Word('127.0.0.1'), 0, 0, 0]);
  t.equal(socket.read(new Uint8Array(4096), new Int32Array(META_STRIDE * 8), 8), 0, 'nothing left');
});

t.test('a target too small for all waiting datagrams: later reads return the rest', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 1024 * 1024, 1024));
  const port = socket.info().port;
  // Room for three 100-byte datagrams per read, while recvmmsg takes up to 64 from the kernel.
  const receiver = new Receiver(socket, { targetBytes: 350 });
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  const datagram = (i: number) => Buffer.from(`small:${i}:`.padEnd(100, '.'));
  // All sent in one turn of the event loop, so most are waiting together when the socket is read.
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 150; i++) sends.push(sendTo(client, datagram(i), port, '127.0.0.1'));
  await Promise.all(sends);
  await receiver.waitFor(150);
  await sendTo(client, 'end', port, '127.0.0.1');
  await receiver.waitFor(151);

  t.equal(receiver.got.length, 151, 'none lost, none duplicated');
  t.same(
    receiver.got.map((d) => d.text),
    [...Array.from({ length: 150 }, (_, i) => datagram(i).toString()), 'end'],
    'in order',
  );
  t.ok(Math.max(...receiver.readCounts) <= 3, `each read returned at most 3 (${receiver.readCounts.slice(0, 10).join(',')}...)`);
  t.ok(receiver.readCounts.length >= 51, 'it took at least 50 reads');
  t.same(receiver.problems, []);
});

t.test('max and the meta room bound a read; the rest stays for the next', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 1024 * 1024, 1024));
  const port = socket.info().port;
  const byMax = new Receiver(socket, { max: 5 });
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  await Promise.all(Array.from({ length: 100 }, (_, i) => sendTo(client, `m${i}`, port, '127.0.0.1')));
  await byMax.waitFor(100);
  t.same(
    byMax.got.map((d) => d.text),
    Array.from({ length: 100 }, (_, i) => `m${i}`),
  );
  t.ok(Math.max(...byMax.readCounts) <= 5, 'max respected');

  const other = opened(t, binding.open('127.0.0.1', 0, 1024 * 1024, 1024));
  const otherPort = other.info().port;
  const byMeta = new Receiver(other, { metaSlots: 2, max: 64 });
  await Promise.all(Array.from({ length: 100 }, (_, i) => sendTo(client, `n${i}`, otherPort, '127.0.0.1')));
  await byMeta.waitFor(100);
  t.same(
    byMeta.got.map((d) => d.text),
    Array.from({ length: 100 }, (_, i) => `n${i}`),
  );
  t.ok(Math.max(...byMeta.readCounts) <= 2, 'never more datagrams than the meta array holds');
});

t.test('a datagram larger than the whole target throws ERANGE and is kept for a larger target', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 0, 1024));
  const port = socket.info().port;
  const meta = new Int32Array(META_STRIDE * 4);
  const big = new Uint8Array(1024);
  const results: { error?: unknown; texts: string[] } = { texts: [] };
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the datagram')), DEADLINE_MS);
    socket.start(() => {
      if (results.error === undefined) {
        try {
          socket.read(new Uint8Array(50), meta, 4);
          results.error = null;
        } catch (err) {
          results.error = err;
        }
      }
      for (let n; (n = socket.read(big, meta, 4)) > 0;) {
        for (let i = 0; i < n; i++) {
          const m = i * META_STRIDE;
          results.texts.push(Buffer.from(big.subarray(meta[m + META.offset], meta[m + META.offset]! + meta[m + META.length]!)).toString());
        }
      }
      if (results.texts.length > 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  await sendTo(client, 'x'.repeat(100), port, '127.0.0.1');
  await done;
  t.type(results.error, RangeError);
  t.equal((results.error as NodeJS.ErrnoException).code, 'ERANGE');
  t.same(results.texts, ['x'.repeat(100)], 'the datagram taken from the kernel was not lost');
});

t.test('reads into a subarray land at its offset', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 0, 1024));
  const port = socket.info().port;
  const backing = new Uint8Array(4096).fill(0xee);
  const target = backing.subarray(100, 2100);
  const metaBacking = new Int32Array(META_STRIDE * 10).fill(-7);
  const meta = metaBacking.subarray(META_STRIDE * 2);
  const texts: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), DEADLINE_MS);
    socket.start(() => {
      for (let n; (n = socket.read(target, meta, 8)) > 0;) {
        for (let i = 0; i < n; i++) {
          const off = meta[i * META_STRIDE + META.offset]!;
          texts.push(Buffer.from(target.subarray(off, off + meta[i * META_STRIDE + META.length]!)).toString());
        }
      }
      if (texts.length > 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  await sendTo(client, 'hello', port, '127.0.0.1');
  await done;
  t.same(texts, ['hello']);
  t.same(Array.from(backing.subarray(100, 105)), Array.from(Buffer.from('hello')), 'written at the subarray offset');
  t.ok(
    backing.subarray(0, 100).every((b) => b === 0xee),
    'nothing written before the subarray',
  );
  t.same(Array.from(metaBacking.subarray(0, META_STRIDE * 2)), Array<number>(META_STRIDE * 2).fill(-7), 'meta written after its offset only');
});

t.test('datagrams larger than maxMessageBytes are flagged and not copied', async (t) => {
  const binding = requireBinding(t);
  const max = 100;
  const socket = opened(t, binding.open('127.0.0.1', 0, 1024 * 1024, max));
  const port = socket.info().port;
  const receiver = new Receiver(socket);
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  const sizes = [max, max + 1, 5000, max - 1, 60_000, 1, max];
  const body = (i: number, size: number) => Buffer.alloc(size, 65 + i);
  await Promise.all(sizes.map((size, i) => sendTo(client, body(i, size), port, '127.0.0.1')));
  await receiver.waitFor(sizes.length);
  t.equal(receiver.got.length, sizes.length);
  receiver.got.forEach((d, i) => {
    const size = sizes[i]!;
    if (size > max) {
      t.equal(d.flags & FLAG_TRUNCATED, FLAG_TRUNCATED, `${size} bytes: truncated`);
      t.ok(d.length > max, `${size} bytes: its length is reported as more than the maximum (${d.length})`);
      t.equal(d.bytes.length, 0, `${size} bytes: not copied`);
    } else {
      t.equal(d.flags, 0, `${size} bytes: not flagged`);
      t.equal(d.length, size);
      t.ok(d.bytes.equals(body(i, size)), `${size} bytes: copied intact`);
    }
    t.equal(d.address, '127.0.0.1');
  });
  t.same(receiver.problems, [], 'truncated datagrams take no room in the target');
});

t.test("a dual-stack '::' socket reports IPv4 peers as family 4 and IPv6 peers as family 6", async (t) => {
  const binding = requireBinding(t);
  const probe = dgram.createSocket('udp6');
  const ipv6Error = await new Promise<Error | null>((resolve) => {
    probe.once('error', resolve);
    probe.bind(0, '::1', () => resolve(null));
  });
  await closeClient(probe).catch(() => undefined);
  if (ipv6Error) {
    t.fail(`IPv6 loopback ::1 is not usable on this machine (${ipv6Error.message}); this test needs it`);
    return;
  }
  const socket = opened(t, binding.open('::', 0, 1024 * 1024, 1024));
  const info = socket.info();
  t.equal(info.family, 6);
  const receiver = new Receiver(socket);
  const v4 = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(v4));
  const v6 = await udpClient('udp6', '::1');
  t.teardown(() => closeClient(v6));
  await sendTo(v4, 'from v4', info.port, '127.0.0.1');
  await receiver.waitFor(1);
  await sendTo(v6, 'from v6', info.port, '::1');
  await receiver.waitFor(2);
  const [a, b] = receiver.got;
  t.match(a, { text: 'from v4', family: 4, address: '127.0.0.1', port: v4.address().port });
  t.same(a!.peer, [v4.address().port, 4, ipv4Word('127.0.0.1'), 0, 0, 0], 'IPv4 peer: one address word, the rest zero');
  t.match(b, { text: 'from v6', family: 6, address: '::1', port: v6.address().port });
  t.same(b!.peer.slice(0, 2), [v6.address().port, 6]);
});

/** Replies `reply:<request>` to each received request, copying its peer words into the reply meta. */
function replyTo(socket: BatchSocket, requests: readonly { text: string; peer: number[] }[]): number {
  const parts = requests.map((r) => Buffer.from(`reply:${r.text}`));
  const data = Buffer.concat(parts);
  const meta = new Int32Array(requests.length * META_STRIDE);
  let offset = 0;
  requests.forEach((r, i) => {
    const m = i * META_STRIDE;
    meta[m + META.offset] = offset;
    meta[m + META.length] = parts[i]!.length;
    meta.set(r.peer, m + META.port);
    offset += parts[i]!.length;
  });
  return socket.send(data, meta, requests.length);
}

async function roundTrip(t: Test, bindAddress: string, clientType: 'udp4' | 'udp6', clientAddress: string, count: number) {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open(bindAddress, 0, 1024 * 1024, 1024));
  const port = socket.info().port;
  const receiver = new Receiver(socket);
  const client = await udpClient(clientType, clientAddress);
  t.teardown(() => closeClient(client));
  const replies = new Collector(client);
  for (let i = 0; i < count; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => sendTo(client, `q${i + k}`, port, clientAddress)));
  }
  await receiver.waitFor(count);
  t.equal(replyTo(socket, receiver.got), count, `send() returns ${count}`);
  await replies.waitFor(count);
  t.same(
    replies.got.map((r) => r.text),
    Array.from({ length: count }, (_, i) => `reply:q${i}`),
    'every reply arrived, in order',
  );
  t.ok(
    replies.got.every((r) => r.port === port && r.address === clientAddress),
    `replies come from ${clientAddress}:${port}`,
  );
}

t.test('send(): replies to an IPv4 socket’s peers, more than one sendmmsg batch at once', (t) => roundTrip(t, '127.0.0.1', 'udp4', '127.0.0.1', 150));
t.test("send(): a '::' socket answers an IPv4 client", (t) => roundTrip(t, '::', 'udp4', '127.0.0.1', 10));
t.test("send(): a '::' socket answers an IPv6 client", (t) => roundTrip(t, '::', 'udp6', '::1', 10));

t.test('send(): a datagram with an undeliverable destination does not stop the ones after it', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 0, 1024));
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  const replies = new Collector(client);
  const clientPort = client.address().port;
  const data = Buffer.from('AABBCCDD');
  const meta = new Int32Array(4 * META_STRIDE);
  for (let i = 0; i < 4; i++) meta.set([2 * i, 2, 0, clientPort, 4, ipv4Word('127.0.0.1'), 0, 0, 0], i * META_STRIDE);
  meta[1 * META_STRIDE + META.port] = 0; // port 0: the kernel refuses this one (EINVAL)
  t.equal(socket.send(data, meta, 4), 4, 'all four dealt with (the bad one skipped), so the caller does not retry them');
  await replies.waitFor(3);
  t.same(
    replies.got.map((r) => r.text),
    ['AA', 'CC', 'DD'],
    'the valid datagrams after the bad one were sent',
  );
});

t.test('errors', async (t) => {
  const binding = requireBinding(t);
  const holder = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
  t.teardown(() => closeClient(holder));
  const busyPort = holder.address().port;
  t.throws(() => binding.open('127.0.0.1', busyPort, 0, 1024), { code: 'EADDRINUSE' }, 'a port node:dgram holds');
  const first = opened(t, binding.open('127.0.0.1', 0, 0, 1024));
  t.throws(() => binding.open('127.0.0.1', first.info().port, 0, 1024), { code: 'EADDRINUSE' }, 'a port another addon socket holds');

  for (const bad of ['localhost', 'not-an-address', '127.0.0.256', '::g', '']) {
    const err = catchError(() => binding.open(bad, 0, 0, 1024));
    t.equal((err as NodeJS.ErrnoException | undefined)?.code, 'EINVAL', `bind address ${JSON.stringify(bad)}: EINVAL`);
    t.notOk(err instanceof TypeError, 'a bad address is not a type error');
  }

  const anyType = binding as unknown as { open(...args: unknown[]): BatchSocket };
  t.throws(() => anyType.open(127, 0, 0, 1024), TypeError, 'address not a string');
  t.throws(() => anyType.open('127.0.0.1', '0', 0, 1024), TypeError, 'port not a number');
  t.throws(() => anyType.open('127.0.0.1', 70_000, 0, 1024), TypeError, 'port out of range');
  t.throws(() => anyType.open('127.0.0.1', 0, 0, 0), TypeError, 'maxMessageBytes 0');
  t.throws(() => anyType.open('127.0.0.1', 0), TypeError, 'too few arguments');

  const socket = binding.open('127.0.0.1', 0, 0, 1024) as unknown as BatchSocket & Record<string, (...args: unknown[]) => unknown>;
  const meta = new Int32Array(META_STRIDE * 4);
  t.throws(() => socket.read(new Float32Array(4) as unknown as Uint8Array, meta, 4), TypeError, 'read: target not a Uint8Array');
  t.throws(() => socket.read(new Uint8Array(64), new Uint32Array(36) as unknown as Int32Array, 4), TypeError, 'read: meta not an Int32Array');
  t.throws(() => socket.read(new Uint8Array(64), meta, 'four' as unknown as number), TypeError, 'read: max not a number');
  t.throws(() => socket.send(Buffer.from('x'), meta, 5), TypeError, 'send: count beyond the meta array');
  t.throws(() => socket.send('x' as unknown as Uint8Array, meta, 1), TypeError, 'send: data not a Uint8Array');
  meta.set([0, 10, 0, 9, 4, ipv4Word('127.0.0.1'), 0, 0, 0]);
  t.throws(() => socket.send(Buffer.from('short'), meta, 1), { code: 'ERANGE' }, 'send: a datagram outside the data');
  t.throws(() => socket.start('not a function' as unknown as () => void), TypeError, 'start: not a function');
  t.equal(socket.read(new Uint8Array(64), meta, 4), 0, 'an open socket with nothing waiting reads 0');

  socket.close();
  t.doesNotThrow(() => socket.close(), 'close twice');
  t.throws(() => socket.read(new Uint8Array(64), meta, 4), { code: 'ERR_SOCKET_CLOSED' }, 'read after close');
  t.throws(() => socket.send(Buffer.from('x'), meta, 0), { code: 'ERR_SOCKET_CLOSED' }, 'send after close');
  t.throws(() => socket.info(), { code: 'ERR_SOCKET_CLOSED' }, 'info after close');
  t.throws(() => socket.start(() => undefined), { code: 'ERR_SOCKET_STATE' }, 'start after close');
  // eslint-disable-next-line @typescript-eslint/unbound-method -- detached on purpose: the addon must refuse a call on something that is not a socket
  const plain = { read: socket.read };
  t.throws(() => plain.read(new Uint8Array(64), meta, 4), { code: 'EINVAL' }, 'a method called on something that is not a socket');
});

t.test('start twice throws; close inside onReadable stops the callbacks', async (t) => {
  const binding = requireBinding(t);
  const socket = binding.open('127.0.0.1', 0, 0, 1024);
  const port = socket.info().port;
  let calls = 0;
  const closed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), DEADLINE_MS);
    socket.start(() => {
      calls++;
      socket.close(); // the datagram stays unread: a still-polling socket would be called again
      clearTimeout(timer);
      resolve();
    });
  });
  t.throws(() => socket.start(() => undefined), { code: 'ERR_SOCKET_STATE' }, 'already started');
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  await sendTo(client, 'one', port, '127.0.0.1');
  await closed;
  // A round trip through another socket gives a still-registered poll every chance to fire again.
  const echo = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(echo));
  const got = new Collector(echo);
  await sendTo(client, 'two', port, '127.0.0.1').catch(() => undefined);
  await sendTo(client, 'ping', echo.address().port, '127.0.0.1');
  await got.waitFor(1);
  await new Promise<void>((resolve) => setImmediate(resolve));
  t.equal(calls, 1, 'onReadable not called after close');
});

t.test('an exception thrown by onReadable is reported as uncaught, not by a later call', async (t) => {
  const binding = requireBinding(t);
  const socket = opened(t, binding.open('127.0.0.1', 0, 0, 1024));
  const port = socket.info().port;
  const boom = new Error('boom from onReadable');
  const meta = new Int32Array(META_STRIDE * 4);
  // Tap's own listeners are set aside while this one catches the throw, then put back.
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const restore = () => {
    process.removeAllListeners('uncaughtException');
    for (const l of listeners) process.on('uncaughtException', l);
  };
  t.teardown(restore);
  const caught = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the uncaught exception')), DEADLINE_MS);
    process.once('uncaughtException', (err) => {
      clearTimeout(timer);
      restore();
      resolve(err);
    });
  });
  socket.start(() => {
    while (socket.read(new Uint8Array(2048), meta, 4) > 0);
    throw boom;
  });
  const client = await udpClient('udp4', '127.0.0.1');
  t.teardown(() => closeClient(client));
  await sendTo(client, 'x', port, '127.0.0.1');
  t.equal(await caught, boom, 'process uncaughtException got it');
  t.doesNotThrow(() => socket.info(), 'a later addon call does not throw it again');
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
