// The addon's receive thread and queue (open(..., receiveQueueBytes)), through real sockets on
// loopback. The sender is a second addon socket: its send() is synchronous, so a test can send a
// burst and then keep the event loop busy, which is the case the receive thread exists for.
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { eventually } from '@netsidecar/test-support/eventually';
import {
  FLAG_TRUNCATED,
  leastReceiveQueueBytes,
  loadUdpBatch,
  META,
  META_STRIDE,
  receivedAtMs,
  receiveQueueRecordBytes,
  type BatchBinding,
  type BatchSocket,
} from '../src/index.js';

/** Every wait in these tests gives up (and fails the test) after this long. */
const DEADLINE_MS = 10_000;

function binding(): BatchBinding {
  const loaded = loadUdpBatch();
  if (!('binding' in loaded)) throw new Error(`the udp-batch addon did not load (${loaded.reason}); build it with npm install (python3, make, g++)`);
  return loaded.binding;
}

function opened(t: Test, socket: BatchSocket): BatchSocket {
  t.teardown(() => socket.close());
  return socket;
}

const loopbackWord = new Int32Array(new Uint8Array([127, 0, 0, 1]).buffer)[0]!;

/** Sends `payloads` to 127.0.0.1:`port` from `from`, synchronously (sendmmsg); all must go. */
function sendNow(from: BatchSocket, port: number, payloads: Buffer[]): void {
  const data = Buffer.concat(payloads);
  const meta = new Int32Array(payloads.length * META_STRIDE);
  let offset = 0;
  payloads.forEach((payload, i) => {
    const m = i * META_STRIDE;
    meta[m + META.offset] = offset;
    meta[m + META.length] = payload.length;
    meta[m + META.port] = port;
    meta[m + META.family] = 4;
    meta[m + META.address] = loopbackWord;
    offset += payload.length;
  });
  let sent = 0;
  const deadline = Date.now() + DEADLINE_MS;
  while (sent < payloads.length) {
    if (Date.now() > deadline) throw new Error(`sent ${sent} of ${payloads.length} before the deadline`);
    const rest = payloads.length - sent;
    const restMeta = meta.subarray(sent * META_STRIDE);
    sent += from.send(data, restMeta, rest);
  }
}

/** Spins on this thread (the event loop does not run) until `condition`, or fails at the deadline. */
function spinUntil(condition: () => boolean, what: string): void {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) if (Date.now() > deadline) throw new Error(`${what}: not within ${DEADLINE_MS} ms`);
}

interface Datagram {
  text: string;
  length: number;
  flags: number;
  port: number;
  receivedAtMs: number | null;
}

/** Reads every datagram the socket has for now. */
function readAll(socket: BatchSocket, max = 64): Datagram[] {
  const target = new Uint8Array(256 * 1024);
  const meta = new Int32Array(max * META_STRIDE);
  const got: Datagram[] = [];
  for (;;) {
    const count = socket.read(target, meta, max);
    if (count === 0) return got;
    for (let i = 0; i < count; i++) {
      const m = i * META_STRIDE;
      const flags = meta[m + META.flags]!;
      const length = meta[m + META.length]!;
      const start = meta[m + META.offset]!;
      got.push({
        text: flags & FLAG_TRUNCATED ? '' : Buffer.from(target.subarray(start, start + length)).toString(),
        length,
        flags,
        port: meta[m + META.port]!,
        receivedAtMs: receivedAtMs(meta, i),
      });
    }
  }
}

/** Payload `i`: its number, padded to a length that varies with it (1 to about 600 bytes). */
const payload = (i: number): Buffer => Buffer.from(`${i}:`.padEnd(1 + ((i * 37) % 600), 'x'));

t.test('the receive thread reads datagrams while the event loop is busy, in order, stamped with when it read them', async (t) => {
  const udp = binding();
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 2048, false, 1024 * 1024));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  socket.start(() => {});
  const before = Date.now();
  const payloads = Array.from({ length: 200 }, (_, i) => payload(i));
  sendNow(sender, socket.info().port, payloads);
  // The event loop has not run since the burst: only the receive thread can have read it.
  spinUntil(() => socket.held() === 200, 'the thread queues all 200 datagrams');
  const after = Date.now();
  const got = readAll(socket);
  t.same(
    got.map((d) => d.text),
    payloads.map((p) => p.toString()),
    'every datagram, whole and in the order sent',
  );
  t.ok(
    got.every((d) => d.port === sender.info().port),
    'each with its source port',
  );
  t.ok(
    got.every((d) => d.receivedAtMs !== null && d.receivedAtMs >= before - 1 && d.receivedAtMs <= after + 1),
    'each stamped with when the thread read it, within the burst',
  );
  t.equal(socket.held(), 0, 'nothing left once read');
});

t.test('a full queue: the thread stops reading, the kernel keeps the rest, and reading frees room; nothing lost, in order', async (t) => {
  const udp = binding();
  const queueBytes = 8 * 1024;
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, queueBytes));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  const got: Datagram[] = [];
  let mostHeld = 0;
  socket.start(() => {
    mostHeld = Math.max(mostHeld, socket.held());
    // A few at a time, so the queue wraps around many times with the thread waiting for room.
    got.push(...readAll(socket, 3).slice());
  });
  const payloads = Array.from({ length: 400 }, (_, i) => payload(i));
  sendNow(sender, socket.info().port, payloads);
  const smallestRecord = receiveQueueRecordBytes(1);
  spinUntil(() => socket.held() > 0, 'the thread queues the first datagrams');
  await eventually(() => got.length === payloads.length, { timeoutMs: DEADLINE_MS, intervalMs: 2, what: 'all 400 datagrams read' });
  t.same(
    got.map((d) => d.text),
    payloads.map((p) => p.toString()),
    'every datagram (about 120 KB through an 8 KiB queue), whole and in order',
  );
  t.ok(mostHeld * smallestRecord <= queueBytes, `the queue never held more than fits in it (at most ${mostHeld} at once)`);
  const info = socket.info();
  t.ok(info.receiveQueueFullWaits >= 1, `info() counts the times the thread found the queue full (${info.receiveQueueFullWaits})`);
  t.equal(info.receiveQueueUsedBytes, 0, 'and says the queue is empty once everything is read');
});

t.test('info(): the bytes the queue holds while nothing reads it; zero, and no full waits, without a queue', async (t) => {
  const udp = binding();
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, 64 * 1024));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  socket.start(() => {}); // woken, but reads nothing: the datagrams stay queued
  const payloads = Array.from({ length: 10 }, (_, i) => payload(i));
  sendNow(sender, socket.info().port, payloads);
  const expected = payloads.reduce((sum, p) => sum + receiveQueueRecordBytes(p.length), 0);
  spinUntil(() => socket.info().receiveQueueUsedBytes === expected, `the queue holds the 10 datagrams' records (${expected} bytes)`);
  t.equal(socket.info().receiveQueueFullWaits, 0, 'a queue with room never made the thread wait');
  readAll(socket, 10);
  t.equal(socket.info().receiveQueueUsedBytes, 0, 'empty once read');

  const plain = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, 0));
  t.same([plain.info().receiveQueueUsedBytes, plain.info().receiveQueueFullWaits], [0, 0], 'a socket read on the event loop has no queue');
});

t.test('setReading(false): no wake-ups while the thread goes on filling the queue; true wakes the reader again', async (t) => {
  const udp = binding();
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 2048, false, 1024 * 1024));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  let wakeUps = 0;
  socket.start(() => wakeUps++);
  socket.setReading(false);
  sendNow(
    sender,
    socket.info().port,
    Array.from({ length: 10 }, (_, i) => payload(i)),
  );
  spinUntil(() => socket.held() === 10, 'the thread queues all 10');
  // Turns of the event loop in which a wake-up, had one been sent, would have run.
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  t.equal(wakeUps, 0, 'not woken while reading is off');
  socket.setReading(true);
  await eventually(() => wakeUps > 0, { timeoutMs: DEADLINE_MS, intervalMs: 2, what: 'a wake-up once reading is on again' });
  t.equal(readAll(socket).length, 10, 'the 10 queued datagrams are read');
});

t.test('a datagram larger than the maximum is flagged with its length and no bytes; the next one is whole', async (t) => {
  const udp = binding();
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, 64 * 1024));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 4096));
  socket.start(() => {});
  sendNow(sender, socket.info().port, [Buffer.alloc(3000, 'y'), Buffer.from('after')]);
  spinUntil(() => socket.held() === 2, 'both queued');
  const [large, next] = readAll(socket);
  t.match(large, { flags: FLAG_TRUNCATED, length: 1025, text: '' }, 'flagged, its length past the maximum, its bytes not kept');
  t.match(next, { flags: 0, text: 'after' }, 'the next datagram whole');
});

t.test('close() while the thread waits for room returns, and the socket is closed', async (t) => {
  const udp = binding();
  const socket = udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, 8 * 1024);
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  socket.start(() => {});
  socket.setReading(false);
  sendNow(
    sender,
    socket.info().port,
    Array.from({ length: 100 }, (_, i) => payload(i)),
  );
  spinUntil(() => socket.held() > 5, 'the queue fills');
  socket.close(); // joins the thread: a hang here fails the test by its timeout
  t.throws(() => socket.read(new Uint8Array(1024), new Int32Array(META_STRIDE), 1), { code: 'ERR_SOCKET_CLOSED' }, 'reading a closed socket throws');
});

t.test('open() refuses a queue that cannot hold four of the largest datagrams', async (t) => {
  const udp = binding();
  const least = leastReceiveQueueBytes(64 * 1024);
  t.throws(() => udp.open('127.0.0.1', 0, 0, 64 * 1024, false, least - 8), { code: 'ERANGE', message: /four of the largest/ });
  const smallest = udp.open('127.0.0.1', 0, 0, 64 * 1024, false, least);
  t.equal(smallest.held(), 0, 'leastReceiveQueueBytes() is enough');
  smallest.close();
  t.throws(() => udp.open('127.0.0.1', 0, 0, 1024, false, -1), { code: 'EINVAL' });
});

t.test('stopReceiving(): the thread stops taking from the kernel; what it queued is still read, then close()', async (t) => {
  const udp = binding();
  const socket = opened(t, udp.open('127.0.0.1', 0, 1024 * 1024, 1024, false, 8 * 1024));
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 2048));
  socket.start(() => {});
  socket.setReading(false);
  const payloads = Array.from({ length: 100 }, (_, i) => payload(i));
  sendNow(sender, socket.info().port, payloads);
  spinUntil(() => socket.held() > 5, 'the queue fills');
  socket.stopReceiving();
  const queued = socket.held();
  const got = readAll(socket);
  t.equal(got.length, queued, `the ${queued} queued datagrams are read after the stop`);
  t.same(
    got.map((d) => d.text),
    payloads.slice(0, queued).map((p) => p.toString()),
    'the first ones sent, in order',
  );
  t.equal(readAll(socket).length, 0, 'and nothing more: the kernel holds the rest, unread');
  t.ok(queued < payloads.length, 'the queue (8 KiB) could not take all 100');
});

t.test('property: any sizes (empty to the maximum) through any queue size, read any number at a time, arrive whole and in order', async (t) => {
  const udp = binding();
  const sender = opened(t, udp.open('127.0.0.1', 0, 0, 4096));
  const maxMessage = 1024;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: maxMessage }), { minLength: 1, maxLength: 150 }),
      fc.integer({ min: leastReceiveQueueBytes(maxMessage), max: 32 * 1024 }),
      fc.integer({ min: 1, max: 64 }),
      async (sizes, queueBytes, perRead) => {
        const socket = udp.open('127.0.0.1', 0, 2 * 1024 * 1024, maxMessage, false, queueBytes);
        try {
          const got: Datagram[] = [];
          socket.start(() => got.push(...readAll(socket, perRead)));
          const payloads = sizes.map((size, i) => Buffer.alloc(size, String.fromCharCode(97 + (i % 26))));
          sendNow(sender, socket.info().port, payloads);
          await eventually(() => got.length === payloads.length, { timeoutMs: DEADLINE_MS, intervalMs: 1, what: `${payloads.length} datagrams` });
          return got.every((d, i) => d.flags === 0 && d.length === sizes[i] && d.text === payloads[i]!.toString());
        } finally {
          socket.close();
        }
      },
    ),
    { numRuns: 40 },
  );
  t.pass('held for 40 runs');
});
