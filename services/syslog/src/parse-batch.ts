import type { ParseFormat } from './parser/index.js';
import type { EventEncoder } from './encode-event.js';

/** Datagrams sent to a parse worker in one message: their bytes back to back, and where each ends. */
export interface RawBatch {
  id: number;
  data: Uint8Array;
  ends: Uint32Array;
  receivedAt: Float64Array;
  sourcePorts: Uint16Array;
  sourceIps: string[];
}

/** What a parse worker sends back for a RawBatch, in the same order. */
export interface EncodedBatch {
  id: number;
  messages: string[];
  streams: string[];
  formats: ParseFormat[];
}

export function encodeBatch(encoder: EventEncoder, batch: RawBatch): EncodedBatch {
  const count = batch.ends.length;
  const messages = new Array<string>(count);
  const streams = new Array<string>(count);
  const formats = new Array<ParseFormat>(count);
  const context = { receivedAt: new Date(0), sourceIp: '', sourcePort: 0, transport: 'udp' as const };
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = batch.ends[i]!;
    context.receivedAt = new Date(batch.receivedAt[i]!);
    context.sourceIp = batch.sourceIps[i]!;
    context.sourcePort = batch.sourcePorts[i]!;
    const encoded = encoder.encode(batch.data.subarray(start, end), context);
    messages[i] = encoded.message;
    streams[i] = encoded.stream;
    formats[i] = encoded.format;
    start = end;
  }
  return { id: batch.id, messages, streams, formats };
}
