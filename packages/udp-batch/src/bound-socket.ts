import { createSocket, type Socket } from 'node:dgram';
import type { BatchReader } from './batch-reader.js';
import type { BatchSocket } from './binding.js';

/** What a service keeps of a bound UDP socket, whichever way it reads. */
export interface BoundUdpSocket {
  readonly port: number;
  readonly address: string;
  /** The effective SO_RCVBUF as the kernel reports it (twice the usable size, capped by net.core.rmem_max). */
  readonly receiveBufferBytes: number;
  close(): Promise<void>;
}

/** An addon socket being read by `reader`. */
export function boundBatchSocket(socket: BatchSocket, address: string, reader: BatchReader): BoundUdpSocket {
  const info = socket.info();
  return { port: info.port, address, receiveBufferBytes: info.receiveBufferBytes, close: async () => reader.close() };
}

/**
 * The node:dgram fallback: binds exclusively (no other process may share the port) and asks for the
 * receive buffer; a refused size is reported through `onBufferRefused`, not thrown. The caller adds
 * its 'message' and 'error' handlers to `socket`.
 */
export async function bindDgramSocket(address: string, port: number, receiveBufferBytes: number, onBufferRefused: (err: unknown) => void): Promise<{ socket: Socket; bound: BoundUdpSocket }> {
  const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(receiveBufferBytes);
  } catch (err) {
    onBufferRefused(err);
  }
  const local = socket.address();
  const bound: BoundUdpSocket = {
    port: local.port,
    address: local.address,
    receiveBufferBytes: socket.getRecvBufferSize(),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  return { socket, bound };
}
