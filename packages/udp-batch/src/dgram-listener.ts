import { createSocket, type Socket } from 'node:dgram';
import { normaliseAddress } from '@netsidecar/net-address';
import type { DatagramBatch, ListenUdpOptions, OnBatch, UdpListener } from './datagram-batch.js';

/**
 * node:dgram, the portable fallback: one system call, one Buffer and one JS call per datagram, each
 * handed over as a batch of one. Binds exclusively (no other process may share the port).
 */
export async function listenDgram(address: string, options: ListenUdpOptions, onBatch: OnBatch): Promise<UdpListener> {
  const { logger } = options;
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port: options.port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(options.receiveBufferBytes);
  } catch (err) {
    logger.warn('could not set the UDP receive buffer', { err, requested: options.receiveBufferBytes });
  }
  const batch = new DgramBatch(socket, options);
  const canRead = options.canRead;
  socket.on('message', (datagram, remote) => {
    batch.begin(datagram, remote.address, remote.port, canRead ? !canRead() : false);
    try {
      onBatch(batch);
    } catch (err) {
      logger.error('UDP socket error', { err });
    }
  });
  // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
  socket.on('error', (err) => logger.error('UDP socket error', { err }));
  const local = socket.address();
  return {
    port: local.port,
    address: local.address,
    receiveBufferBytes: socket.getRecvBufferSize(),
    receiveQueue: () => null,
    // node:dgram cannot stop reading: what comes meanwhile is marked `shed`.
    resume: () => {},
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** One datagram, as node:dgram gave it: nothing is copied, and the source is named only if asked. */
class DgramBatch implements DatagramBatch {
  readonly count = 1;
  data: Buffer = Buffer.alloc(0);
  shed = false;
  private rawAddress = '';
  private port = 0;
  private readonly maxMessageBytes: number;
  private readonly replies: ListenUdpOptions['replies'];
  /** One callback for every send: a closure per reply is what this avoids. */
  private readonly onSent: (err: Error | null) => void;

  constructor(
    private readonly socket: Socket,
    options: ListenUdpOptions,
  ) {
    this.maxMessageBytes = options.maxMessageBytes;
    const replies = options.replies;
    this.replies = replies;
    this.onSent = (err) => {
      if (err) replies?.onFailed();
    };
  }

  begin(datagram: Buffer, address: string, port: number, shed: boolean): void {
    this.data = datagram;
    this.rawAddress = address;
    this.port = port;
    this.shed = shed;
  }

  start(_i: number): number {
    return 0;
  }

  length(_i: number): number {
    return this.data.length;
  }

  datagram(_i: number): Buffer {
    return this.data;
  }

  tooLarge(_i: number): boolean {
    return this.data.length > this.maxMessageBytes;
  }

  sourceIp(_i: number): string {
    return normaliseAddress(this.rawAddress);
  }

  sourcePort(_i: number): number {
    return this.port;
  }

  receivedAtMs(_i: number): number | null {
    return null;
  }

  kernelAgeNs(_i: number): number | null {
    return null;
  }

  reply(_i: number, bytes: Buffer): void {
    if (!this.replies) throw new Error('this UDP listener was opened without replies');
    // The same limit as the addon's room for replies.
    if (bytes.length > this.maxMessageBytes) return this.replies.onFailed();
    // To the source as node:dgram gave it (`::ffff:` form on a dual-stack socket).
    this.socket.send(bytes, this.port, this.rawAddress, this.onSent);
  }

  sendReplies(): void {
    // Each reply went out in reply().
  }
}
