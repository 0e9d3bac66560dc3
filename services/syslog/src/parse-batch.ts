import type { ParseFormat } from './parser/index.js';
import type { EventEncoder } from './encode-event.js';
import type { EventEncoding } from './event-encoding.js';

/**
 * Datagrams sent to a parse worker in one message: their bytes back to back, and where each ends.
 * Strings are what structured cloning costs most (each is serialised and allocated again on the
 * other side), so the few distinct source IPs and device names of a batch travel once each, in a table,
 * and every message refers to its entry by index.
 */
export interface RawBatch {
  id: number;
  data: Uint8Array;
  ends: Uint32Array;
  receivedAt: Float64Array;
  sourcePorts: Uint16Array;
  /** The distinct source IPs of the batch. */
  ipTable: string[];
  /** Per datagram: its source IP's index in `ipTable`. */
  ipIndex: Uint16Array;
}

/** What a parse worker sends back for a RawBatch, in the same order. */
export interface EncodedBatch {
  id: number;
  messages: string[];
  /** The distinct device names of the batch; `deviceIndex[i]` is message i's. */
  deviceTable: string[];
  deviceIndex: Uint16Array;
  /** Per message: its index in `parseFormats`. */
  formats: Uint8Array;
}

/** What a parse worker is started with. */
export interface WorkerData {
  encoding: EventEncoding;
}

/** A worker's first message: its modules are loaded and it takes batches. */
export const workerReady = 'ready';

export const parseFormats: readonly ParseFormat[] = ['rfc5424', 'rfc3164', 'unparsed'];
const formatCode: Record<ParseFormat, number> = { rfc5424: 0, rfc3164: 1, unparsed: 2 };

export function encodeBatch(encoder: EventEncoder, batch: RawBatch): EncodedBatch {
  const count = batch.ends.length;
  const messages = new Array<string>(count);
  const deviceTable: string[] = [];
  const deviceSlots = new Map<string, number>();
  const deviceIndex = new Uint16Array(count);
  const formats = new Uint8Array(count);
  const context = { receivedAt: new Date(0), sourceIp: '', sourcePort: 0, transport: 'udp' as const };
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = batch.ends[i]!;
    context.receivedAt = new Date(batch.receivedAt[i]!);
    context.sourceIp = batch.ipTable[batch.ipIndex[i]!]!;
    context.sourcePort = batch.sourcePorts[i]!;
    const encoded = encoder.encode(batch.data.subarray(start, end), context);
    messages[i] = encoded.message;
    let slot = deviceSlots.get(encoded.device);
    if (slot === undefined) {
      slot = deviceTable.push(encoded.device) - 1;
      deviceSlots.set(encoded.device, slot);
    }
    deviceIndex[i] = slot;
    formats[i] = formatCode[encoded.format];
    start = end;
  }
  return { id: batch.id, messages, deviceTable, deviceIndex, formats };
}
