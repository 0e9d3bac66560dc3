import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@netsidecar/telemetry';
import type { Sink } from '@netsidecar/sink';
import { normaliseAddress, withIpv4Fallback } from '@netsidecar/net-address';
import { FrameDecoder } from './frame-decoder.js';
import type { Ingest } from './ingest.js';
import type { SyslogMetrics } from './metrics.js';

export interface StreamListenerOptions {
  transport: 'tcp' | 'tls';
  address: string;
  port: number;
  /** Required for `tls`: certificate and key, already read from their files. */
  tls?: TlsOptions;
  maxMessageBytes: number;
  maxConnections: number;
  idleTimeoutMs: number;
  ingest: Ingest;
  sink: Sink;
  metrics: SyslogMetrics;
  logger: Logger;
  now?: () => Date;
}

export interface StreamListener {
  readonly port: number;
  /** Stops accepting connections and closes the open ones (senders reconnect to another task). */
  close(): Promise<void>;
  connectionCount(): number;
}

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425): the same framing and the same backpressure. When
 * the sink is above its high-water mark the socket is paused, so the kernel's TCP window pushes
 * back on the router instead of this process buffering without bound.
 */
export async function startStreamListener(options: StreamListenerOptions): Promise<StreamListener> {
  const { transport, metrics, logger } = options;
  const now = options.now ?? (() => new Date());
  const sockets = new Set<Socket>();

  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    metrics.connections.inc({ transport });
    const context = {
      receivedAt: now(),
      sourceIp: normaliseAddress(socket.remoteAddress ?? 'unknown'),
      sourcePort: socket.remotePort ?? 0,
      transport,
    };
    let paused = false;
    const decoder = new FrameDecoder(options.maxMessageBytes, {
      frame: (frame) => {
        context.receivedAt = now();
        const outcome = options.ingest.accept(frame, context);
        if (outcome === 'backpressure' && !paused) {
          paused = true;
          socket.pause();
          void options.sink.whenWritable().then(() => {
            paused = false;
            if (!socket.destroyed) socket.resume();
          });
        }
      },
      problem: (reason) => {
        metrics.received.inc({ transport });
        metrics.dropped.inc({ reason });
      },
    });

    socket.setTimeout(options.idleTimeoutMs, () => {
      metrics.dropped.inc({ reason: 'idle_timeout' });
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      if (!decoder.push(chunk)) {
        logger.warn('closing a connection whose framing cannot be trusted', { transport, sourceIp: context.sourceIp, framing: decoder.framing });
        socket.destroy();
      }
    });
    socket.on('end', () => {
      decoder.end();
      socket.end();
    });
    // ECONNRESET and friends are the peer's business; they must never reach the process.
    socket.on('error', (err) => logger.debug('connection error', { transport, code: (err as NodeJS.ErrnoException).code }));
    socket.on('close', () => {
      sockets.delete(socket);
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
  return {
    port: (server.address() as AddressInfo).port,
    connectionCount: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          // Whatever the socket already delivered has been parsed; the rest the sender retransmits.
          socket.destroy();
        }
      }),
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
