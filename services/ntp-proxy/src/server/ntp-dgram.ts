import { createSocket, type Socket } from 'node:dgram';
import { maxRequestBytes, normaliseAddress, type NtpListenerOptions, type OpenNtpSocket } from './ntp-listener.js';

/** node:dgram: a system call and a JS call per request and per reply. The portable fallback. */
export async function openDgramNtpSocket(address: string, options: NtpListenerOptions): Promise<OpenNtpSocket> {
  const socket = await bind(address, options.port);
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
