import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '@netsidecar/telemetry';
import type { Ingest } from './ingest.js';
import type { ParsePool } from './parse-pool.js';
import { normaliseAddress } from './ingest.js';
import type { SyslogMetrics } from './metrics.js';

export interface UdpListenerOptions {
  address: string;
  port: number;
  receiveBufferBytes: number;
  maxMessageBytes: number;
  ingest: Ingest;
  /** Parse workers; without them datagrams are parsed on this thread. */
  pool?: ParsePool | null;
  metrics: SyslogMetrics;
  logger: Logger;
  now?: () => Date;
}

export interface UdpListener {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/**
 * RFC 5426 syslog over UDP: one message per datagram. A dual-stack `::` socket takes IPv4 and IPv6;
 * where the kernel has no IPv6 it falls back to 0.0.0.0.
 */
export async function startUdpListener(options: UdpListenerOptions): Promise<UdpListener> {
  const now = options.now ?? (() => new Date());
  let socket: Socket;
  try {
    socket = await bind(options.address, options);
  } catch (err) {
    if (options.address !== '::' || !isNoIpv6(err)) throw err;
    options.logger.warn('IPv6 is not available: UDP listens on IPv4 only', { code: (err as NodeJS.ErrnoException).code });
    socket = await bind('0.0.0.0', options);
  }
  const { ingest, metrics, maxMessageBytes } = options;
  const pool = options.pool ?? null;
  socket.on('message', (datagram, remote) => {
    // The receive time is taken first, before any work, so it is the arrival time.
    const receivedAt = now();
    if (datagram.length > maxMessageBytes) {
      metrics.received.inc({ transport: 'udp' });
      metrics.dropped.inc({ reason: 'message_too_large' });
      return;
    }
    const sourceIp = normaliseAddress(remote.address);
    if (pool) {
      if (ingest.receive(datagram, 'udp')) pool.submit(datagram, receivedAt.getTime(), sourceIp, remote.port);
    } else {
      ingest.accept(datagram, { receivedAt, sourceIp, sourcePort: remote.port, transport: 'udp' });
    }
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => options.logger.error('UDP socket error', { err }));

  try {
    socket.setRecvBufferSize(options.receiveBufferBytes);
  } catch (err) {
    options.logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes });
  }
  const effective = socket.getRecvBufferSize();
  metrics.udpReceiveBuffer.set(effective);
  // Linux reports twice the usable size and caps the request at net.core.rmem_max.
  if (effective < options.receiveBufferBytes) {
    options.logger.warn('UDP receive buffer is smaller than requested: raise net.core.rmem_max', {
      requested: options.receiveBufferBytes,
      effective,
    });
  }
  const bound = socket.address();
  return {
    port: bound.port,
    address: bound.address,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function bind(address: string, options: UdpListenerOptions): Promise<Socket> {
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port: options.port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function isNoIpv6(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}
