/**
 * The NTP UDP socket. T2 is read as the very first statement of the message handler and T3 just
 * before `send` (only the MAC, which covers T3, is computed in between), so what the client measures
 * as our processing time is exactly what the reply says it was. Replies go to the request's source
 * address and port (RFC 9109: never assume port 123).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '@netsidecar/telemetry';
import type { Clock } from '../clock/clock.js';
import type { Responder } from './responder.js';

export interface NtpListenerOptions {
  address: string;
  port: number;
  receiveBufferBytes: number;
  /** The served clock. */
  clock: Clock;
  responder: Responder;
  logger: Logger;
  onReceiveBuffer?: (bytes: number) => void;
}

export interface NtpListener {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

export async function startNtpListener(options: NtpListenerOptions): Promise<NtpListener> {
  let socket: Socket;
  try {
    socket = await bind(options.address, options.port);
  } catch (err) {
    if (options.address !== '::' || !isNoIpv6(err)) throw err;
    options.logger.warn('IPv6 is not available: NTP listens on IPv4 only', { code: (err as NodeJS.ErrnoException).code });
    socket = await bind('0.0.0.0', options.port);
  }
  const { clock, responder } = options;
  socket.on('message', (request, remote) => {
    const t2Ns = clock.nowNs(); // T2: first, before any work
    const reply = responder.handle(request, normaliseAddress(remote.address), t2Ns);
    if (reply === null) return;
    const datagram = reply.finish(clock.nowNs()); // T3: last, before the send
    socket.send(datagram, remote.port, remote.address, (err) => {
      if (err) responder.sendFailed();
    });
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => options.logger.error('NTP socket error', { err }));

  try {
    socket.setRecvBufferSize(options.receiveBufferBytes);
  } catch (err) {
    options.logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes });
  }
  const effective = socket.getRecvBufferSize();
  options.onReceiveBuffer?.(effective);
  if (effective < options.receiveBufferBytes) {
    options.logger.warn('UDP receive buffer is smaller than requested: raise net.core.rmem_max', { requested: options.receiveBufferBytes, effective });
  }
  const bound = socket.address();
  return {
    port: bound.port,
    address: bound.address,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function bind(address: string, port: number): Promise<Socket> {
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function isNoIpv6(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is the client 192.0.2.1. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
