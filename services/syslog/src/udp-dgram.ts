import { bindDgramSocket, normaliseAddress } from '@netsidecar/udp-batch';
import type { UdpSocketOpener } from './udp-listener.js';

/** node:dgram: one system call, one Buffer and one JS call per datagram. The portable fallback. */
export const openDgramSocket: UdpSocketOpener = async (address, options, handle) => {
  const now = options.now ?? Date.now;
  const { socket, bound } = await bindDgramSocket(address, options.port, options.receiveBufferBytes, (err) =>
    options.logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes }),
  );
  socket.on('message', (datagram, remote) => {
    // The receive time is taken first, before any work, so it is the arrival time.
    const receivedAt = now();
    handle(datagram, 0, datagram.length, datagram.length > options.maxMessageBytes, receivedAt, normaliseAddress(remote.address), remote.port);
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => options.logger.error('UDP socket error', { err }));
  return bound;
};
