import type { ParseFormat, ReceiveContext } from './parser/index.js';
import type { EventEncoder } from './encode-event.js';
import type { EventEncoding } from './event-encoding.js';
import { sharedBytes } from './shared-buffers.js';

/**
 * Messages (UDP datagrams, TCP and TLS frames) sent to a parse worker in one message: their bytes
 * back to back, and where each ends.
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
  /** Per message: its source IP's index in `ipTable`. */
  ipIndex: Uint16Array;
  /** Per message: how it came, as its index in `transports` (a byte: cheaper than a string per message). */
  transportIndex: Uint8Array;
  /**
   * Where the events' bytes go: memory shared with the main thread, which reuses it for a later
   * batch once this one is delivered. A result that does not fit gets shared memory of its own.
   */
  output: Uint8Array;
}

export type Transport = ReceiveContext['transport'];

/** The transports a batch's `transportIndex` refers to. */
export const transports: readonly Transport[] = ['udp', 'tcp', 'tls'];
export const transportCode: Record<Transport, number> = { udp: 0, tcp: 1, tls: 2 };

/**
 * The events of a batch, as the sink takes them:
 * - `lines` (file and stdout sinks): the lines (JSON and `\n`, UTF-8) of the events in runs, one
 *   run per source address and device, in the order each run's first event was read; a run holds its
 *   events in the order read, so each device's order holds. Encoded once, on the worker, into the
 *   batch's `output` (shared memory: nothing is copied or allocated to send it); the main thread hands
 *   each run to the sink in one call, and a sink that keeps them copies them (the buffer is reused).
 * - `strings` (the CloudWatch sink, whose requests and spool are built from the message text): one
 *   message per event, in the order read, as UTF-8 bytes back to back; the main thread makes each
 *   its string. Sending the texts themselves kept them alive (and copied them between the worker's
 *   young-generation spaces) until the batch was cloned; bytes are written as each event is encoded
 *   and travel in the batch's `output`.
 * A new buffer per batch (a transferred ArrayBuffer, as before) was external memory the main thread's
 * V8 counted: under a TCP load it ran a full mark-compact about every 100 ms for it.
 */
export type EncodedEvents = LineRuns | EventStrings;

export interface LineRuns {
  kind: 'lines';
  bytes: Uint8Array;
  /** Per run: where its lines end in `bytes`, how many events it holds, its source (index in the batch's ipTable) and device. */
  ends: Uint32Array;
  counts: Uint32Array;
  ipIndex: Uint16Array;
  devices: string[];
  /** Per run: the receive time of its first event (a sink without `writeLines` stamps the run with it). */
  receivedAt: Float64Array;
  /** Events by format, in `parseFormats` order. */
  formatCounts: Uint32Array;
}

export interface EventStrings {
  kind: 'strings';
  /** The messages' UTF-8, back to back; message i ends at `ends[i]`. */
  bytes: Uint8Array;
  ends: Uint32Array;
  /** The distinct device names of the batch; `deviceIndex[i]` is message i's. */
  deviceTable: string[];
  deviceIndex: Uint16Array;
  /** Per message: its index in `parseFormats`. */
  formats: Uint8Array;
}

/** What a parse worker sends back for a RawBatch. */
export interface EncodedBatch {
  id: number;
  events: EncodedEvents;
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

/** Parses and encodes a batch; `lines`: as runs of lines of bytes (see EncodedEvents). */
export function encodeBatch(encoder: EventEncoder, batch: RawBatch, lines: boolean): EncodedBatch {
  return { id: batch.id, events: lines ? encodeLines(encoder, batch) : encodeStrings(encoder, batch) };
}

/**
 * Each message parsed and encoded, in order, its event's bytes appended to `scratch` (and a LF when
 * `lineFeed`); `take` learns where they end, the device and the format. The addon's encoder, when
 * there is one, first encodes the batch's lines of its shape in one call; the rest are parsed and
 * encoded here. One context, its Date included, serves every message (the parser reads it and
 * keeps none of it), and the messages are views of one Buffer over the batch: a Date and two views
 * per message (the parser wants a Buffer) were a measurable part of the worker's time.
 */
function eachEncoded(
  encoder: EventEncoder,
  batch: RawBatch,
  scratch: LineScratch,
  lineFeed: boolean,
  take: (i: number, end: number, device: string, format: ParseFormat) => void,
): void {
  const fast = encoder.fast;
  const fastCount = fast === null ? 0 : fast.encode(batch);
  const context: ReceiveContext = { receivedAt: new Date(0), sourceIp: '', sourcePort: 0, transport: 'udp' };
  const data = Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  let start = 0;
  let fastStart = 0;
  for (let i = 0; i < batch.ends.length; i++) {
    const end = batch.ends[i]!;
    const fastEnd = fastCount > 0 ? fast!.ends[i]! : -1;
    if (fastEnd >= 0) {
      const hostStart = fast!.hosts[2 * i]!;
      const hostEnd = fast!.hosts[2 * i + 1]!;
      const device = hostEnd > hostStart ? data.toString('latin1', hostStart, hostEnd) : batch.ipTable[batch.ipIndex[i]!]!;
      take(i, scratch.appendBytes(fast!.bytes, fastStart, fastEnd, lineFeed), device, parseFormats[fast!.formats[i]!]!);
      fastStart = fastEnd;
    } else {
      context.receivedAt.setTime(batch.receivedAt[i]!);
      context.sourceIp = batch.ipTable[batch.ipIndex[i]!]!;
      context.sourcePort = batch.sourcePorts[i]!;
      context.transport = transports[batch.transportIndex[i]!]!;
      const encoded = encoder.encode(data.subarray(start, end), context);
      take(i, lineFeed ? scratch.appendLine(encoded.message) : scratch.append(encoded.message), encoded.device, encoded.format);
    }
    start = end;
  }
}

function encodeStrings(encoder: EventEncoder, batch: RawBatch): EventStrings {
  const count = batch.ends.length;
  const ends = new Uint32Array(count);
  const deviceTable: string[] = [];
  const deviceSlots = new Map<string, number>();
  const deviceIndex = new Uint16Array(count);
  const formats = new Uint8Array(count);
  const scratch = lineScratch;
  scratch.reset();
  eachEncoded(encoder, batch, scratch, false, (i, end, device, format) => {
    ends[i] = end;
    let slot = deviceSlots.get(device);
    if (slot === undefined) {
      slot = deviceTable.push(device) - 1;
      deviceSlots.set(device, slot);
    }
    deviceIndex[i] = slot;
    formats[i] = formatCode[format];
  });
  return { kind: 'strings', bytes: scratch.copyInto(batch.output), ends, deviceTable, deviceIndex, formats };
}

/** The events of one source address and device in a batch. */
interface Run {
  /** Its place in the batch's runs. */
  index: number;
  ip: number;
  device: string;
  receivedAt: number;
  count: number;
  /** Bytes of its lines, then (once every line is read) where they start in the batch's buffer. */
  bytes: number;
  /** The next run of the same device from another source address (rare: a relay and the device itself). */
  other: Run | null;
}

/**
 * Each line's bytes are written the moment it is encoded, into a buffer the worker keeps, and its
 * text is garbage at once. Keeping the texts until the batch ends (to join them per run) kept a
 * batch's worth of them alive across young-generation collections: each text is built by
 * concatenation, a tree of a dozen strings, and copying those trees made the collector most of the
 * worker's time under TCP load. The lines are then copied into run order (memory copies, no objects).
 */
function encodeLines(encoder: EventEncoder, batch: RawBatch): LineRuns {
  const count = batch.ends.length;
  const runs: Run[] = [];
  const byDevice = new Map<string, Run>();
  const formatCounts = new Uint32Array(parseFormats.length);
  const runOf = new Uint32Array(count);
  const lineEnds = new Uint32Array(count);
  const scratch = lineScratch;
  scratch.reset();
  let lineStart = 0;
  eachEncoded(encoder, batch, scratch, true, (i, end, device, format) => {
    const code = formatCode[format];
    formatCounts[code] = formatCounts[code]! + 1;
    const ip = batch.ipIndex[i]!;
    let run = byDevice.get(device);
    while (run !== undefined && run.ip !== ip) run = run.other ?? undefined;
    if (run === undefined) {
      run = {
        index: runs.length,
        ip,
        device,
        receivedAt: batch.receivedAt[i]!,
        count: 0,
        bytes: 0,
        other: byDevice.get(device) ?? null,
      };
      byDevice.set(device, run);
      runs.push(run);
    }
    lineEnds[i] = end;
    run.count++;
    run.bytes += end - lineStart;
    runOf[i] = run.index;
    lineStart = end;
  });
  const ends = new Uint32Array(runs.length);
  const counts = new Uint32Array(runs.length);
  const ipIndex = new Uint16Array(runs.length);
  const receivedAt = new Float64Array(runs.length);
  const devices = new Array<string>(runs.length);
  let offset = 0;
  runs.forEach((run, r) => {
    const bytes = run.bytes;
    run.bytes = offset; // from here on: where the run's next line goes
    offset += bytes;
    ends[r] = offset;
    counts[r] = run.count;
    ipIndex[r] = run.ip;
    receivedAt[r] = run.receivedAt;
    devices[r] = run.device;
  });
  const out = outputFor(batch.output, offset);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const run = runs[runOf[i]!]!;
    const end = lineEnds[i]!;
    scratch.data.copy(out, run.bytes, start, end);
    run.bytes += end - start;
    start = end;
  }
  return { kind: 'lines', bytes: out, ends, counts, ipIndex, devices, receivedAt, formatCounts };
}

/** The encoded lines of the batch being built, in the order read; reused from batch to batch. */
class LineScratch {
  data = Buffer.allocUnsafeSlow(initialScratchBytes);
  used = 0;

  reset(): void {
    this.used = 0;
    // One huge message (NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE allows 16 MiB) must not keep its room for good.
    if (this.data.length > keptScratchBytes) this.data = Buffer.allocUnsafeSlow(initialScratchBytes);
  }

  /** Appends `text` as UTF-8 and a LF; returns where the line ends. */
  appendLine(text: string): number {
    this.append(text);
    this.data[this.used++] = LF;
    return this.used;
  }

  /** Appends `source[start, end)` (and a LF when `lineFeed`); returns where it ends. */
  appendBytes(source: Buffer, start: number, end: number, lineFeed: boolean): number {
    this.makeRoom(end - start + 1);
    this.used += source.copy(this.data, this.used, start, end);
    if (lineFeed) this.data[this.used++] = LF;
    return this.used;
  }

  /** Appends `text` as UTF-8, with room for one more byte; returns where it ends. */
  append(text: string): number {
    // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair: 4 for 2 units).
    this.makeRoom(text.length * 3 + 1);
    this.used += this.data.write(text, this.used, 'utf8');
    return this.used;
  }

  private makeRoom(bytes: number): void {
    if (this.used + bytes <= this.data.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.data.length * 2, this.used + bytes));
    this.data.copy(grown, 0, 0, this.used);
    this.data = grown;
  }

  /** What was written, copied into `output` (or shared memory of its own when it does not fit). */
  copyInto(output: Uint8Array): Uint8Array {
    const copy = outputFor(output, this.used);
    copy.set(this.data.subarray(0, this.used));
    return copy;
  }
}

/** The first `bytes` of a batch's output buffer, or a new shared buffer when they do not fit in it. */
function outputFor(output: Uint8Array, bytes: number): Uint8Array {
  return (bytes <= output.length ? output : sharedBytes(bytes)).subarray(0, bytes);
}

const LF = 0x0a;
const initialScratchBytes = 64 * 1024;
/** A full batch of ordinary messages needs well under this; more is let go after the batch. */
const keptScratchBytes = 4 * 1024 * 1024;
const lineScratch = new LineScratch();
