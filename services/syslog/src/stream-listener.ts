import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@netsidecar/telemetry';
import type { Sink } from '@netsidecar/sink';
import { withIpv4Fallback } from '@netsidecar/net-address';
import type { FrameBudget } from './frame-budget.js';
import type { Ingest } from './ingest.js';
import type { ParsePool } from './parse-pool.js';
import type { SyslogMetrics } from './metrics.js';
import { StreamConnection, type DrainEnd } from './stream-connection.js';

export interface StreamListenerOptions {
  transport: 'tcp' | 'tls';
  address: string;
  port: number;
  /** Required for `tls`: certificate and key, already read from their files. */
  tls?: TlsOptions;
  maxMessageBytes: number;
  maxConnections: number;
  idleTimeoutMs: number;
  /** Shared by the TCP and TLS listeners: the bound on unfinished frames held across connections. */
  budget: FrameBudget;
  ingest: Ingest;
  /** Parse workers for the frames; without them frames are parsed on this thread. */
  pool?: ParsePool | null;
  sink: Sink;
  metrics: SyslogMetrics;
  logger: Logger;
  now?: () => Date;
}

export interface StreamListener {
  readonly port: number;
  /**
   * Stops accepting, then drains each open connection (connection.drain: FIN, read what is held and
   * in flight) until `readUntil` (epoch ms) at the latest, then closes them.
   */
  close(readUntil?: number): Promise<void>;
  connectionCount(): number;
  /** Bytes held for unfinished frames by this listener's connections. */
  heldBytes(): number;
}

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425): the same framing and the same backpressure. When
 * the sink is above its high-water mark, or the frame budget is used up, a socket stops being read,
 * so the kernel's TCP window pushes back on the router instead of this process buffering without
 * bound.
 */
export async function startStreamListener(options: StreamListenerOptions): Promise<StreamListener> {
  const { transport, metrics, logger, budget } = options;
  const now = options.now ?? (() => new Date());
  const connections = new Set<StreamConnection>();
  const pool = options.pool ?? null;
  // The parse pool holds every connection while it is behind; once it lets go, each reads again
  // (unless the sink or the frame budget still holds it).
  pool?.onRelieved(() => {
    for (const connection of connections) connection.applyFlow();
  });

  const onConnection = (socket: Socket): void => {
    const connection = new StreamConnection(socket, { ...options, pool, now });
    connections.add(connection);
    budget.add(connection);
    metrics.connections.inc({ transport });
    // ECONNRESET and friends are the peer's business; they must never reach the process.
    socket.on('error', (err) => logger.debug('connection error', { transport, code: (err as NodeJS.ErrnoException).code }));
    socket.on('close', () => {
      connections.delete(connection);
      budget.remove(connection);
      metrics.connections.dec({ transport });
    });
  };

  let server: Server;
  if (transport === 'tls') {
    if (!options.tls) throw new Error('the TLS listener needs a certificate and key');
    server = createTlsServer({ ...options.tls, minVersion: 'TLSv1.2' }, onConnection);
    server.on('tlsClientError', (err) => {
      metrics.dropped.inc({ reason: 'tls_handshake_failed' });
      logger.debug('TLS handshake failed', { code: (err as NodeJS.ErrnoException).code });
    });
  } else {
    server = createTcpServer(onConnection);
  }
  server.maxConnections = options.maxConnections;
  server.on('drop', () => metrics.dropped.inc({ reason: 'connection_limit' }));
  server.on('error', (err) => logger.error('listener error', { transport, err }));

  await listen(server, options.address, options.port, logger);
  // Slow senders holding the frame budget while others wait are looked for every second.
  const evictTimer = setInterval(() => budget.evictSlow(), 1_000);
  evictTimer.unref();
  return {
    port: (server.address() as AddressInfo).port,
    connectionCount: () => connections.size,
    heldBytes: () => {
      let bytes = 0;
      for (const connection of connections) bytes += connection.heldBytes;
      return bytes;
    },
    close: async (readUntil = Date.now() + 1_000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const ends = await Promise.all([...connections].map((connection) => connection.drain(readUntil)));
      clearInterval(evictTimer);
      if (ends.length > 0) {
        const count = (end: DrainEnd) => ends.filter((e) => e === end).length;
        logger.info('connections drained', {
          transport,
          connections: ends.length,
          senderClosed: count('sender_closed'),
          quiet: count('quiet'),
          cutAtDeadline: count('deadline'),
        });
      }
      await closed;
    },
  };
}

async function listen(server: Server, address: string, port: number, logger: Logger): Promise<void> {
  await withIpv4Fallback(
    address,
    (host) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    (code) => logger.warn('IPv6 is not available: listening on IPv4 only', { code }),
  );
}
