// listenUdp through real loopback sockets, under both ways of reading (the addon and node:dgram):
// a service sees the same batches, sends replies the same way, and is warned the same way.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { chooseUdpIo, listenUdp, type DatagramBatch, type ListenUdpOptions, type OnBatch, type UdpIo, type UdpListener } from '../src/index.js';

/** Every wait in these tests gives up (and fails the test) after this long. */
const DEADLINE_MS = 10_000;
const ioModes = ['recvmmsg', 'dgram'] as const;

/** Resolves `when(condition)` as soon as `condition()` holds after a `changed()`: no polling, and a deadline. */
class Changes {
  private waiters: { condition: () => boolean; resolve: () => void }[] = [];

  changed(): void {
    this.waiters = this.waiters.filter((w) => (w.condition() ? (w.resolve(), false) : true));
  }

  when(condition: () => boolean, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), DEADLINE_MS);
      this.waiters.push({ condition, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

interface Seen {
  text: string;
  sourceIp: string;
  sourcePort: number;
  tooLarge: boolean;
  kernelAgeNs: number | null;
  shed: boolean;
  /** `datagram(i)` is the same bytes as `data[start(i), start(i) + length(i))`. */
  viewsAgree: boolean;
}

/** What onBatch was given, copied out of the batch (the next read reuses it). */
class Inbox extends Changes {
  readonly seen: Seen[] = [];

  record(batch: DatagramBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const tooLarge = batch.tooLarge(i);
      const start = batch.start(i);
      const bytes = batch.datagram(i);
      this.seen.push({
        text: tooLarge ? '' : bytes.toString(),
        sourceIp: batch.sourceIp(i),
        sourcePort: batch.sourcePort(i),
        tooLarge,
        kernelAgeNs: batch.kernelAgeNs(i),
        shed: batch.shed,
        viewsAgree: tooLarge || bytes.equals(batch.data.subarray(start, start + batch.length(i))),
      });
    }
    this.changed();
  }

  arrived(count: number): Promise<void> {
    return this.when(() => this.seen.length >= count, `${count} datagrams`);
  }
}

/** The logger the listener is given: what it said, and a way to wait for it. */
class Log extends Changes {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  warn = (msg: string, fields?: Record<string, unknown>): void => this.add('warn', msg, fields);
  error = (msg: string, fields?: Record<string, unknown>): void => this.add('error', msg, fields);

  private add(level: string, msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level, msg, fields });
    this.changed();
  }
}

async function listen(t: Test, io: UdpIo, log: Log, options: Partial<ListenUdpOptions>, onBatch: OnBatch): Promise<UdpListener> {
  const listener = await listenUdp(
    io,
    { address: '::', port: 0, receiveBufferBytes: 64 * 1024, maxMessageBytes: 512, readsPerWakeup: 4, logger: log, ...options },
    onBatch,
  );
  t.teardown(() => listener.close());
  return listener;
}

async function client(t: Test, address = '127.0.0.1'): Promise<dgram.Socket> {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  t.teardown(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket;
}

const send = (socket: dgram.Socket, payload: string | Buffer, port: number, address = '127.0.0.1') =>
  new Promise<void>((resolve, reject) => socket.send(payload, port, address, (err) => (err ? reject(err) : resolve())));

for (const mode of ioModes) {
  t.test(`${mode}: datagrams come in one shape, IPv4 peers named as IPv4, too-large ones flagged`, async (t) => {
    const inbox = new Inbox();
    const listener = await listen(t, chooseUdpIo(mode), new Log(), { kernelTimestamps: true }, (batch) => inbox.record(batch));
    t.equal(listener.address, '::', 'dual-stack');
    const sender = await client(t);
    const senderPort = sender.address().port;
    await send(sender, 'one', listener.port);
    await send(sender, 'x'.repeat(600), listener.port);
    await send(sender, 'three', listener.port);
    await inbox.arrived(3);
    t.same(
      inbox.seen.map((s) => [s.text, s.tooLarge]),
      [
        ['one', false],
        ['', true],
        ['three', false],
      ],
      'in order; the 600-byte datagram is above the 512-byte maximum',
    );
    t.ok(
      inbox.seen.every((s) => s.sourceIp === '127.0.0.1' && s.sourcePort === senderPort),
      'the source, as 127.0.0.1 (not ::ffff:127.0.0.1), and its port',
    );
    t.ok(
      inbox.seen.every((s) => s.viewsAgree),
      'datagram(i) is data[start(i), start(i) + length(i))',
    );
    t.ok(
      inbox.seen.every((s) => !s.shed),
      'nothing shed without canRead',
    );
    if (mode === 'recvmmsg') {
      t.ok(
        inbox.seen.every((s) => s.kernelAgeNs !== null && s.kernelAgeNs >= 0 && s.kernelAgeNs < 10e9),
        'the kernel dated each arrival',
      );
    } else {
      t.ok(
        inbox.seen.every((s) => s.kernelAgeNs === null),
        'node:dgram has no kernel receive times',
      );
    }

    const v6 = await client(t, '::1');
    await send(v6, 'from v6', listener.port, '::1');
    await inbox.arrived(4);
    t.same([inbox.seen[3]!.text, inbox.seen[3]!.sourceIp], ['from v6', '::1'], 'an IPv6 peer');
  });

  t.test(`${mode}: without kernelTimestamps, no kernel ages`, async (t) => {
    const inbox = new Inbox();
    const listener = await listen(t, chooseUdpIo(mode), new Log(), {}, (batch) => inbox.record(batch));
    await send(await client(t), 'one', listener.port);
    await inbox.arrived(1);
    t.equal(inbox.seen[0]!.kernelAgeNs, null);
  });

  t.test(`${mode}: replies go to each datagram's source; one that cannot be sent is counted`, async (t) => {
    let failed = 0;
    const onBatch: OnBatch = (batch) => {
      for (let i = 0; i < batch.count; i++) {
        const text = batch.datagram(i).toString();
        // Larger than maxMessageBytes: the one reply that cannot go out.
        batch.reply(i, text === 'huge' ? Buffer.alloc(600) : Buffer.from(text.toUpperCase()));
      }
      batch.sendReplies();
    };
    const listener = await listen(t, chooseUdpIo(mode), new Log(), { replies: { batch: 2, onFailed: () => failed++ } }, onBatch);
    const answers = new Changes();
    const got: string[] = [];
    for (const address of ['127.0.0.1', '::1']) {
      const peer = await client(t, address);
      peer.on('message', (reply) => {
        got.push(`${address} ${reply.toString()}`);
        answers.changed();
      });
      for (const text of ['a', 'huge', 'b', 'c']) await send(peer, text, listener.port, address);
    }
    await answers.when(() => got.length >= 6, 'six replies');
    t.same(got.sort(), ['127.0.0.1 A', '127.0.0.1 B', '127.0.0.1 C', '::1 A', '::1 B', '::1 C'].sort(), 'three replies to each peer, each to its sender');
    t.equal(failed, 2, 'the two replies above maxMessageBytes');
  });

  t.test(`${mode}: canRead false holds datagrams back (addon) or marks them shed (node:dgram)`, async (t) => {
    const inbox = new Inbox();
    let open = false;
    let declined = 0;
    const canRead = (): boolean => {
      if (!open) declined++;
      inbox.changed();
      return open;
    };
    const listener = await listen(t, chooseUdpIo(mode), new Log(), { canRead }, (batch) => inbox.record(batch));
    const sender = await client(t);
    await send(sender, 'early', listener.port);
    await inbox.when(() => declined > 0, 'canRead to be asked');
    if (mode === 'recvmmsg') {
      t.equal(inbox.seen.length, 0, 'not read: it stays in the kernel');
    } else {
      await inbox.arrived(1);
      t.same(
        inbox.seen.map((s) => [s.text, s.shed]),
        [['early', true]],
        'read anyway, marked shed',
      );
    }
    open = true;
    listener.resume();
    await send(sender, 'late', listener.port);
    await inbox.when(() => inbox.seen.some((s) => s.text === 'late'), 'the datagram sent after resume');
    if (mode === 'recvmmsg')
      t.same(
        inbox.seen.map((s) => [s.text, s.shed]),
        [
          ['early', false],
          ['late', false],
        ],
        'the held datagram first, then the new one',
      );
    else
      t.same(
        inbox.seen.map((s) => [s.text, s.shed]),
        [
          ['early', true],
          ['late', false],
        ],
      );
  });

  t.test(`${mode}: an exception in onBatch is logged and reading goes on`, async (t) => {
    const inbox = new Inbox();
    const log = new Log();
    const listener = await listen(t, chooseUdpIo(mode), log, {}, (batch) => {
      if (batch.datagram(0).toString() === 'boom') throw new Error('handler failed');
      inbox.record(batch);
    });
    const sender = await client(t);
    await send(sender, 'boom', listener.port);
    await log.when(() => log.lines.length > 0, 'the error to be logged');
    t.match(log.lines, [{ level: 'error', msg: 'UDP socket error', fields: { err: { message: 'handler failed' } } }]);
    await send(sender, 'after', listener.port);
    await inbox.arrived(1);
    t.equal(inbox.seen[0]!.text, 'after');
  });

  t.test(`${mode}: a receive buffer smaller than asked is logged with both sizes`, async (t) => {
    // The kernel caps SO_RCVBUF at net.core.rmem_max and reports twice that: ask for more.
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
    const small = new Log();
    const asked = await listen(t, chooseUdpIo(mode), small, { receiveBufferBytes: 64 * 1024 }, () => {});
    t.ok(asked.receiveBufferBytes >= 64 * 1024, 'what was asked, as the kernel reports it');
    t.same(small.lines, [], 'no warning');
    const large = new Log();
    const capped = await listen(t, chooseUdpIo(mode), large, { receiveBufferBytes: 2 * rmemMax + 4096 }, () => {});
    t.same(large.lines, [
      {
        level: 'warn',
        msg: 'UDP receive buffer is smaller than requested: raise net.core.rmem_max',
        fields: { requested: 2 * rmemMax + 4096, effective: capped.receiveBufferBytes },
      },
    ]);
  });
}

t.test('node:dgram where the addon was wanted is said at start; node:dgram asked for is not', async (t) => {
  const fallback = new Log();
  await listen(t, { kind: 'dgram', reason: 'the udp-batch addon is not built (test)' }, fallback, {}, () => {});
  t.same(fallback.lines, [
    {
      level: 'warn',
      msg: 'UDP is read with node:dgram, one datagram per system call: expect about half the recvmmsg rate',
      fields: { reason: 'the udp-batch addon is not built (test)' },
    },
  ]);
  const configured = new Log();
  await listen(t, chooseUdpIo('dgram'), configured, {}, () => {});
  t.same(configured.lines, []);
});

t.test('replies on a listener opened without them are a programming error, said at once', async (t) => {
  for (const mode of ioModes) {
    const errors = new Log();
    const listener = await listen(t, chooseUdpIo(mode), errors, {}, (batch) => batch.reply(0, Buffer.from('x')));
    await send(await client(t), 'ping', listener.port);
    await errors.when(() => errors.lines.length > 0, `${mode}: the error`);
    t.match(errors.lines[0], { level: 'error', fields: { err: { message: 'this UDP listener was opened without replies' } } }, mode);
  }
});
