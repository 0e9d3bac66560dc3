import type { Logger } from '@netsidecar/telemetry';
import { listenUdp, type OnBatch, type UdpIo, type UdpListener } from '@netsidecar/udp-batch';
import type { Ingest } from './ingest.js';
import type { ParsePool } from './parse-pool.js';
import type { SyslogMetrics } from './metrics.js';

export interface UdpListenerOptions {
  address: string;
  port: number;
  receiveBufferBytes: number;
  /** With the addon, a receive thread reads into a queue of this many bytes (0: read on the event loop). */
  receiveQueueBytes?: number;
  maxMessageBytes: number;
  /** How datagrams are read: the recvmmsg addon (many per system call) or node:dgram. */
  io: UdpIo;
  ingest: Ingest;
  /** Parse workers; without them datagrams are parsed on this thread. */
  pool?: ParsePool | null;
  metrics: SyslogMetrics;
  logger: Logger;
  now?: () => number;
}

/** Read calls per wake-up before TCP, timers and the sink get a turn. */
const readsPerWakeup = 16;

/**
 * RFC 5426 syslog over UDP: one message per datagram, handed to the parse workers (or parsed here).
 * Binding, the reading itself and its warnings are udp-batch's `listenUdp`.
 */
export async function startUdpListener(options: UdpListenerOptions): Promise<UdpListener> {
  const pool = options.pool ?? null;
  const udp = await listenUdp(
    options.io,
    {
      address: options.address,
      port: options.port,
      receiveBufferBytes: options.receiveBufferBytes,
      receiveQueueBytes: options.receiveQueueBytes,
      maxMessageBytes: options.maxMessageBytes,
      readsPerWakeup,
      // Behind a parse backlog, leave datagrams to the kernel (its drops are counted) rather than hold them.
      canRead: pool ? () => !pool.isBacklogged() : undefined,
      logger: options.logger,
    },
    takeDatagrams(options, pool),
  );
  pool?.onRelieved(() => udp.resume());
  options.metrics.udpReceiveBuffer.set(udp.receiveBufferBytes);
  return udp;
}

/** Counts each datagram, and hands it to the parse workers or parses it here. */
function takeDatagrams(options: UdpListenerOptions, pool: ParsePool | null): OnBatch {
  const { ingest, metrics } = options;
  const now = options.now ?? Date.now;
  // prom-client hashes a label object on every inc(); bound children skip that on the hot path.
  const received = metrics.received.labels('udp');
  const tooLargeDrops = metrics.dropped.labels('message_too_large');
  const backlogDrops = metrics.dropped.labels('parse_backlog');
  return (batch) => {
    // One receive time per read, taken first, for datagrams that carry none: they were all waiting
    // when it began. Those that waited in the receive queue carry when its thread read them.
    const readAt = now();
    for (let i = 0; i < batch.count; i++) {
      if (batch.tooLarge(i)) {
        received.inc();
        tooLargeDrops.inc();
        continue;
      }
      const length = batch.length(i);
      const stamped = batch.receivedAtMs(i);
      const receivedAt = stamped === null ? readAt : Math.floor(stamped);
      if (pool) {
        if (!ingest.receive(length, 'udp')) continue;
        // node:dgram cannot stop reading behind a parse backlog, so it sheds (counted) instead.
        if (batch.shed) backlogDrops.inc();
        else {
          const start = batch.start(i);
          pool.submit(batch.data, start, start + length, receivedAt, batch.sourceIp(i), batch.sourcePort(i), 'udp');
        }
      } else {
        ingest.accept(batch.datagram(i), { receivedAt: new Date(receivedAt), sourceIp: batch.sourceIp(i), sourcePort: batch.sourcePort(i), transport: 'udp' });
      }
    }
  };
}
