import { withIpv4Fallback } from '@netsidecar/net-address';
import type { UdpIo } from './binding.js';
import type { ListenUdpOptions, OnBatch, UdpListener } from './datagram-batch.js';
import { listenDgram } from './dgram-listener.js';
import { listenRecvmmsg } from './recvmmsg-listener.js';

/**
 * Binds a UDP socket and reads it into `onBatch`, the way `io` says (`chooseUdpIo`): the addon
 * (recvmmsg/sendmmsg) or node:dgram. The service sees the same `DatagramBatch` either way, so it
 * has one handler. This is also where the start-up warnings of both services are said once: no
 * IPv6, a receive buffer smaller than asked, and node:dgram where the addon was wanted.
 */
export async function listenUdp(io: UdpIo, options: ListenUdpOptions, onBatch: OnBatch): Promise<UdpListener> {
  const { logger } = options;
  const listener = await withIpv4Fallback(
    options.address,
    (address) => (io.kind === 'recvmmsg' ? listenRecvmmsg(io.binding, address, options, onBatch) : listenDgram(address, options, onBatch)),
    (code) => logger.warn('IPv6 is not available: UDP listens on IPv4 only', { code }),
  );
  // Linux reports twice the usable size and caps the request at net.core.rmem_max.
  if (listener.receiveBufferBytes < options.receiveBufferBytes) {
    logger.warn('UDP receive buffer is smaller than requested: raise net.core.rmem_max', {
      requested: options.receiveBufferBytes,
      effective: listener.receiveBufferBytes,
    });
  }
  if (io.kind === 'dgram' && io.reason !== 'configured') {
    logger.warn('UDP is read with node:dgram, one datagram per system call: expect about half the recvmmsg rate', { reason: io.reason });
  }
  return listener;
}
