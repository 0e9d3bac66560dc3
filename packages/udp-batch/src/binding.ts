import { createRequire } from 'node:module';
import { META_STRIDE } from './meta.js';

export interface BatchSocketInfo {
  port: number;
  family: 4 | 6;
  /** As the kernel reports it: twice the usable size, capped by net.core.rmem_max. */
  receiveBufferBytes: number;
  /** With a receive queue: the bytes it holds now (records and their headers); else 0. */
  receiveQueueUsedBytes: number;
  /**
   * With a receive queue: how many times the receive thread found it full and stopped reading until
   * a quarter was free (meanwhile the kernel buffers, and drops once its buffer is full); else 0.
   */
  receiveQueueFullWaits: number;
}

/** A bound, non-blocking UDP socket of the addon (see native/udp_batch.c for the layout of `meta`). */
export interface BatchSocket {
  /**
   * Copies up to `max` datagrams back to back into `target`. Fewer than `max` with `held() === 0`
   * means the socket was drained; 0 when the kernel has none left.
   */
  read(target: Uint8Array, meta: Int32Array, max: number): number;
  /** Sends `count` datagrams described by `meta`; returns how many the kernel took. */
  send(data: Uint8Array, meta: Int32Array, count: number): number;
  /**
   * Datagrams taken from the kernel that `read` has not returned yet (they did not fit, or they wait
   * in the receive queue). Neither wakes the event loop again: a caller that stops reading while
   * this is not 0 must come back.
   */
  held(): number;
  /**
   * Calls `onReadable` (on this thread's event loop) whenever the kernel has datagrams waiting, or,
   * with a receive queue, whenever the receive thread has put datagrams in it (and starts that thread).
   */
  start(onReadable: () => void): void;
  /**
   * Stops (false) or restarts (true) watching the socket; while stopped the kernel buffers, then
   * drops. With a receive queue, the thread fills the queue first, and stops reading once it is full.
   */
  setReading(on: boolean): void;
  /**
   * With a receive queue: the thread stops taking datagrams from the kernel (and is joined); what it
   * queued can still be read until `close()`. Without one it does nothing.
   */
  stopReceiving(): void;
  close(): void;
  info(): BatchSocketInfo;
}

export interface BatchBinding {
  /**
   * `timestamps`: the kernel stamps each datagram on arrival (SO_TIMESTAMPNS), read into the meta words.
   * `receiveQueueBytes` > 0: a thread of the addon's own reads the socket as datagrams come, into a
   * queue of that many bytes, and `read` takes them from there (see native/udp_batch.c); the meta
   * words then carry when that thread read each datagram, unless the kernel stamps them. At least
   * four of the largest datagrams (and their 40-byte headers) must fit.
   */
  open(address: string, port: number, receiveBufferBytes: number, maxMessageBytes: number, timestamps?: boolean, receiveQueueBytes?: number): BatchSocket;
  /** CLOCK_REALTIME now, in ns: the clock of the kernel's receive times. */
  realtimeNs(): bigint;
  META_STRIDE: number;
  BATCH: number;
}

/** `auto`: the addon where it loads, else node:dgram. `recvmmsg`: the addon or a failed start. */
export const udpIoModes = ['auto', 'recvmmsg', 'dgram'] as const;
export type UdpIoMode = (typeof udpIoModes)[number];

/** What a service will use for UDP, and why (for its start-up log). */
export type UdpIo = { kind: 'recvmmsg'; binding: BatchBinding } | { kind: 'dgram'; reason: string };

let loaded: { binding: BatchBinding } | { reason: string } | undefined;

/** Loads the addon once; where it is missing or broken, says why instead of throwing. */
export function loadUdpBatch(): { binding: BatchBinding } | { reason: string } {
  if (loaded) return loaded;
  if (process.platform !== 'linux') return (loaded = { reason: `recvmmsg is Linux-only (platform ${process.platform})` });
  try {
    // The same relative path from src/ (tests) and dist/ (build).
    const binding = createRequire(import.meta.url)('../build/Release/udp_batch.node') as BatchBinding;
    if (binding.META_STRIDE !== META_STRIDE) return (loaded = { reason: `addon layout ${binding.META_STRIDE} does not match ${META_STRIDE}: rebuild it` });
    loaded = { binding };
  } catch (err) {
    loaded = { reason: `the udp-batch addon is not built (${(err as Error).message.split('\n')[0]}); run npm install with python3, make and g++` };
  }
  return loaded;
}

/** Resolves a configured mode; throws for `recvmmsg` when the addon is unavailable. */
export function chooseUdpIo(mode: UdpIoMode, load: typeof loadUdpBatch = loadUdpBatch): UdpIo {
  if (mode === 'dgram') return { kind: 'dgram', reason: 'configured' };
  const result = load();
  if ('binding' in result) return { kind: 'recvmmsg', binding: result.binding };
  if (mode === 'recvmmsg') throw new Error(`UDP I/O recvmmsg was asked for, but ${result.reason}`);
  return { kind: 'dgram', reason: result.reason };
}
