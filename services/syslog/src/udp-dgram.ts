import { createSocket, type Socket } from 'node:dgram';
import { normaliseAddress } from './ingest.js';
import type { UdpSocketOpener } from './udp-listener.js';

/** node:dgram: one system call, one Buffer and one JS call per datagram. The portable fallback. */
export const openDgramSocket: UdpSocketOpener = async (address, options, handle) => {
  const now = options.now ?? Date.now;
  const socket = await bind(address, options.port);
  socket.on('message', (datagram, remote) => {
    // The receive time is taken first, before any work, so it is the arrival time.
    const receivedAt = now();
    handle(datagram, 0, datagram.length, false, receivedAt, normaliseAddress(remote.address), remote.port);
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => options.logger.error('UDP socket error', { err }));
  try {
    socket.setRecvBufferSize(options.receiveBufferBytes);
  } catch (err) {
    options.logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes });
  }
  const bound = socket.address();
  return {
    port: bound.port,
    address: bound.address,
    receiveBufferBytes: socket.getRecvBufferSize(),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};

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
