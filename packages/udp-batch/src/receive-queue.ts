/**
 * The addon's receive queue (native/receive_queue.h), as far as a caller sizes it: each datagram
 * takes a header and its bytes rounded up to 8, and the queue must hold four of the largest, so
 * that one always fits whatever the queue's wrap-around leaves unused.
 */
export const receiveQueueHeaderBytes = 40;

/** Bytes one datagram of `length` bytes takes in the queue. */
export function receiveQueueRecordBytes(length: number): number {
  return receiveQueueHeaderBytes + Math.ceil(length / 8) * 8;
}

/** The smallest receive queue the addon opens for datagrams of up to `maxMessageBytes`. */
export function leastReceiveQueueBytes(maxMessageBytes: number): number {
  // A slot holds one byte more than the maximum, so that a larger datagram shows as truncated.
  return 4 * receiveQueueRecordBytes(maxMessageBytes + 1);
}
