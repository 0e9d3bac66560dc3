import { bindDgramSocket, normaliseAddress, type BoundUdpSocket } from '@netsidecar/udp-batch';
import { maxRequestBytes, type NtpListenerOptions } from './ntp-listener.js';

/** node:dgram: a system call and a JS call per request and per reply. The portable fallback. */
export async function openDgramNtpSocket(address: string, options: NtpListenerOptions): Promise<BoundUdpSocket> {
  const { socket, bound } = await bindDgramSocket(address, options.port, options.receiveBufferBytes, (err) =>
    options.logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes }),
  );
  const { clock, responder } = options;
  socket.on('message', (request, remote) => {
    const t2Ns = clock.nowNs(); // T2: first, before any work
    if (request.length > maxRequestBytes) {
      responder.oversized();
      return;
    }
    const reply = responder.handle(request, normaliseAddress(remote.address), t2Ns);
    if (reply === null) return;
    const datagram = reply.finish(clock.nowNs()); // T3: last, before the send
    socket.send(datagram, remote.port, remote.address, (err) => {
      if (err) responder.sendFailed();
    });
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => options.logger.error('NTP socket error', { err }));
  return bound;
}
