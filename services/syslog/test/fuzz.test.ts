// Bad input never crashes the service, and every input becomes an event or a counted reason.
import t from 'tap';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import type { DrainReport, Sink, SinkEvent, WriteOutcome } from '@netsidecar/sink';
import { createRegistry } from '@netsidecar/telemetry';
import { Ingest } from '../src/ingest.js';
import { createSyslogMetrics } from '../src/metrics.js';
import { startTestSyslog } from './harness.js';

/** mulberry32: a tiny seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds = [
  '<189>65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
  '<165>1 2026-11-22T14:00:00.003+09:00 rtr-tyo-1 rpd 2345 BGP_STATE [junos@2636.1.1.1.2.18 peer-name="10.1.1.1" esc="a\\"b\\]c"] \ufeffBGP peer down',
  '<134>Nov 22 14:00:00 fw1 1,2026/11/22 14:00:00,0123456789,TRAFFIC,end,2561,2026/11/22 14:00:00,10.0.0.1',
  'date=2026-11-22 time=14:00:00 devname="FGT" devid="FG100" logid="0100032001" type="event" tz="+0900"',
  '<30>firewall,info input: in:ether1 out:(unknown 0), src-mac 00:11:22:33:44:55',
];

function mutate(random: () => number): Buffer {
  const kind = random();
  if (kind < 0.3) {
    // Pure noise of any length up to 1 KiB, four bytes per random draw.
    const words = new Uint32Array(Math.ceil((random() * 1024) / 4));
    for (let i = 0; i < words.length; i++) words[i] = random() * 4294967296;
    return Buffer.from(words.buffer, 0, Math.max(0, words.byteLength - Math.floor(random() * 4)));
  }
  const base = Buffer.from(seeds[Math.floor(random() * seeds.length)]!);
  if (kind < 0.6) return base.subarray(0, Math.floor(random() * (base.length + 1))); // truncated
  const copy = Buffer.from(base);
  const flips = 1 + Math.floor(random() * 8);
  for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
  return copy;
}

class CountingSink implements Sink {
  readonly kind = 'file' as const;
  written = 0;
  lastMessage = '';
  write(event: SinkEvent): WriteOutcome {
    this.written++;
    this.lastMessage = event.message;
    return 'ok';
  }
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<DrainReport> {
    return Promise.resolve({ delivered: this.written, pending: 0, pendingSpooled: false });
  }
  refusalReason(): string | null {
    return null;
  }

  queuedEvents(): number {
    return 0;
  }
}

t.test('a million mutated and random datagrams: each one an event or a counted reason, none throws', async (t) => {
  const registry = createRegistry('syslog');
  const metrics = createSyslogMetrics(registry);
  const sink = new CountingSink();
  const ingest = new Ingest(sink, '/netsidecar/syslog', metrics);
  const random = prng(20261122);
  const total = 1_000_000;
  const context = { receivedAt: new Date('2026-11-22T14:00:05Z'), sourceIp: '192.0.2.1', sourcePort: 514, transport: 'udp' as const };
  for (let i = 0; i < total; i++) ingest.accept(mutate(random), context);
  const empty = (await metrics.dropped.get()).values.find((v) => v.labels.reason === 'empty')?.value ?? 0;
  t.equal(sink.written + empty, total, `${sink.written} events + ${empty} empty datagrams`);
  t.ok(sink.written > total * 0.9);
  const parsed = (await metrics.parsed.counter.get()).values.reduce((sum, v) => sum + v.value, 0);
  const unparsed = (await metrics.unparsed.counter.get()).values[0]?.value ?? 0;
  t.equal(parsed + unparsed, sink.written, 'every event is counted as parsed or unparsed');
  t.doesNotThrow(() => JSON.parse(sink.lastMessage), 'events are valid JSON');
});

t.test('random datagrams over a real socket: the service stays up and accounts for each one', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '1KiB' });
  const random = prng(7);
  const client = createSocket('udp4');
  t.teardown(() => client.close());
  const total = 5_000;
  for (let i = 0; i < total; i++) {
    const datagram = mutate(random);
    await new Promise<void>((resolve) => client.send(datagram, syslog.service.udpPort, '127.0.0.1', () => resolve()));
    if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 1)); // pace: stay inside the receive buffer
  }
  const giveUp = Date.now() + 10_000;
  let received = 0;
  let kernelDrops = 0;
  while (Date.now() < giveUp) {
    received = await syslog.metric('netsidecar_syslog_received_total', { transport: 'udp' });
    kernelDrops = await syslog.metric('netsidecar_syslog_udp_kernel_drops');
    if (received + kernelDrops >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.equal(received + kernelDrops, total, `received ${received}, kernel drops ${kernelDrops}`);
  const tooLarge = await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'message_too_large' });
  const empty = await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'empty' });
  // Parsing happens on a worker thread: wait for its results to reach the sink.
  const events = await syslog.waitForEvents(received - tooLarge - empty);
  t.equal(events.length + tooLarge + empty, received, `${events.length} events, ${tooLarge} too large, ${empty} empty`);
});

t.test('garbage TCP streams (huge length prefixes, truncated frames, noise) never take the service down', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '4KiB' });
  const random = prng(99);
  const streams: Buffer[] = [
    Buffer.from('99999999999999999999999 <13>x'),
    Buffer.from('5 <13>a5 <13>b17 <13>truncated'),
    Buffer.from('-1 <13>negative'),
    Buffer.from('\n\n\r\n'),
  ];
  for (let i = 0; i < 40; i++) streams.push(mutate(random));
  for (const payload of streams) {
    const socket = connect({ host: '127.0.0.1', port: syslog.service.tcpPort });
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.end(payload);
    await once(socket, 'close');
  }
  const socket = connect({ host: '127.0.0.1', port: syslog.service.tcpPort });
  await once(socket, 'connect');
  socket.end('<13>Nov 22 14:00:00 survivor app: still serving\n');
  const events = await syslog.waitForEvents(1, 'survivor');
  t.equal(events.length, 1, 'a good sender after the garbage is served');
});
