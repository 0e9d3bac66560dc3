import type { BatchSocket } from './binding.js';

export interface BatchReaderOptions {
  /** Where read() copies datagrams; reused for every read. */
  target: Uint8Array;
  /** META_STRIDE words per datagram; reused for every read. */
  meta: Int32Array;
  /** Datagrams per read call. */
  maxPerRead: number;
  /** Read calls per wake-up before timers, TCP and the sink get a turn. */
  readsPerWakeup: number;
  /** Takes `count` datagrams from `target`/`meta`; they are overwritten by the next read. */
  onDatagrams: (count: number) => void;
  /** A read failed (e.g. an ICMP error queued on the socket): reported, and reading goes on. */
  onError: (err: unknown) => void;
  /**
   * False while what was read cannot be taken (a parse backlog): the reader stops watching the
   * socket, so the kernel buffers and then drops (and counts) instead of this process holding an
   * unbounded backlog. Call `resume()` when it is true again.
   */
  canRead?: () => boolean;
}

export interface BatchReader {
  /** Reads again after `canRead` turned false; harmless when reading. */
  resume(): void;
  /**
   * Stops taking datagrams from the kernel, hands `onDatagrams` every one already taken (in the
   * receive queue, or held by the addon), whatever `canRead` says, then closes the socket. Those
   * were read, so they were accepted; what the kernel still holds was not.
   */
  finish(): void;
  close(): void;
}

/**
 * Reads a socket whenever it is readable, in bounded rounds. Stops as soon as a read comes back
 * short (the socket is drained) so a quiet socket costs one system call per wake-up; comes back
 * by itself for datagrams the addon still holds, which the poll would not wake for.
 */
export function startBatchReader(socket: BatchSocket, options: BatchReaderOptions): BatchReader {
  const { target, meta, maxPerRead, readsPerWakeup, onDatagrams, onError } = options;
  const canRead = options.canRead ?? (() => true);
  let closed = false;
  let paused = false;
  const drain = (): void => {
    if (closed || paused) return;
    try {
      for (let round = 0; round < readsPerWakeup; round++) {
        if (!canRead()) {
          paused = true;
          socket.setReading(false);
          return;
        }
        const count = socket.read(target, meta, maxPerRead);
        if (count > 0) onDatagrams(count);
        if (count < maxPerRead && socket.held() === 0) return;
      }
      if (socket.held() > 0) setImmediate(drain);
    } catch (err) {
      onError(err);
    }
  };
  socket.start(drain);
  return {
    resume: () => {
      if (!paused || closed) return;
      paused = false;
      socket.setReading(true);
      // What the addon already holds does not wake the poll: read it now.
      setImmediate(drain);
    },
    finish: () => {
      if (closed) return;
      closed = true;
      socket.stopReceiving();
      try {
        // `held()` at most per read: a polled socket would otherwise read the kernel again.
        for (let held = socket.held(); held > 0; held = socket.held()) {
          const count = socket.read(target, meta, Math.min(held, maxPerRead));
          if (count === 0) break;
          onDatagrams(count);
        }
      } catch (err) {
        onError(err);
      } finally {
        socket.close();
      }
    },
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
