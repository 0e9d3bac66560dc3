// Bad input never crashes the service, and every input becomes an event or a counted reason.
import t from 'tap';
import fc from 'fast-check';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import type { SinkEvent, WriteOutcome } from '@netsidecar/sink';
import { createRegistry } from '@netsidecar/telemetry';
import { eventually } from '@netsidecar/test-support/eventually';
import { Ingest } from '../src/ingest.js';
import { createSyslogMetrics } from '../src/metrics.js';
import { startTestSyslog, startTestSyslogWithIo, udpIoModes, type TestSyslog } from './harness.js';
import { RecordingSink } from './recording-sinks.js';

const seeds = [
  '<189>65: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
  '<165>1 2026-11-22T14:00:00.003+09:00 rtr-tyo-1 rpd 2345 BGP_STATE [junos@2636.1.1.1.2.18 peer-name="10.1.1.1" esc="a\\"b\\]c"] \ufeffBGP peer down',
  '<134>Nov 22 14:00:00 fw1 1,2026/11/22 14:00:00,0123456789,TRAFFIC,end,2561,2026/11/22 14:00:00,10.0.0.1',
  'date=2026-11-22 time=14:00:00 devname="FGT" devid="FG100" logid="0100032001" type="event" tz="+0900"',
  '<30>firewall,info input: in:ether1 out:(unknown 0), src-mac 00:11:22:33:44:55',
];

/** Datagrams: pure noise up to 1 KiB, a real line cut short, or a real line with 1 to 8 bytes changed. */
const seedBytes = seeds.map((line) => Buffer.from(line));
const mutated: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 1024, size: 'max' }).map((bytes) => Buffer.from(bytes)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...seedBytes), fc.nat()).map(([base, cut]) => base.subarray(0, cut % (base.length + 1))) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...seedBytes), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8, size: 'max' }))
      .map(([base, flips]) => {
        const copy = Buffer.from(base);
        for (const [at, byte] of flips) copy[at % copy.length] = byte;
        return copy;
      }),
  },
);

/** Counts events and keeps only the last: the fuzz runs write 200,000. */
class CountingSink extends RecordingSink {
  written = 0;
  lastMessage = '';
  override write(event: SinkEvent): WriteOutcome {
    this.written++;
    this.lastMessage = event.message;
    return 'ok';
  }
}

// 200,000 runs take 5.5 s on a loaded 2-core machine; the million of the hand-rolled loop this
// replaces would take about 25 s with fast-check's generation, too slow for the suite.
const TOTAL_DATAGRAMS = 200_000;

t.test('mutated and random datagrams: each one an event or a counted reason, none throws', async (t) => {
  const registry = createRegistry('syslog');
  const metrics = createSyslogMetrics(registry);
  const sink = new CountingSink();
  const ingest = new Ingest(sink, '/netsidecar/syslog', metrics, { schema: 2, receivedAt: true, native: true });
  const total = TOTAL_DATAGRAMS;
  const context = { receivedAt: new Date('2026-11-22T14:00:05Z'), sourceIp: '192.0.2.1', sourcePort: 514, transport: 'udp' as const };
  fc.assert(
    fc.property(mutated, (datagram) => {
      const before = sink.written;
      ingest.accept(datagram, context);
      const events = sink.written - before;
      if (events !== (datagram.length > 0 ? 1 : 0)) throw new Error(`${events} events from ${datagram.length} bytes`);
      if (events === 1) JSON.parse(sink.lastMessage); // an event is valid JSON
    }),
    { numRuns: total },
  );
  const empty = (await metrics.dropped.get()).values.find((v) => v.labels.reason === 'empty')?.value ?? 0;
  t.equal(sink.written + empty, total, `${sink.written} events + ${empty} empty datagrams`);
  t.ok(sink.written > total * 0.9);
  const parsed = (await metrics.parsed.counter.get()).values.reduce((sum, v) => sum + v.value, 0);
  const unparsed = (await metrics.unparsed.counter.get()).values[0]?.value ?? 0;
  t.equal(parsed + unparsed, sink.written, 'every event is counted as parsed or unparsed');
  t.doesNotThrow(() => JSON.parse(sink.lastMessage), 'events are valid JSON');
});

/** The UDP counters once `total` datagrams are accounted for (read, or dropped by the kernel); fails after 10 s. */
function waitForUdp(syslog: TestSyslog, total: number, pollMs = 20): Promise<{ received: number; kernelDrops: number }> {
  return eventually(
    async () => {
      const received = await syslog.metric('netsidecar_syslog_received_total', { transport: 'udp' });
      const kernelDrops = await syslog.metric('netsidecar_syslog_udp_kernel_drops');
      if (received + kernelDrops < total) throw new Error(`${received} received, ${kernelDrops} dropped by the kernel`);
      return { received, kernelDrops };
    },
    { timeoutMs: 10_000, intervalMs: pollMs, what: `${total} datagrams accounted for` },
  );
}

function send(client: Socket, datagram: Buffer, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => client.send(datagram, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

// Over a real socket, under each way of reading UDP (NETSIDECAR_SYSLOG_UDP_IO): recvmmsg marks a
// datagram over the maximum as truncated without copying it, node:dgram hands it over whole.
for (const io of udpIoModes) {
  t.test(`${io}: random and oversized datagrams over a real socket: the service stays up and accounts for each one`, async (t) => {
    const syslog = await startTestSyslogWithIo(t, io, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '1KiB' });
    const client = createSocket('udp4');
    t.teardown(() => client.close());
    const total = 10_000;
    // What is checked is the accounting over the whole batch, not one datagram: a sample, seeded so
    // every run sends the same datagrams (nothing to shrink).
    const datagrams = fc.sample(mutated, { numRuns: total, seed: 7 });
    const oversizedLengths = fc.sample(fc.integer({ min: 1025, max: 16 * 1024 }), { numRuns: total / 50, seed: 7 });
    let oversized = 0;
    for (let i = 0; i < total; i++) {
      // One in 50 is over the 1 KiB maximum: 1025 bytes up to 16 KiB.
      const datagram = i % 50 === 25 ? Buffer.alloc(oversizedLengths[Math.floor(i / 50)]!, 0x3c) : datagrams[i]!;
      if (datagram.length > 1024) oversized++;
      await send(client, datagram, syslog.service.udpPort);
      // Pace on the service, not on a timer: every 50 datagrams, wait until it has read what was
      // sent, so the receive buffer never holds more than 50 (sender and reader share this thread).
      if (i % 50 === 49) await waitForUdp(syslog, i + 1, 1);
    }
    const { received, kernelDrops } = await waitForUdp(syslog, total);
    t.equal(received + kernelDrops, total, `received ${received}, kernel drops ${kernelDrops}`);
    const tooLarge = await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'message_too_large' });
    const empty = await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'empty' });
    if (kernelDrops === 0) t.equal(tooLarge, oversized, `each of the ${oversized} oversized datagrams is counted as message_too_large`);
    else t.ok(tooLarge > 0 && tooLarge <= oversized, `${tooLarge} of ${oversized} oversized datagrams read (the kernel dropped some datagrams)`);
    // node:dgram cannot stop reading behind a parse backlog: what it reads meanwhile is counted and
    // shed (parse_backlog). A loaded machine makes the worker fall behind; the addon never sheds.
    const shed = await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'parse_backlog' });
    if (io === 'recvmmsg') t.equal(shed, 0, 'the addon stops reading instead of shedding');
    // Parsing happens on a worker thread: wait for its results to reach the sink.
    const events = await syslog.waitForEvents(received - tooLarge - empty - shed);
    t.equal(
      events.length + tooLarge + empty + shed,
      received,
      `${events.length} events, ${tooLarge} too large, ${empty} empty, ${shed} shed behind a parse backlog`,
    );
    const bytes = (event: (typeof events)[number]) =>
      event.raw !== undefined ? Buffer.byteLength(event.raw) : Buffer.from(event.rawBase64 ?? '', 'base64').length;
    t.ok(
      events.every((event) => event.transport === 'udp' && event.sourceIp === '127.0.0.1' && bytes(event) <= 1024),
      'no event is an oversized datagram',
    );
  });

  t.test(`${io}: size boundaries: empty is dropped, exactly the maximum is kept, one byte over is not`, async (t) => {
    // Parsed on the reading thread (no workers): the other way from the reader to Ingest than above.
    const syslog = await startTestSyslogWithIo(t, io, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '1KiB', NETSIDECAR_SYSLOG_PARSE_WORKERS: '0' });
    const client = createSocket('udp4');
    t.teardown(() => client.close());
    const atMaximum = Buffer.concat([Buffer.from('<13>Nov 22 14:00:00 edge app: '), Buffer.alloc(1024, 'm')]).subarray(0, 1024);
    const datagrams = [
      Buffer.alloc(0),
      atMaximum,
      Buffer.concat([atMaximum, Buffer.from('m')]), // 1025 bytes
      Buffer.alloc(60_000, 'x'), // near the largest IPv4 UDP payload
      Buffer.from('<13>Nov 22 14:00:01 edge app: after the oversized ones'),
    ];
    for (const datagram of datagrams) await send(client, datagram, syslog.service.udpPort);
    const { received, kernelDrops } = await waitForUdp(syslog, datagrams.length);
    t.same({ received, kernelDrops }, { received: datagrams.length, kernelDrops: 0 });
    t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'empty' }), 1);
    t.equal(await syslog.metric('netsidecar_syslog_dropped_total', { reason: 'message_too_large' }), 2);
    const events = await syslog.waitForEvents(2, 'edge');
    t.equal(events.length, 2);
    t.equal(events[0]?.raw, atMaximum.toString('latin1'), 'the 1024-byte datagram is kept whole');
    t.equal(events[1]?.message, 'after the oversized ones', 'reading goes on after them');
  });
}

t.test('garbage TCP streams (huge length prefixes, truncated frames, noise) never take the service down', async (t) => {
  const syslog = await startTestSyslog(t, { NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '4KiB' });
  const streams: Buffer[] = [
    Buffer.from('99999999999999999999999 <13>x'),
    Buffer.from('5 <13>a5 <13>b17 <13>truncated'),
    Buffer.from('-1 <13>negative'),
    Buffer.from('\n\n\r\n'),
  ];
  streams.push(...fc.sample(mutated, { numRuns: 40, seed: 99 }));
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
