// UDP parsing on worker threads: each device's order holds across workers, and a worker that dies
// loses nothing (its datagrams are parsed on the main thread).
import t from 'tap';
import { NewStreamCap, StreamNames } from '@netsidecar/runtime';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import { Ingest } from '../src/ingest.js';
import { createSyslogMetrics } from '../src/metrics.js';
import { ParsePool } from '../src/parse-pool.js';
import { EventEncoder } from '../src/encode-event.js';
import { parseSyslog } from '../src/parser/index.js';
import { eventually, within } from '@netsidecar/test-support/eventually';
import { LineRecordingSink, RecordingSink } from './recording-sinks.js';

/** syslog/2 as the file sink gets it: the workers write what the main thread would. */
const encoding = { schema: 2, receivedAt: true, native: true } as const;

function setup(workers: number, streams?: StreamNames, sink = new RecordingSink()) {
  const registry = createRegistry('syslog');
  const ingest = new Ingest(sink, '/netsidecar/syslog', createSyslogMetrics(registry), encoding, streams);
  return { sink, registry, ingest, start: () => ParsePool.start({ workers, encoding, ingest, logger: silentLogger, maxBatchMessages: 64 }) };
}

const devices = ['rtr-a', 'rtr-b', 'rtr-c', 'rtr-d', 'rtr-e'];
const line = (device: string, n: number) =>
  Buffer.from(`<189>${n}: ${device}: *Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface Gi0/${n}, changed state to down`);

/** `oneSource`: every device behind one address (a relay, or the bench's sender), else one address each. */
function submitAll(pool: ParsePool, ingest: Ingest, perDevice: number, oneSource = false): void {
  for (let n = 0; n < perDevice; n++) {
    devices.forEach((device, d) => {
      const datagram = line(device, n);
      if (ingest.receive(datagram.length, 'udp'))
        pool.submit(datagram, 0, datagram.length, Date.UTC(2026, 10, 22, 14) + n, `192.0.2.${oneSource ? 1 : d + 1}`, 514, 'udp');
    });
  }
}

/** Each device's counters in the order its events reached the sink, by source address (or by host, `byHost`). */
function byDevice(sink: RecordingSink, byHost = false): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (const event of sink.events) {
    const parsed = JSON.parse(event.message) as { sourceIp: string; host: string; vendor: { counter: number } };
    const key = byHost ? parsed.host : parsed.sourceIp;
    let counters = seen.get(key);
    if (!counters) seen.set(key, (counters = []));
    counters.push(parsed.vendor.counter);
  }
  return seen;
}

t.test('two workers: every datagram delivered once, each device in order', async (t) => {
  const { sink, ingest, start } = setup(2);
  const pool = await start();
  submitAll(pool, ingest, 2_000);
  await pool.close();
  t.equal(sink.events.length, 2_000 * devices.length);
  const expected = Array.from({ length: 2_000 }, (_, n) => n);
  for (const [ip, counters] of byDevice(sink)) t.same(counters, expected, `${ip} in order`);
  t.equal(sink.events[0]!.logGroup, '/netsidecar/syslog');
  t.same([...new Set(sink.events.map((e) => e.logStream))].sort(), devices, 'each device its own stream');
});

for (const [sinkKind, makeSink] of [
  ['a sink of messages', () => new RecordingSink()],
  ['a sink of lines', () => new LineRecordingSink()],
] as const) {
  t.test(`two workers share the datagrams of one busy source address, and each of its devices stays in order (${sinkKind})`, async (t) => {
    const { sink, ingest, start } = setup(2, undefined, makeSink());
    const pool = await start();
    submitAll(pool, ingest, 600, true);
    await pool.close();
    t.equal(sink.events.length, 600 * devices.length);
    const [first, second] = pool.batchesByWorker();
    t.ok(first! > 10 && second! > 10, `both workers encoded batches (${first}, ${second})`);
    const expected = Array.from({ length: 600 }, (_, n) => n);
    for (const [host, counters] of byDevice(sink, true)) t.same(counters, expected, `${host} in order`);
    t.same([...byDevice(sink, true).keys()].sort(), devices);
    t.same([...new Set(sink.events.map((e) => e.logStream))].sort(), devices, 'each device its own stream');
  });
}

t.test('two workers, one dies mid-flight: nothing lost, every device still in order', async (t) => {
  const { sink, ingest, start } = setup(2);
  const pool = await start();
  submitAll(pool, ingest, 400, true);
  await pool.crashWorker(1);
  submitAll(pool, ingest, 400, true); // the live worker takes every batch now
  await pool.close();
  t.equal(sink.events.length, 2 * 400 * devices.length);
  const expected = [...Array.from({ length: 400 }, (_, n) => n), ...Array.from({ length: 400 }, (_, n) => n)];
  for (const [host, counters] of byDevice(sink, true)) t.same(counters, expected, `${host} in order`);
});

/** Lines that stress the encoding of bytes: multi-byte UTF-8, a 4-byte character, invalid UTF-8, a long line, JSON escapes. */
const awkwardLines: Buffer[] = [
  Buffer.from('<189>65: rtr-zrh-1: *Nov 22 14:00:00.003 UTC: %SYS-5-CONFIG_I: Configured by Zoë from Zürich 🚀'),
  Buffer.from('<34>1 2026-11-22T14:00:00.003Z rtr-tyo-1 sshd 2345 ID47 [exampleSDID@32473 iut="3" note="日本語"] login "quoted" \\ back\tslash'),
  Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0x68, 0x69, 0xff, 0xfe, 0x20, 0xc3]),
  Buffer.from('<13>Nov 22 14:00:00 rtr-long-1 app: ' + 'é'.repeat(20_000)),
  Buffer.from('no pri at all \u0000 \u2028'),
];

for (const schema of [1, 2] as const) {
  t.test(`syslog/${schema}: a sink that takes lines gets, per event, exactly the UTF-8 of the message the string path makes, and \n`, async (t) => {
    const sink = new LineRecordingSink();
    const encoding = { schema, receivedAt: true, native: true } as const;
    const ingest = new Ingest(sink, '/netsidecar/syslog', createSyslogMetrics(createRegistry('syslog')), encoding);
    t.equal(ingest.acceptsLines, true);
    const pool = await ParsePool.start({ workers: 1, encoding, ingest, logger: silentLogger, maxBatchMessages: 3 });
    const received = Date.UTC(2026, 10, 22, 14, 0, 0, 8);
    const datagrams = [...awkwardLines, ...Array.from({ length: 100 }, (_, n) => line(devices[n % devices.length]!, n))];
    // Each datagram its own receive time: the worker reuses one context for a batch, and every event must still carry its own.
    datagrams.forEach((datagram, i) => pool.submit(datagram, 0, datagram.length, received + i, '192.0.2.7', 514, 'udp'));
    await pool.close();
    const strings = new EventEncoder(encoding);
    const expected: string[] = [];
    datagrams.forEach((datagram, i) => {
      const context = { receivedAt: new Date(received + i), sourceIp: '192.0.2.7', sourcePort: 514, transport: 'udp' as const };
      const message = strings.encode(datagram, context).message;
      expected.push(Buffer.from(message + '\n').toString('hex'));
      if (schema === 1) t.equal(message, JSON.stringify(parseSyslog(datagram, context).event), `line ${i}: JSON.stringify of the event`);
      else t.equal((JSON.parse(message) as { rt: number }).rt, received + i, `line ${i}: rt is the receive time`);
    });
    // Runs group a batch's events by device, so lines of different devices may change places: compare as sets.
    t.same(sink.lines.map((line) => line.toString('hex')).sort(), expected.sort(), "every line is the bytes of the string path's message and \\n");
  });
}

t.test("through a worker, the new-stream cap sees each datagram's source address", async (t) => {
  // Two new streams a minute for everyone: the first two devices get theirs, the others their address's.
  const cap = new NewStreamCap({ perSource: 0, perMinute: 2, now: () => 0 });
  const { sink, ingest, start } = setup(1, new StreamNames({ cap }));
  const pool = await start();
  submitAll(pool, ingest, 10);
  await pool.close();
  const streams = new Map(sink.events.map((e) => [(JSON.parse(e.message) as { sourceIp: string }).sourceIp, e.logStream]));
  t.same(Object.fromEntries(streams), {
    '192.0.2.1': 'rtr-a',
    '192.0.2.2': 'rtr-b',
    '192.0.2.3': '192.0.2.3',
    '192.0.2.4': '192.0.2.4',
    '192.0.2.5': '192.0.2.5',
  });
});

t.test('a worker that dies mid-flight loses nothing: its batches are parsed on the main thread', async (t) => {
  const { sink, ingest, registry, start } = setup(1);
  const pool = await start();
  submitAll(pool, ingest, 1_000);
  await pool.crashWorker(0);
  submitAll(pool, ingest, 1_000); // after the crash: parsed on this thread
  await pool.close();
  t.equal(sink.events.length, 2 * 1_000 * devices.length, 'every datagram became an event');
  const parsed = (await registry.getSingleMetric('netsidecar_syslog_parsed_total')!.get()).values.reduce((sum, v) => sum + v.value, 0);
  t.equal(parsed, 2 * 1_000 * devices.length);
  for (const [ip, counters] of byDevice(sink)) {
    t.same(counters, [...Array.from({ length: 1_000 }, (_, n) => n), ...Array.from({ length: 1_000 }, (_, n) => n)], `${ip} in order`);
  }
});

t.test('a worker that has not answered maxInFlightBatches batches is a backlog until it is down to half', async (t) => {
  const { sink, ingest } = setup(1);
  const pool = await ParsePool.start({ workers: 1, encoding, ingest, logger: silentLogger, maxBatchMessages: 1, maxInFlightBatches: 4 });
  t.teardown(() => pool.close());
  let relieved = 0;
  pool.onRelieved(() => relieved++);
  t.equal(pool.isBacklogged(), false, 'no backlog before any batch');
  // One datagram a batch, sent synchronously: the worker cannot answer before this code yields.
  for (let n = 0; n < 3; n++) {
    const datagram = line('rtr-a', n);
    pool.submit(datagram, 0, datagram.length, Date.UTC(2026, 10, 22, 14), '192.0.2.1', 514, 'udp');
  }
  t.equal(pool.isBacklogged(), false, 'three unanswered batches: under the limit of four');
  const fourth = line('rtr-a', 3);
  pool.submit(fourth, 0, fourth.length, Date.UTC(2026, 10, 22, 14), '192.0.2.1', 514, 'udp');
  t.equal(pool.isBacklogged(), true, 'four unanswered batches: a backlog');
  await pool.drain();
  t.equal(pool.isBacklogged(), false, 'answered: no backlog');
  t.equal(relieved, 1, 'the relief is announced once');
  t.equal(sink.events.length, 4, 'every datagram of the backlog was delivered');
});

for (const [sinkKind, makeSink] of [
  ['a sink of messages', () => new RecordingSink()],
  ['a sink of lines', () => new LineRecordingSink()],
] as const) {
  t.test(`TCP frames larger than a batch's buffer, and batches that fill one, arrive whole and in order (${sinkKind})`, async (t) => {
    const { sink, ingest, start } = setup(1, undefined, makeSink());
    const pool = await start();
    // 100 KB frames fill a batch's buffer in a few; one frame of 600 KB needs a buffer of its own.
    const sizes = [100_000, 100_000, 100_000, 600_000, 100_000, 30, 100_000];
    const bodies = sizes.map((size, n) => String.fromCharCode(97 + n).repeat(size));
    for (const [n, body] of bodies.entries()) {
      const frame = Buffer.from(`<189>${n}: rtr-big: *Nov 22 14:00:00.003 UTC: %SYS-5-CONFIG_I: ${body}`);
      if (ingest.receive(frame.length, 'tcp')) pool.submit(frame, 0, frame.length, Date.UTC(2026, 10, 22, 14), '192.0.2.9', 50514, 'tcp');
    }
    await pool.close();
    const messages = sink.events.map((e) => JSON.parse(e.message) as { message: string; vendor: { counter: number } });
    t.same(
      messages.map((m) => m.vendor.counter),
      sizes.map((_, n) => n),
      'every frame once, in order',
    );
    messages.forEach((m, n) => t.ok(m.message === bodies[n], `frame ${n} (${sizes[n]} bytes of text) whole`));
  });
}

/**
 * A sink that holds what it takes until the test lets it write, as the file sink does: it says
 * `backpressure` from its high-water mark and refuses (`full`) at its limit.
 */
class SlowDiskSink extends RecordingSink {
  held = 0;
  mostHeld = 0;
  refused = 0;
  private writable: (() => void)[] = [];
  constructor(
    private readonly highWater: number,
    private readonly limit: number,
  ) {
    super();
  }
  override write(event: Parameters<RecordingSink['write']>[0]) {
    if (this.held >= this.limit) {
      this.refused++;
      return 'full' as const;
    }
    this.held++;
    this.mostHeld = Math.max(this.mostHeld, this.held);
    super.write(event);
    return this.held >= this.highWater ? ('backpressure' as const) : ('ok' as const);
  }
  override whenWritable(): Promise<void> {
    return this.held < this.highWater ? Promise.resolve() : new Promise((resolve) => this.writable.push(resolve));
  }
  /** The disk took everything held. */
  written(): void {
    this.held = 0;
    for (const wake of this.writable.splice(0)) wake();
  }
}

t.test('frames read while the sink is above its high-water mark wait in the pool: none is refused, all arrive in order', async (t) => {
  // High water at 100 events, the limit at 200: one batch of 64 fits between them, the 1,000 frames
  // read meanwhile do not. Before, batches went on to the sink and the ones past its limit were refused.
  const sink = new SlowDiskSink(100, 200);
  const { ingest } = setup(2, undefined, sink);
  const pool = await ParsePool.start({ workers: 2, encoding, ingest, logger: silentLogger, maxBatchMessages: 64 });
  for (let n = 0; n < 1_000; n++) {
    const frame = line('rtr-a', n);
    if (ingest.receive(frame.length, 'tcp')) pool.submit(frame, 0, frame.length, Date.UTC(2026, 10, 22, 14), '192.0.2.1', 50514, 'tcp');
  }
  const drained = pool.drain();
  let writes = 0;
  await eventually(
    async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (pool.holdsStreams()) {
        writes++;
        sink.written();
      }
      return sink.events.length + sink.refused === 1_000;
    },
    { timeoutMs: 30_000, what: 'the sink to take or refuse every frame' },
  );
  await drained;
  await pool.close();
  t.equal(sink.refused, 0, 'nothing refused');
  t.ok(sink.mostHeld < 200, `the sink was never taken to its limit (at most ${sink.mostHeld} held)`);
  t.ok(writes >= 5, `the pool waited for the sink ${writes} times`);
  t.same(
    byDevice(sink).get('192.0.2.1'),
    Array.from({ length: 1_000 }, (_, n) => n),
    'every frame once, in order',
  );
});

for (const transport of ['tcp', 'udp'] as const) {
  const grows = transport === 'tcp';
  t.test(
    `one worker of at most two, behind on ${transport}: ${grows ? 'a second starts, shares the work and the order holds' : 'no second (the UDP reading thread keeps its core)'}`,
    async (t) => {
      const { sink, ingest } = setup(1);
      const logged: string[] = [];
      const logger = { ...silentLogger, info: (msg: string) => void logged.push(msg) };
      const pool = await ParsePool.start({ workers: 1, maxWorkers: 2, encoding, ingest, logger, maxBatchMessages: 1, maxInFlightBatches: 4 });
      const submit = (from: number, to: number) => {
        for (let n = from; n < to; n++) {
          const message = line('rtr-a', n);
          pool.submit(message, 0, message.length, Date.UTC(2026, 10, 22, 14), '192.0.2.1', transport === 'tcp' ? 50514 : 514, transport);
        }
      };
      // Synchronously, one message a batch: the worker cannot answer before this code yields.
      submit(0, 3);
      t.equal(pool.workerCount(), 1, 'under the backlog: one worker');
      submit(3, 4);
      t.equal(pool.isBacklogged(), true, 'four unanswered batches: a backlog');
      t.equal(pool.workerCount(), grows ? 2 : 1, grows ? 'a second worker is starting' : 'still one worker');
      await pool.drain();
      // Enough batches for the round robin to reach the second worker once it has loaded.
      submit(4, 400);
      await pool.close();
      const [, second = 0] = pool.batchesByWorker();
      if (grows) {
        t.ok(second > 0, `the second worker encoded ${second} batches`);
        t.ok(logged.includes('parse worker added: TCP or TLS senders were waiting on the parse workers'), 'and it was logged');
      } else t.equal(pool.batchesByWorker().length, 1, 'one worker encoded them all');
      t.same(
        byDevice(sink).get('192.0.2.1'),
        Array.from({ length: 400 }, (_, n) => n),
        'every message once, in order',
      );
    },
  );
}

t.test('at the drain deadline, batches still waiting for a sink that never frees up go to it, and what it refuses is counted', async (t) => {
  // The disk never takes anything: the sink stays above its high-water mark for good.
  const sink = new SlowDiskSink(100, 200);
  const { ingest, registry } = setup(1, undefined, sink);
  const pool = await ParsePool.start({ workers: 1, encoding, ingest, logger: silentLogger, maxBatchMessages: 64 });
  for (let n = 0; n < 1_000; n++) {
    const frame = line('rtr-a', n);
    if (ingest.receive(frame.length, 'tcp')) pool.submit(frame, 0, frame.length, Date.UTC(2026, 10, 22, 14), '192.0.2.1', 50514, 'tcp');
  }
  await within(pool.close(Date.now() + 300), { timeoutMs: 30_000, what: 'the pool to close at its deadline' });
  t.equal(sink.events.length + sink.refused, 1_000, 'every frame was handed to the sink');
  t.ok(sink.refused > 0, `${sink.refused} refused: past the sink's limit`);
  const dropped = (await registry.getSingleMetric('netsidecar_syslog_dropped_total')!.get()).values.find((v) => v.labels['reason'] === 'sink_full');
  t.equal(dropped?.value, sink.refused, 'and counted as sink_full');
});
