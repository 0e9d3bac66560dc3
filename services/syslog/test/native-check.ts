// The C encoder of the commonest lines against the TypeScript path it must equal (src/native-line-encoder.ts).
import { EventEncoder } from '../src/encode-event.js';
import { encodeBatch, transportCode, type EncodedBatch, type RawBatch, type Transport } from '../src/parse-batch.js';

export const withNative = new EventEncoder({ schema: 2, receivedAt: true, native: true });
export const typescriptOnly = new EventEncoder({ schema: 2, receivedAt: true, native: false });

export interface Received {
  line: Uint8Array;
  receivedAt: number;
  sourceIp: string;
  sourcePort: number;
  transport: Transport;
}

/** A batch as the parse pool makes it, with an output buffer of its own. */
export function rawBatch(messages: readonly Received[]): RawBatch {
  const data = Buffer.concat(messages.map((m) => m.line));
  let end = 0;
  const ipTable: string[] = [];
  const ipIndex = messages.map((m) => {
    const found = ipTable.indexOf(m.sourceIp);
    return found >= 0 ? found : ipTable.push(m.sourceIp) - 1;
  });
  return {
    id: 1,
    data,
    ends: Uint32Array.from(messages.map((m) => (end += m.line.length))),
    receivedAt: Float64Array.from(messages.map((m) => m.receivedAt)),
    sourcePorts: Uint16Array.from(messages.map((m) => m.sourcePort)),
    ipTable,
    ipIndex: Uint16Array.from(ipIndex),
    transportIndex: Uint8Array.from(messages.map((m) => transportCode[m.transport])),
    output: new Uint8Array(new SharedArrayBuffer(64 * 1024)),
  };
}

/** The batch's result as plain data, so that two results compare with one deep equality. */
function plain(result: EncodedBatch): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.events)) {
    if (key === 'bytes') out[key] = Buffer.from(value as Uint8Array).toString('latin1');
    else out[key] = ArrayBuffer.isView(value) ? Array.from(value as Uint32Array) : value;
  }
  return out;
}

export interface Comparison {
  /** Messages the C encoder took. */
  accepted: number;
  /** Both paths' results, as runs of lines (file sink) and as strings (CloudWatch sink). */
  native: unknown[];
  typescript: unknown[];
}

/** Encodes the messages both ways, in both of the sinks' forms. */
export function compareEncoders(messages: readonly Received[]): Comparison {
  const accepted = withNative.fast!.encode(rawBatch(messages));
  const native = [true, false].map((lines) => plain(encodeBatch(withNative, rawBatch(messages), lines)));
  const typescript = [true, false].map((lines) => plain(encodeBatch(typescriptOnly, rawBatch(messages), lines)));
  return { accepted, native, typescript };
}
