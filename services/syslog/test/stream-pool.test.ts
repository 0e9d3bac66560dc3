// TCP frames parsed in the parse workers: real connections on port 0 into the TCP listener with a
// parse pool, as the service wires them. Events keep `transport: tcp` and each connection's order,
// a pool that falls behind stops the connection from being read (bounded memory, nothing lost), and
// a worker that dies loses no frame.
import t, { type Test } from 'tap';
import { connect } from 'node:net';
import { once } from 'node:events';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import type { ParseFormat, ReceiveContext } from '../src/parser/index.js';
import { within } from '@netsidecar/test-support/eventually';
import { FrameBudget } from '../src/frame-budget.js';
import { Ingest } from '../src/ingest.js';
import { createSyslogMetrics } from '../src/metrics.js';
import { ParsePool, type ParsePoolOptions } from '../src/parse-pool.js';
import { startStreamListener } from '../src/stream-listener.js';
import { LineRecordingSink, RecordingSink } from './recording-sinks.js';

const encoding = { schema: 2, receivedAt: true, native: true } as const;
const maxMessageBytes = 64 * 1024;

/** Counts what the listener accepted and, at each delivery, how many accepted messages were not yet delivered. */
class CountingIngest extends Ingest {
  accepted = 0;
  delivered = 0;
  maxUndelivered = 0;
  override receive(length: number, transport: ReceiveContext['transport']): boolean {
    this.accepted++;
    return super.receive(length, transport);
  }
  override deliver(message: string, sourceIp: string, device: string, format: ParseFormat, receivedAt: number) {
    this.maxUndelivered = Math.max(this.maxUndelivered, this.accepted - this.delivered);
    this.delivered++;
    return super.deliver(message, sourceIp, device, format, receivedAt);
  }
}

type PoolSettings = Pick<ParsePoolOptions, 'workers' | 'maxBatchMessages' | 'maxInFlightBatches'>;

/** The TCP listener on 127.0.0.1:0 with a parse pool behind it, as service.ts builds them. */
async function startTcpWithPool(t: Test, settings: PoolSettings, sink = new RecordingSink()) {
  const registry = createRegistry('syslog');
  const metrics = createSyslogMetrics(registry);
  const ingest = new CountingIngest(sink, '/netsidecar/syslog', metrics, encoding);
  const pool = await ParsePool.start({ ...settings, encoding, ingest, logger: silentLogger });
  const listener = await startStreamListener({
    transport: 'tcp',
    address: '127.0.0.1',
    port: 0,
    maxMessageBytes,
    maxConnections: 100,
    idleTimeoutMs: 60_000,
    budget: new FrameBudget(32 * 1024 * 1024, maxMessageBytes, 10_000),
    ingest,
    pool,
    sink,
    metrics,
    logger: silentLogger,
  });
  t.teardown(async () => {
    await listener.close(Date.now() + 1_000);
    await pool.close();
  });
  const metric = async (name: string, labels: Record<string, string>) =>
    (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
  return { sink, ingest, pool, port: listener.port, metric };
}

/** `count` RFC 6587 octet-counted frames from `host`, numbered from `from`. */
function frames(host: string, count: number, from = 0): string {
  let wire = '';
  for (let n = from; n < from + count; n++) {
    const message = `<190>1 2026-11-22T14:00:00.000Z ${host} app - - - n=${n}`;
    wire += `${Buffer.byteLength(message)} ${message}`;
  }
  return wire;
}

/**
 * Sends `wire` on a new connection and waits until the service has closed it too: the service closes
 * its side once it has read (and handed to the pool) everything the sender sent. Returns the
 * connection's source port.
 */
async function sendAll(port: number, wire: string): Promise<number> {
  const socket = connect({ host: '127.0.0.1', port });
  await within(once(socket, 'connect'), { timeoutMs: 5_000, what: 'the connection' });
  const sourcePort = socket.localPort;
  socket.end(wire);
  await within(once(socket, 'close'), { timeoutMs: 30_000, what: 'the service to read everything and close' });
  return sourcePort!;
}

interface Event {
  host: string;
  transport: string;
  sourcePort: number;
  message: string;
}

const eventsOf = (sink: RecordingSink) => sink.events.map((e) => JSON.parse(e.message) as Event);
const numbers = (events: Event[], host: string) => events.filter((e) => e.host === host).map((e) => Number(e.message.slice(2)));
const upTo = (count: number, from = 0) => Array.from({ length: count }, (_, n) => from + n);

t.test('two workers: TCP events arrive parsed, transport tcp, each connection in order across many batches', async (t) => {
  // Batches of 16: 4 × 1,500 frames make hundreds of batches, handed to the two workers in turn.
  const { sink, ingest, pool, port, metric } = await startTcpWithPool(t, { workers: 2, maxBatchMessages: 16 }, new LineRecordingSink());
  const hosts = ['rtr-a', 'rtr-b', 'rtr-c', 'rtr-d'];
  const perHost = 1_500;
  const sourcePorts = await Promise.all(hosts.map((host) => sendAll(port, frames(host, perHost))));
  await within(pool.drain(), { timeoutMs: 30_000, what: 'the pool to deliver every frame' });

  const events = eventsOf(sink);
  t.equal(events.length, hosts.length * perHost, 'every frame became one event');
  t.same([...new Set(events.map((e) => e.transport))], ['tcp'], 'every event says tcp');
  hosts.forEach((host, i) => {
    t.same(numbers(events, host), upTo(perHost), `${host}: every frame once, in the order sent`);
    t.same([...new Set(events.filter((e) => e.host === host).map((e) => e.sourcePort))], [sourcePorts[i]], `${host}: its connection's port`);
  });
  const batches = pool.batchesByWorker();
  t.ok(
    batches.every((n) => n > 0),
    `both workers parsed TCP batches (${batches.join(', ')})`,
  );
  t.equal(ingest.accepted, hosts.length * perHost);
  t.equal(await metric('netsidecar_syslog_received_total', { transport: 'tcp' }), hosts.length * perHost, 'received{transport=tcp}');
  t.equal(await metric('netsidecar_syslog_received_total', { transport: 'udp' }), 0, 'nothing counted as udp');
  t.equal(await metric('netsidecar_syslog_parsed_total', { format: 'rfc5424' }), hosts.length * perHost, 'parsed{format=rfc5424}');
});

t.test('a backlogged pool stops the connection being read: what is outstanding stays bounded, nothing is lost', async (t) => {
  // One batch of 4 undelivered is already a backlog: after every chunk it reads, the connection waits for the worker.
  const { sink, ingest, pool, port } = await startTcpWithPool(t, { workers: 1, maxBatchMessages: 4, maxInFlightBatches: 1 });
  let relieved = 0;
  pool.onRelieved(() => relieved++);
  const total = 20_000;
  const wire = frames('rtr-a', total);
  await sendAll(port, wire);
  await within(pool.drain(), { timeoutMs: 30_000, what: 'the pool to deliver every frame' });

  t.same(numbers(eventsOf(sink), 'rtr-a'), upTo(total), 'every frame once, in order');
  t.ok(relieved > 0, `the pool was backlogged and let go ${relieved} times`);
  // A socket hands over at most 64 KiB a read; paused after each, at most one read's frames (and
  // the 3 a batch may still be waiting for) are accepted and not delivered. Without the pause the
  // reading runs ahead of the one worker and nearly all 20,000 wait.
  const smallestFrame = Buffer.byteLength(frames('rtr-a', 1));
  const bound = Math.ceil((64 * 1024) / smallestFrame) + 1 + 3;
  t.ok(ingest.maxUndelivered <= bound, `at most ${ingest.maxUndelivered} accepted and undelivered (bound ${bound})`);
});

t.test('a worker that dies with TCP frames in flight loses none: they and later ones are parsed on the main thread, still tcp, in order', async (t) => {
  const { sink, pool, port } = await startTcpWithPool(t, { workers: 1, maxBatchMessages: 16 });
  await sendAll(port, frames('rtr-a', 2_000));
  // Read and submitted; most batches are still with the worker when it dies.
  await pool.crashWorker(0);
  await sendAll(port, frames('rtr-a', 2_000, 2_000));
  await within(pool.drain(), { timeoutMs: 30_000, what: 'the pool to deliver every frame' });

  const events = eventsOf(sink);
  t.same(numbers(events, 'rtr-a'), upTo(4_000), 'every frame once, in order');
  t.same([...new Set(events.map((e) => e.transport))], ['tcp'], 'every event says tcp');
});
