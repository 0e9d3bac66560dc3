/**
 * What `listenUdp` hands a service, the same whichever way the socket is read: the datagrams of
 * one read (recvmmsg: up to 256; node:dgram: one), described by index. The batch and the bytes it
 * points to are reused by the next read: take what you keep (copy it) before `onBatch` returns.
 *
 * Every accessor reads words the read already wrote; nothing is allocated per datagram except what
 * `datagram(i)` returns for an addon read (a view of the shared buffer).
 */
export interface DatagramBatch {
  /** Datagrams in this batch. */
  readonly count: number;
  /** The buffer datagram `i` lies in, from `start(i)` for `length(i)` bytes. */
  readonly data: Buffer;
  start(i: number): number;
  length(i: number): number;
  /** `data[start(i), start(i) + length(i))` as a Buffer (a view, not a copy). */
  datagram(i: number): Buffer;
  /**
   * Larger than `maxMessageBytes`: count it and drop it. The addon did not copy its bytes (its
   * `length` is more than the maximum, its bytes are not in `data`); node:dgram read it whole.
   */
  tooLarge(i: number): boolean;
  /** The source address as node:dgram gives it, IPv4-mapped addresses as plain IPv4 (cached strings). */
  sourceIp(i: number): string;
  sourcePort(i: number): number;
  /**
   * How long before this read the kernel received datagram `i`, in ns, with `kernelTimestamps`;
   * null without them (always with node:dgram), or when the realtime clock stepped in between.
   */
  kernelAgeNs(i: number): number | null;
  /**
   * When datagram `i` was received (ms since the epoch, with its fraction): the kernel's stamp with
   * `kernelTimestamps`, else when the receive thread read it with a `receiveQueueBytes` queue; null
   * otherwise (then the time of this read is as good: the datagram was read just now).
   */
  receivedAtMs(i: number): number | null;
  /**
   * Read although `canRead()` was false: node:dgram cannot stop reading, so the service counts
   * and drops these. Always false for the addon, which stops reading instead.
   */
  readonly shed: boolean;
  /**
   * Queues `bytes` as the reply to datagram `i`'s source (with `replies`). node:dgram sends it at
   * once; the addon copies it and sends the queue with one sendmmsg at `sendReplies()`, or when
   * `replies.batch` are queued. A reply is at most `maxMessageBytes`.
   */
  reply(i: number, bytes: Buffer): void;
  /** Sends the queued replies. Call it before `onBatch` returns: the next read reuses the batch. */
  sendReplies(): void;
}

/** Called once per read, with its datagrams. An exception is logged as a socket error; reading goes on. */
export type OnBatch = (batch: DatagramBatch) => void;

/** The least of the service's logger that the listener uses. */
export interface UdpLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ListenUdpOptions {
  /** `::` takes IPv4 and IPv6; where the kernel has no IPv6 it falls back to 0.0.0.0 (logged). */
  address: string;
  port: number;
  /** SO_RCVBUF asked for; a smaller effective size (net.core.rmem_max) is logged. */
  receiveBufferBytes: number;
  /** Largest datagram taken; a larger one comes as `tooLarge`. */
  maxMessageBytes: number;
  /** Addon reads per wake-up before timers, other sockets and the sink get a turn. */
  readsPerWakeup: number;
  /** The kernel stamps each datagram on arrival (SO_TIMESTAMPNS): `kernelAgeNs` (addon only). */
  kernelTimestamps?: boolean;
  /**
   * Addon only: read the socket on a thread of its own into a queue of this many bytes, so that a
   * busy event loop does not leave the kernel's buffer (net.core.rmem_max at most) to overflow.
   * Datagrams then wait in the queue, and the kernel drops only once both are full. 0 or absent:
   * read on the event loop (what a service answering at once, like NTP, wants).
   */
  receiveQueueBytes?: number;
  /** The service answers: room for `batch` replies per sendmmsg; `onFailed` counts each reply not sent. */
  replies?: { batch: number; onFailed(): void };
  /**
   * False while the service cannot take more (a parse backlog): the addon stops reading, so the
   * kernel buffers, then drops and counts, instead of this process holding an unbounded backlog.
   * Call `resume()` once it is true again. node:dgram cannot stop: see `shed`.
   */
  canRead?: () => boolean;
  logger: UdpLog;
}

export interface UdpListener {
  readonly port: number;
  readonly address: string;
  /** The effective SO_RCVBUF as the kernel reports it (twice the usable size, capped by net.core.rmem_max). */
  readonly receiveBufferBytes: number;
  /**
   * The receive queue (`receiveQueueBytes`): the bytes it holds now, and how many times its thread
   * found it full and stopped reading (the event loop was behind; the kernel buffers meanwhile, then
   * drops). null without one.
   */
  receiveQueue(): ReceiveQueueState | null;
  /** Reads again after `canRead()` turned false; harmless otherwise. */
  resume(): void;
  /** Stops reading; datagrams already read (the receive queue) go to `onBatch` first, then the socket closes. */
  close(): Promise<void>;
}

export interface ReceiveQueueState {
  usedBytes: number;
  fullWaits: number;
}
