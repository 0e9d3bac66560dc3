/**
 * The NTP UDP socket. T2 is read as the first thing once requests are read and T3 just before the
 * send (only the replies' bytes and MACs, which cover T3, are written in between), so what the
 * client measures as our processing time is exactly what the reply says it was. Replies go to the
 * request's source address and port (RFC 9109: never assume port 123).
 */
import type { Logger } from '@netsidecar/telemetry';
import { openWithIpv4Fallback, type UdpIo } from '@netsidecar/udp-batch';
import type { Clock } from '../clock/clock.js';
import type { Responder } from './responder.js';
import { openDgramNtpSocket } from './ntp-dgram.js';
import { openRecvmmsgNtpSocket } from './ntp-recvmmsg.js';

export interface NtpListenerOptions {
  address: string;
  port: number;
  receiveBufferBytes: number;
  /** recvmmsg/sendmmsg through the udp-batch addon, or node:dgram. */
  io: UdpIo;
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

/**
 * Largest request read: a 48-byte header, extension fields and a MAC fit easily. A larger datagram
 * is not NTP a router sends; it is counted as malformed.
 */
export const maxRequestBytes = 1024;

export async function startNtpListener(options: NtpListenerOptions): Promise<NtpListener> {
  const io = options.io;
  const socket = await openWithIpv4Fallback(
    options.address,
    (address) => (io.kind === 'recvmmsg' ? openRecvmmsgNtpSocket(io.binding, address, options) : openDgramNtpSocket(address, options)),
    (code) => options.logger.warn('IPv6 is not available: NTP listens on IPv4 only', { code }),
  );
  const effective = socket.receiveBufferBytes;
  options.onReceiveBuffer?.(effective);
  if (effective < options.receiveBufferBytes) {
    options.logger.warn('UDP receive buffer is smaller than requested: raise net.core.rmem_max', { requested: options.receiveBufferBytes, effective });
  }
  if (io.kind === 'dgram' && io.reason !== 'configured') {
    options.logger.warn('NTP is served with node:dgram, one request per system call: expect about half the recvmmsg rate', { reason: io.reason });
  }
  return socket;
}
