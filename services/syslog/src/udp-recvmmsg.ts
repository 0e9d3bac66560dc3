import { FLAG_TRUNCATED, META, META_STRIDE, SourceNames, boundBatchSocket, startBatchReader, type BatchBinding } from '@netsidecar/udp-batch';
import type { UdpSocketOpener } from './udp-listener.js';

/** Datagrams taken per read call, and read calls per readable event before other work gets a turn. */
const readBatch = 256;
const readsPerWakeup = 16;

/**
 * recvmmsg through the udp-batch addon: up to 64 datagrams per system call, copied back to back
 * into one reused buffer, and one JS call per wake-up instead of one per datagram.
 */
export function openRecvmmsgSocket(binding: BatchBinding): UdpSocketOpener {
  return async (address, options, handle) => {
    const now = options.now ?? Date.now;
    const pool = options.pool ?? null;
    const socket = binding.open(address, options.port, options.receiveBufferBytes, options.maxMessageBytes);
    // Room for a full read of typical datagrams, and never less than one of the largest.
    const data = Buffer.allocUnsafeSlow(Math.max(1024 * 1024, options.maxMessageBytes));
    const meta = new Int32Array(readBatch * META_STRIDE);
    const names = new SourceNames();
    const reader = startBatchReader(socket, {
      target: data,
      meta,
      maxPerRead: readBatch,
      readsPerWakeup,
      onDatagrams: (count) => {
        // One receive time per read: these datagrams were all waiting when the call began.
        const receivedAt = now();
        for (let i = 0, m = 0; i < count; i++, m += META_STRIDE) {
          handle(data, meta[m + META.offset]!, meta[m + META.length]!, (meta[m + META.flags]! & FLAG_TRUNCATED) !== 0, receivedAt, names.of(meta, i), meta[m + META.port]!);
        }
      },
      // A read error on UDP (e.g. ICMP-induced) must not crash the service; reading goes on.
      onError: (err) => options.logger.error('UDP socket error', { err }),
      // Behind a parse backlog, leave datagrams to the kernel (its drops are counted) rather than hold them.
      canRead: pool ? () => !pool.isBacklogged() : undefined,
    });
    pool?.onRelieved(() => reader.resume());
    return boundBatchSocket(socket, address, reader);
  };
}
