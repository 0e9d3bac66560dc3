// SO_TIMESTAMPNS: the kernel's receive time of each datagram, so a datagram that waited in the
// socket buffer can be dated to its arrival (NTP's T2), not to when it was read.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { eventually, within } from '@netsidecar/test-support/eventually';
import { kernelAgeNs, loadUdpBatch, META, META_STRIDE, realtimeReading, type BatchBinding } from '../src/index.js';

function binding(t: Test): BatchBinding {
  const loaded = loadUdpBatch();
  if (!('binding' in loaded)) throw new Error(`the udp-batch addon did not load (${loaded.reason}); build it with npm install (python3, make, g++)`);
  t.ok(loaded.binding);
  return loaded.binding;
}

async function sendOne(t: Test, port: number, text: string): Promise<void> {
  const client = dgram.createSocket('udp4');
  t.teardown(() => new Promise<void>((resolve) => client.close(() => resolve())));
  await new Promise<void>((resolve, reject) => client.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

/** Reads what is waiting, retrying on an empty read; fails after 10 s. */
async function readOne(socket: ReturnType<BatchBinding['open']>, meta: Int32Array): Promise<number> {
  return eventually(
    () => {
      const count = socket.read(new Uint8Array(2048), meta, 4);
      return count > 0 ? count : false;
    },
    { timeoutMs: 10_000, intervalMs: 1, what: 'the datagram' },
  );
}

t.test('with timestamps, each datagram carries its arrival time: its age covers the time it waited unread', async (t) => {
  const addon = binding(t);
  const socket = addon.open('127.0.0.1', 0, 64 * 1024, 2048, true);
  t.teardown(() => socket.close());
  // The event loop says when the datagram is waiting in the socket: the kernel stamped it before
  // then. That, not the send, is the bound no load can break: under load the kernel may queue (and
  // stamp) a loopback datagram tens of ms after the send returned, even during a read that was
  // already running.
  const queued = new Promise<bigint>((resolve) => {
    socket.start(() => {
      socket.setReading(false);
      resolve(addon.realtimeNs());
    });
  });
  const before = addon.realtimeNs();
  await sendOne(t, socket.info().port, 'stamped');
  const waitingAt = await within(queued, { timeoutMs: 10_000, what: 'the socket to become readable' });
  // Left unread for 30 ms: the age must cover that wait.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const meta = new Int32Array(4 * META_STRIDE);
  t.equal(await readOne(socket, meta), 1);
  const now = addon.realtimeNs();
  const age = kernelAgeNs(meta, 0, realtimeReading(now));
  t.not(age, null, 'a kernel timestamp came with the datagram');
  const stamped = BigInt(meta[META.receivedSeconds]! >>> 0) * 1_000_000_000n + BigInt(meta[META.receivedNanos]!);
  t.ok(stamped >= before && stamped <= waitingAt, 'the stamp lies between the start of the send and the moment the datagram was seen waiting');
  t.ok(
    age! >= Number(now - waitingAt),
    `age ${age} ns covers at least the time since the datagram was seen waiting (${now - waitingAt} ns, 30 ms of it unread)`,
  );
  t.ok(age! <= Number(now - before), `and at most the time since just before the send (${now - before} ns)`);
  t.ok(Math.abs(age! - Number(now - stamped)) < 1_000_000, 'the age is the time since the kernel stamp');
});

t.test('without timestamps the words are 0 and the age is unknown', async (t) => {
  const addon = binding(t);
  const socket = addon.open('127.0.0.1', 0, 64 * 1024, 2048);
  t.teardown(() => socket.close());
  await sendOne(t, socket.info().port, 'plain');
  const meta = new Int32Array(4 * META_STRIDE).fill(-1);
  t.equal(await readOne(socket, meta), 1);
  t.equal(meta[META.receivedSeconds], 0);
  t.equal(meta[META.receivedNanos], 0);
  t.equal(kernelAgeNs(meta, 0, realtimeReading(addon.realtimeNs())), null);
});

t.test('kernelAgeNs refuses an age the clocks cannot support (a realtime step between the readings)', async (t) => {
  const meta = new Int32Array(META_STRIDE);
  meta[META.receivedSeconds] = 1_800_000_000;
  meta[META.receivedNanos] = 500;
  const stamp = 1_800_000_000n * 1_000_000_000n + 500n;
  t.equal(kernelAgeNs(meta, 0, realtimeReading(stamp + 1_000n)), 1_000);
  t.equal(kernelAgeNs(meta, 0, realtimeReading(stamp - 1n)), null, 'from the future');
  t.equal(kernelAgeNs(meta, 0, realtimeReading(stamp + 11_000_000_000n)), null, 'older than any buffer holds');
  t.throws(() => binding(t).open('127.0.0.1', 0, 64 * 1024, 2048, 'yes' as unknown as boolean), TypeError);
});
