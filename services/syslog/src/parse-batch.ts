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

/**
 * The events of a batch, as the sink takes them:
 * - `lines` (file and stdout sinks): every event's line (its JSON and `\n`, UTF-8) back to back in
 *   one buffer, encoded once, on the worker; it travels as a transferred ArrayBuffer (no copy) and
 *   the sink writes those bytes as they are. `ends[i]`: where event i's line ends.
 * - `strings` (the CloudWatch sink, whose requests and spool are built from the message text): one
 *   string per event.
 */
export type EncodedEvents = { kind: 'lines'; bytes: Uint8Array; ends: Uint32Array } | { kind: 'strings'; messages: string[] };

/** What a parse worker sends back for a RawBatch, in the same order. */
export interface EncodedBatch {
  id: number;
  events: EncodedEvents;
  /** The distinct device names of the batch; `deviceIndex[i]` is message i's. */
  deviceTable: string[];
  deviceIndex: Uint16Array;
  /** Per message: its index in `parseFormats`. */
  formats: Uint8Array;
}

/** What a parse worker is started with. */
export interface WorkerData {
  encoding: EventEncoding;
  /** Encode events as lines of bytes (the sink takes them), else as strings. */
  lines: boolean;
}

/** A worker's first message: its modules are loaded and it takes batches. */
export const workerReady = 'ready';

export const parseFormats: readonly ParseFormat[] = ['rfc5424', 'rfc3164', 'unparsed'];
const formatCode: Record<ParseFormat, number> = { rfc5424: 0, rfc3164: 1, unparsed: 2 };

/** Bytes per line in the last batch: the next one's buffer is sized on it, so it rarely grows (a copy) or idles. */
let lineBytesEstimate = 512;

/** Parses and encodes a batch; `lines`: as lines of bytes (see EncodedEvents). */
export function encodeBatch(encoder: EventEncoder, batch: RawBatch, lines: boolean): EncodedBatch {
  const count = batch.ends.length;
  const messages = new Array<string>(count);
  const out = lines ? new LineBuffer(Math.ceil(count * lineBytesEstimate * 1.25) + 4096) : null;
  const lineEnds = lines ? new Uint32Array(count) : null;
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
    if (out) lineEnds![i] = out.append(encoded.message);
    else messages[i] = encoded.message;
    let slot = deviceSlots.get(encoded.device);
    if (slot === undefined) {
      slot = deviceTable.push(encoded.device) - 1;
      deviceSlots.set(encoded.device, slot);
    }
    deviceIndex[i] = slot;
    formats[i] = formatCode[encoded.format];
    start = end;
  }
  let events: EncodedEvents = { kind: 'strings', messages };
  if (out) {
    events = { kind: 'lines', bytes: out.bytes(), ends: lineEnds! };
    if (count > 0) lineBytesEstimate = events.bytes.length / count;
  }
  return { id: batch.id, events, deviceTable, deviceIndex, formats };
}

/** The lines of a batch in one growing ArrayBuffer (transferable, unlike Buffer's shared pool). */
class LineBuffer {
  private data: Buffer;
  private used = 0;

  constructor(capacity: number) {
    this.data = Buffer.from(new ArrayBuffer(capacity));
  }

  /** Appends `text` and `\n` as UTF-8; returns where the line ends. */
  append(text: string): number {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units).
    const room = text.length * 3 + 1;
    if (this.used + room > this.data.length) {
      const grown = Buffer.from(new ArrayBuffer(Math.max(this.data.length * 2, this.used + room)));
      this.data.copy(grown, 0, 0, this.used);
      this.data = grown;
    }
    this.used += this.data.write(text, this.used, 'utf8');
    this.data[this.used++] = 0x0a;
    return this.used;
  }

  /** What was written: a view of the buffer, whose ArrayBuffer the worker transfers. */
  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, 0, this.used);
  }
}
