import { startBatchReader } from './batch-reader.js';
import type { BatchBinding, BatchSocket } from './binding.js';
import type { DatagramBatch, ListenUdpOptions, OnBatch, UdpListener } from './datagram-batch.js';
import { FLAG_TRUNCATED, META, META_STRIDE, SourceNames, kernelAgeNs, realtimeReading, receivedAtMs, type RealtimeReading } from './meta.js';

/** Datagrams taken per read call. */
const readBatch = 256;
/** Typical datagrams are far below the maximum (64 KiB for syslog): 1 MiB holds a full read of them. */
const typicalReadBytes = 1024 * 1024;

/**
 * recvmmsg through the addon: up to 64 datagrams per system call, copied back to back into one
 * reused buffer, and one JS call per read instead of one per datagram. Replies go out with one
 * sendmmsg per `replies.batch`.
 */
export function listenRecvmmsg(binding: BatchBinding, address: string, options: ListenUdpOptions, onBatch: OnBatch): UdpListener {
  const socket = binding.open(
    address,
    options.port,
    options.receiveBufferBytes,
    options.maxMessageBytes,
    options.kernelTimestamps === true,
    options.receiveQueueBytes ?? 0,
  );
  // Room for a full read of the largest datagrams where that is small (NTP: 256 KiB), else for a
  // full read of typical ones, and never less than one of the largest.
  const readBytes = Math.min(readBatch * options.maxMessageBytes, Math.max(typicalReadBytes, options.maxMessageBytes));
  const batch = new RecvmmsgBatch(socket, Buffer.allocUnsafeSlow(readBytes), new Int32Array(readBatch * META_STRIDE), options);
  const stampNow = options.kernelTimestamps === true ? () => realtimeReading(binding.realtimeNs()) : null;
  const reader = startBatchReader(socket, {
    target: batch.data,
    meta: batch.meta,
    maxPerRead: readBatch,
    readsPerWakeup: options.readsPerWakeup,
    onDatagrams: (count) => {
      // Once per read: every datagram's age is measured against this one reading.
      batch.begin(count, stampNow ? stampNow() : noReading);
      onBatch(batch);
    },
    // A read error on UDP (e.g. ICMP-induced) must not crash the service; reading goes on.
    onError: (err) => options.logger.error('UDP socket error', { err }),
    canRead: options.canRead,
  });
  const info = socket.info();
  return {
    port: info.port,
    address,
    receiveBufferBytes: info.receiveBufferBytes,
    receiveQueue: () => {
      if (!options.receiveQueueBytes) return null;
      const now = socket.info();
      return { usedBytes: now.receiveQueueUsedBytes, fullWaits: now.receiveQueueFullWaits };
    },
    resume: () => reader.resume(),
    // What the receive queue holds was read, so accepted: it goes to onBatch before the socket closes.
    close: async () => reader.finish(),
  };
}

/** Without kernel timestamps every datagram's stamp is 0, and its age null, whatever this says. */
const noReading: RealtimeReading = { seconds: 0, nanos: 0 };

class RecvmmsgBatch implements DatagramBatch {
  count = 0;
  readonly shed = false;
  private realtime = noReading;
  private readonly names = new SourceNames();
  private readonly replyData: Buffer | null;
  private readonly replyMeta: Int32Array | null;
  /** Replies queued in `replyData`/`replyMeta` since the last send, and their bytes. */
  private queued = 0;
  private queuedBytes = 0;

  constructor(
    private readonly socket: BatchSocket,
    readonly data: Buffer,
    readonly meta: Int32Array,
    private readonly options: ListenUdpOptions,
  ) {
    const replies = options.replies;
    this.replyData = replies ? Buffer.allocUnsafeSlow(replies.batch * options.maxMessageBytes) : null;
    this.replyMeta = replies ? new Int32Array(replies.batch * META_STRIDE) : null;
  }

  /** A read of `count` datagrams into `data`/`meta`, `realtime` being the clock just after it. */
  begin(count: number, realtime: RealtimeReading): void {
    this.count = count;
    this.realtime = realtime;
    // Replies left by a batch that threw are dropped: they point into what this read overwrote.
    this.queued = 0;
    this.queuedBytes = 0;
  }

  start(i: number): number {
    return this.meta[i * META_STRIDE + META.offset]!;
  }

  length(i: number): number {
    return this.meta[i * META_STRIDE + META.length]!;
  }

  datagram(i: number): Buffer {
    const start = this.meta[i * META_STRIDE + META.offset]!;
    return this.data.subarray(start, start + this.meta[i * META_STRIDE + META.length]!);
  }

  tooLarge(i: number): boolean {
    return (this.meta[i * META_STRIDE + META.flags]! & FLAG_TRUNCATED) !== 0;
  }

  sourceIp(i: number): string {
    return this.names.of(this.meta, i);
  }

  sourcePort(i: number): number {
    return this.meta[i * META_STRIDE + META.port]!;
  }

  kernelAgeNs(i: number): number | null {
    // With a receive queue and no kernel stamps, the words hold the thread's reading, not the kernel's.
    return this.options.kernelTimestamps === true ? kernelAgeNs(this.meta, i, this.realtime) : null;
  }

  receivedAtMs(i: number): number | null {
    return receivedAtMs(this.meta, i);
  }

  reply(i: number, bytes: Buffer): void {
    const data = this.replyData;
    const out = this.replyMeta;
    if (!data || !out) throw new Error('this UDP listener was opened without replies');
    // The room is maxMessageBytes per queued reply: a larger one is not sent.
    if (bytes.length > this.options.maxMessageBytes) return this.options.replies!.onFailed();
    if (this.queued === this.options.replies!.batch) this.sendReplies();
    const at = this.queued * META_STRIDE;
    bytes.copy(data, this.queuedBytes);
    out[at + META.offset] = this.queuedBytes;
    out[at + META.length] = bytes.length;
    // To the request's source: port, family and address words as read.
    const from = i * META_STRIDE;
    for (let w = META.port; w < META_STRIDE; w++) out[at + w] = this.meta[from + w]!;
    this.queuedBytes += bytes.length;
    this.queued++;
  }

  sendReplies(): void {
    const count = this.queued;
    if (count === 0) return;
    this.queued = 0;
    this.queuedBytes = 0;
    const sent = this.socket.send(this.replyData!, this.replyMeta!, count);
    for (let j = sent; j < count; j++) this.options.replies!.onFailed();
  }
}
