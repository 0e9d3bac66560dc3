import type { Logger } from '@netsidecar/telemetry';
import { openWithIpv4Fallback, type BoundUdpSocket, type UdpIo } from '@netsidecar/udp-batch';
import type { Ingest } from './ingest.js';
import type { ParsePool } from './parse-pool.js';
import type { SyslogMetrics } from './metrics.js';
import { openDgramSocket } from './udp-dgram.js';
import { openRecvmmsgSocket } from './udp-recvmmsg.js';

export interface UdpListenerOptions {
  address: string;
  port: number;
  receiveBufferBytes: number;
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

export interface UdpListener {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Takes one datagram, `source[start, start + length)`, read at `receivedAt` (ms): counts it, and
 * hands it to the parse workers or parses it here. `tooLarge`: above NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE
 * (its bytes may not have been copied).
 */
export type DatagramHandler = (source: Buffer, start: number, length: number, tooLarge: boolean, receivedAt: number, sourceIp: string, sourcePort: number) => void;

/** Binds a socket to `address` that reads datagrams into `handle`. */
export type UdpSocketOpener = (address: string, options: UdpListenerOptions, handle: DatagramHandler) => Promise<BoundUdpSocket>;

/**
 * RFC 5426 syslog over UDP: one message per datagram. A dual-stack `::` socket takes IPv4 and IPv6;
 * where the kernel has no IPv6 it falls back to 0.0.0.0.
 */
export async function startUdpListener(options: UdpListenerOptions): Promise<UdpListener> {
  const open: UdpSocketOpener = options.io.kind === 'recvmmsg' ? openRecvmmsgSocket(options.io.binding) : openDgramSocket;
  // recvmmsg stops reading behind a parse backlog; node:dgram cannot, so it sheds (counted) instead.
  const handle = datagramHandler(options, options.io.kind === 'dgram');
  const socket = await openWithIpv4Fallback(
    options.address,
    (address) => open(address, options, handle),
    (code) => options.logger.warn('IPv6 is not available: UDP listens on IPv4 only', { code }),
  );
  const effective = socket.receiveBufferBytes;
  options.metrics.udpReceiveBuffer.set(effective);
  // Linux reports twice the usable size and caps the request at net.core.rmem_max.
  if (effective < options.receiveBufferBytes) {
    options.logger.warn('UDP receive buffer is smaller than requested: raise net.core.rmem_max', {
      requested: options.receiveBufferBytes,
      effective,
    });
  }
  if (options.io.kind === 'dgram' && options.io.reason !== 'configured') {
    options.logger.warn('UDP is read with node:dgram, one datagram per system call: expect about half the recvmmsg rate', { reason: options.io.reason });
  }
  return socket;
}

function datagramHandler(options: UdpListenerOptions, shedOnBacklog: boolean): DatagramHandler {
  const { ingest, metrics } = options;
  const pool = options.pool ?? null;
  const tooLargeDrops = metrics.dropped.labels('message_too_large');
  const received = metrics.received.labels('udp');
  const backlogDrops = metrics.dropped.labels('parse_backlog');
  return (source, start, length, tooLarge, receivedAt, sourceIp, sourcePort) => {
    if (tooLarge) {
      received.inc();
      tooLargeDrops.inc();
      return;
    }
    if (pool) {
      if (!ingest.receive(length, 'udp')) return;
      if (shedOnBacklog && pool.isBacklogged()) backlogDrops.inc();
      else pool.submit(source, start, start + length, receivedAt, sourceIp, sourcePort);
    } else {
      ingest.accept(source.subarray(start, start + length), { receivedAt: new Date(receivedAt), sourceIp, sourcePort, transport: 'udp' });
    }
  };
}
