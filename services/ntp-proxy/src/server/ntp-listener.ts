/**
 * The NTP UDP socket: requests in, replies out, through udp-batch's `listenUdp` (recvmmsg/sendmmsg
 * or node:dgram, the same batches either way). What is NTP's is here, the timestamps:
 * - T2 is when the kernel received the request (SO_TIMESTAMPNS), as chronyd and ntpd take it: the
 *   served clock read first thing once requests are read, less the request's age on the kernel's
 *   clock. Without that, a request that waited in the socket buffer would carry the wait as path
 *   delay, half of it as offset error. A request without a kernel timestamp (node:dgram) gets the
 *   time the read returned.
 * - T3 is read just before the send, once per send batch: only the replies' bytes and MACs (which
 *   cover T3) are written in between, so what the client measures as our processing time is
 *   exactly what the reply says it was.
 * Replies go to the request's source address and port (RFC 9109: never assume port 123).
 */
import type { Logger } from '@netsidecar/telemetry';
import { listenUdp, type DatagramBatch, type OnBatch, type UdpIo, type UdpListener } from '@netsidecar/udp-batch';
import type { Clock } from '../clock/clock.js';
import type { PendingReply, Responder } from './responder.js';

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
}

/**
 * Largest request read: a 48-byte header, extension fields and a MAC fit easily. A larger datagram
 * is not NTP a router sends; it is counted as malformed.
 */
export const maxRequestBytes = 1024;

/** Read calls per wake-up before timers and the upstream poller get a turn. */
const readsPerWakeup = 8;
/**
 * Replies stamped with one T3 and sent with one sendmmsg. Small, so that the time between T3 and
 * the actual send of the last reply (its MAC and bytes being written) stays a few microseconds.
 */
const sendBatch = 16;

export async function startNtpListener(options: NtpListenerOptions): Promise<UdpListener> {
  const { responder } = options;
  return listenUdp(
    options.io,
    {
      address: options.address,
      port: options.port,
      receiveBufferBytes: options.receiveBufferBytes,
      maxMessageBytes: maxRequestBytes,
      readsPerWakeup,
      kernelTimestamps: true,
      // A reply is never larger than its request, so it fits where the request did.
      replies: { batch: sendBatch, onFailed: () => responder.sendFailed() },
      logger: options.logger,
    },
    answerRequests(options.clock, responder),
  );
}

function answerRequests(clock: Clock, responder: Responder): OnBatch {
  // Replies waiting for their T3, and the index of the request each answers.
  const pending: PendingReply[] = [];
  const pendingFrom: number[] = [];

  const sendPending = (batch: DatagramBatch): void => {
    const t3Ns = clock.nowNs(); // T3: last, before the send
    for (let j = 0; j < pending.length; j++) batch.reply(pendingFrom[j]!, pending[j]!.finish(t3Ns));
    pending.length = 0;
    pendingFrom.length = 0;
    batch.sendReplies();
  };

  return (batch) => {
    const readNs = clock.nowNs(); // first, before any work
    // Nothing a batch that threw left behind is sent: it answered requests this read overwrote.
    pending.length = 0;
    pendingFrom.length = 0;
    for (let i = 0; i < batch.count; i++) {
      if (batch.tooLarge(i)) {
        responder.oversized();
        continue;
      }
      const age = batch.kernelAgeNs(i);
      const t2Ns = age === null ? readNs : readNs - BigInt(age); // T2: the kernel's arrival time
      const reply = responder.handle(batch.datagram(i), batch.sourceIp(i), t2Ns);
      if (reply === null) continue;
      pending.push(reply);
      pendingFrom.push(i);
      if (pending.length === sendBatch) sendPending(batch);
    }
    if (pending.length > 0) sendPending(batch);
  };
}
