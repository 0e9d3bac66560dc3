import { FLAG_TRUNCATED, META, META_STRIDE, SourceNames, boundBatchSocket, kernelAgeNs, realtimeReading, startBatchReader, type BatchBinding, type BoundUdpSocket } from '@netsidecar/udp-batch';
import type { PendingReply } from './responder.js';
import { maxRequestBytes, type NtpListenerOptions } from './ntp-listener.js';

/** Requests taken per read call, and read calls per wake-up before other work gets a turn. */
const readBatch = 256;
const readsPerWakeup = 8;
/**
 * Replies stamped with one T3 and sent with one sendmmsg. Small, so that the time between T3 and
 * the actual send of the last reply (its MAC and bytes being written) stays a few microseconds.
 */
const sendBatch = 16;

/**
 * recvmmsg/sendmmsg through the udp-batch addon.
 * - T2 is when the kernel received the request (SO_TIMESTAMPNS), as chronyd and ntpd take it: the
 *   served clock read once per read, less the request's age on the kernel's clock. Without that, a
 *   request that waited in the socket buffer would carry the wait as path delay, half of it as
 *   offset error. A request without a kernel timestamp gets the time the read returned.
 * - Every reply of a send batch shares one T3, read just before the batch is written and sent.
 */
export function openRecvmmsgNtpSocket(binding: BatchBinding, address: string, options: NtpListenerOptions): BoundUdpSocket {
  const { clock, responder } = options;
  const socket = binding.open(address, options.port, options.receiveBufferBytes, maxRequestBytes, true);
  const requests = Buffer.allocUnsafeSlow(readBatch * maxRequestBytes);
  const requestMeta = new Int32Array(readBatch * META_STRIDE);
  const replies = Buffer.allocUnsafeSlow(sendBatch * maxRequestBytes);
  const replyMeta = new Int32Array(sendBatch * META_STRIDE);
  const names = new SourceNames();
  const pending: PendingReply[] = [];
  const pendingFrom: number[] = [];

  const sendPending = (): void => {
    const t3Ns = clock.nowNs(); // T3: last, before the send
    let offset = 0;
    for (let j = 0; j < pending.length; j++) {
      const datagram = pending[j]!.finish(t3Ns);
      datagram.copy(replies, offset);
      const out = j * META_STRIDE;
      replyMeta[out + META.offset] = offset;
      replyMeta[out + META.length] = datagram.length;
      // To the request's source: port, family and address words as read.
      const from = pendingFrom[j]!;
      for (let w = META.port; w < META_STRIDE; w++) replyMeta[out + w] = requestMeta[from + w]!;
      offset += datagram.length;
    }
    const sent = socket.send(replies, replyMeta, pending.length);
    for (let j = sent; j < pending.length; j++) responder.sendFailed();
    pending.length = 0;
    pendingFrom.length = 0;
  };

  const reader = startBatchReader(socket, {
    target: requests,
    meta: requestMeta,
    maxPerRead: readBatch,
    readsPerWakeup,
    onDatagrams: (count) => {
      const readNs = clock.nowNs(); // first, before any work
      const realtime = realtimeReading(binding.realtimeNs());
      for (let i = 0, m = 0; i < count; i++, m += META_STRIDE) {
        if ((requestMeta[m + META.flags]! & FLAG_TRUNCATED) !== 0) {
          responder.oversized();
          continue;
        }
        const start = requestMeta[m + META.offset]!;
        const request = requests.subarray(start, start + requestMeta[m + META.length]!);
        const age = kernelAgeNs(requestMeta, i, realtime);
        const t2Ns = age === null ? readNs : readNs - BigInt(age); // T2: the kernel's arrival time
        const reply = responder.handle(request, names.of(requestMeta, i), t2Ns);
        if (reply === null) continue;
        // Where the request came from, as meta words (read again when its reply is sent).
        pendingFrom.push(m);
        pending.push(reply);
        if (pending.length === sendBatch) sendPending();
      }
      if (pending.length > 0) sendPending();
    },
    onError: (err) => {
      pending.length = 0;
      pendingFrom.length = 0;
      // A socket error on UDP (e.g. ICMP-induced) must not crash the service.
      options.logger.error('NTP socket error', { err });
    },
  });
  return boundBatchSocket(socket, address, reader);
}
