// startBatchReader: reads in bounded rounds, comes back for what the addon holds, and stops
// watching the socket while its consumer cannot take more (the kernel then keeps the datagrams).
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { kernelUdpQueuedBytes } from '@netsidecar/telemetry';
import { eventually } from '@netsidecar/test-support/eventually';
import { loadUdpBatch, META, META_STRIDE, startBatchReader, type BatchBinding } from '../src/index.js';

const DEADLINE_MS = 10_000;

function binding(t: Test): BatchBinding {
  const loaded = loadUdpBatch();
  if (!('binding' in loaded)) throw new Error(`the udp-batch addon did not load (${loaded.reason}); build it with npm install (python3, make, g++)`);
  t.ok(loaded.binding);
  return loaded.binding;
}

async function client(t: Test): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

const send = (socket: dgram.Socket, text: string, port: number) =>
  new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));

const until = (condition: () => boolean, what: string) => eventually(condition, { timeoutMs: DEADLINE_MS, intervalMs: 2, what });

t.test('a target too small for a burst: the reader comes back by itself for what the addon holds', async (t) => {
  const socket = binding(t).open('127.0.0.1', 0, 1024 * 1024, 2048);
  const port = socket.info().port;
  const target = new Uint8Array(350); // three 100-byte datagrams a read
  const meta = new Int32Array(64 * META_STRIDE);
  const got: string[] = [];
  const reader = startBatchReader(socket, {
    target,
    meta,
    maxPerRead: 64,
    readsPerWakeup: 2, // six datagrams a wake-up at most: the rest must not wait for another datagram
    onDatagrams: (count) => {
      for (let i = 0; i < count; i++) {
        const at = meta[i * META_STRIDE + META.offset]!;
        got.push(
          Buffer.from(target.subarray(at, at + meta[i * META_STRIDE + META.length]!))
            .toString('latin1')
            .trim(),
        );
      }
    },
    onError: (err) => t.fail(`unexpected read error: ${String(err)}`),
  });
  t.teardown(() => reader.close());
  const sender = await client(t);
  // All sent before any is read: the first wake-up finds the whole burst in the kernel's queue.
  for (let i = 0; i < 100; i++) await send(sender, `${i}`.padEnd(100), port);
  await until(() => got.length === 100, '100 datagrams');
  t.same(
    got,
    Array.from({ length: 100 }, (_, i) => `${i}`),
    'every datagram once, in order, with no later datagram to wake the poll',
  );
});

t.test('while canRead() is false the socket is not read: the kernel keeps the datagrams until resume()', async (t) => {
  const socket = binding(t).open('127.0.0.1', 0, 1024 * 1024, 2048);
  const port = socket.info().port;
  const target = new Uint8Array(64 * 1024);
  const meta = new Int32Array(64 * META_STRIDE);
  let open = false;
  let gateChecks = 0;
  const got: string[] = [];
  const reader = startBatchReader(socket, {
    target,
    meta,
    maxPerRead: 64,
    readsPerWakeup: 4,
    onDatagrams: (count) => {
      for (let i = 0; i < count; i++) {
        const at = meta[i * META_STRIDE + META.offset]!;
        got.push(Buffer.from(target.subarray(at, at + meta[i * META_STRIDE + META.length]!)).toString('latin1'));
      }
    },
    onError: (err) => t.fail(`unexpected read error: ${String(err)}`),
    canRead: () => {
      gateChecks++;
      return open;
    },
  });
  t.teardown(() => reader.close());
  const sender = await client(t);
  for (let i = 0; i < 20; i++) await send(sender, `held-${i}`, port);
  await until(() => (kernelUdpQueuedBytes(port) ?? 0) > 0 && gateChecks > 0, 'the datagrams in the kernel queue and the reader woken');
  // Several event-loop turns: a reader still watching the socket would be woken on each of them.
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  t.equal(got.length, 0, 'nothing read while closed');
  t.equal(gateChecks, 1, 'woken once, then no longer watching the socket (no busy loop)');
  t.ok((kernelUdpQueuedBytes(port) ?? 0) > 0, 'the datagrams wait in the kernel');

  open = true;
  reader.resume();
  await until(() => got.length === 20, '20 datagrams after resume');
  t.same(
    got,
    Array.from({ length: 20 }, (_, i) => `held-${i}`),
  );
  t.equal(kernelUdpQueuedBytes(port), 0, 'the kernel queue is empty again');
  // Still watching after resume: a new datagram is read.
  await send(sender, 'after', port);
  await until(() => got.length === 21, 'a datagram sent after resume');
  reader.resume(); // harmless while reading
});

t.test('setReading on a socket that is not started, or closed, says so', async (t) => {
  const socket = binding(t).open('127.0.0.1', 0, 64 * 1024, 2048);
  t.throws(() => socket.setReading(false), { code: 'ERR_SOCKET_STATE' });
  t.throws(() => (socket.setReading as (on: unknown) => void)('no'), TypeError);
  socket.close();
  t.throws(() => socket.setReading(true), { code: 'ERR_SOCKET_STATE' });
});

t.test('finish(): every datagram the receive thread queued goes to onDatagrams, even while the consumer is backlogged; then the socket closes', async (t) => {
  const socket = binding(t).open('127.0.0.1', 0, 1024 * 1024, 2048, false, 1024 * 1024);
  const sender = await client(t);
  const port = socket.info().port;
  const got: string[] = [];
  const target = new Uint8Array(64 * 1024);
  const meta = new Int32Array(16 * META_STRIDE);
  let backlogged = true; // the consumer takes nothing: everything stays queued until finish()
  const reader = startBatchReader(socket, {
    target,
    meta,
    maxPerRead: 16,
    readsPerWakeup: 4,
    onDatagrams: (count) => {
      for (let i = 0; i < count; i++) {
        const start = meta[i * META_STRIDE + META.offset]!;
        got.push(Buffer.from(target.subarray(start, start + meta[i * META_STRIDE + META.length]!)).toString());
      }
    },
    onError: (err) => t.fail(String(err)),
    canRead: () => !backlogged,
  });
  for (let i = 0; i < 50; i++) await send(sender, `m${i}`, port);
  await until(() => socket.held() === 50, 'the thread queues all 50');
  t.equal(got.length, 0, 'nothing taken while backlogged');
  reader.finish();
  t.same(
    got,
    Array.from({ length: 50 }, (_, i) => `m${i}`),
    'all 50, in order, at finish',
  );
  t.throws(() => socket.held() + socket.read(target, meta, 1), { code: 'ERR_SOCKET_CLOSED' }, 'and the socket is closed');
  backlogged = false;
});
