import { createRequire } from 'node:module';
import type { EventEncoding } from './event-encoding.js';
import type { RawBatch } from './parse-batch.js';

/** The addon's one function (native/line_encoder.c describes the arguments). */
interface LineEncoderBinding {
  encode(
    data: Uint8Array,
    ends: Uint32Array,
    receivedAt: Float64Array,
    ipTable: string[],
    ipIndex: Uint16Array,
    ports: Uint16Array,
    transportIndex: Uint8Array,
    out: Uint8Array,
    outEnds: Int32Array,
    hosts: Uint32Array,
    formats: Uint8Array,
  ): number;
}

/** Where the addon is built (`npm install` runs node-gyp in services/syslog), from src/ or dist/. */
const addonPath = '../build/Release/line_encoder.node';

/** Room kept for the events of one batch: a full batch of ordinary lines needs under a megabyte. */
const keptBytes = 4 * 1024 * 1024;

let binding: LineEncoderBinding | null | undefined;

/** The addon, or null where it was not built (another OS, no compiler): then every line takes the TypeScript path. */
export function lineEncoderBinding(): LineEncoderBinding | null {
  if (binding === undefined) {
    try {
      binding = createRequire(import.meta.url)(addonPath) as LineEncoderBinding;
    } catch {
      binding = null;
    }
  }
  return binding;
}

/** Whether the parse workers encode the commonest lines in C: `syslog/2` with its receive time, asked for, and the addon built. */
export function encodesNatively(encoding: EventEncoding): boolean {
  return encoding.schema === 2 && encoding.receivedAt && encoding.native && lineEncoderBinding() !== null;
}

/**
 * The `syslog/2` events of a batch's commonest lines, encoded in C (native/line_encoder.c): Cisco
 * IOS lines with the clock in UTC and RFC 5424 lines as Junos sends them, most of what a router
 * estate sends, at a fraction of the TypeScript path's cost. The TypeScript parser and encoder stay
 * the definition of the event: the addon takes only lines whose reading is certain and writes the
 * same bytes for them (test/native-line-encoder.test.ts holds it to that on the corpora and fuzzed
 * lines); every other line is left to TypeScript.
 */
export class NativeLineEncoder {
  /** The events' JSON back to back; message i's ends at `ends[i]` (-1: not encoded here). */
  bytes = Buffer.allocUnsafeSlow(256 * 1024);
  ends = new Int32Array(512);
  /** Per message: its host's start and end in the batch's data (equal when the line has none). */
  hosts = new Uint32Array(1024);
  /** Per message: its format, as its index in parse-batch.ts `parseFormats`. */
  formats = new Uint8Array(512);

  private constructor(private readonly binding: LineEncoderBinding) {}

  /** Null without the addon. */
  static load(): NativeLineEncoder | null {
    const found = lineEncoderBinding();
    return found === null ? null : new NativeLineEncoder(found);
  }

  /** Encodes the lines of the batch it takes; returns how many. */
  encode(batch: RawBatch): number {
    const count = batch.ends.length;
    if (this.ends.length < count) {
      this.ends = new Int32Array(count);
      this.hosts = new Uint32Array(2 * count);
      this.formats = new Uint8Array(count);
    }
    // An event is at most ~330 bytes beside its message, whose JSON is at most twice the line (a
    // line the addon takes has no byte that JSON writes as more than two). Room that runs out
    // leaves the rest to TypeScript, so this only sizes the common case.
    const room = 2 * batch.data.length + 384 * count;
    if (room > keptBytes) {
      // A batch with a huge message (up to 16 MiB) is left to TypeScript rather than kept room for.
      this.ends.fill(-1, 0, count);
      return 0;
    }
    if (this.bytes.length < room) this.bytes = Buffer.allocUnsafeSlow(room);
    return this.binding.encode(
      batch.data,
      batch.ends,
      batch.receivedAt,
      batch.ipTable,
      batch.ipIndex,
      batch.sourcePorts,
      batch.transportIndex,
      this.bytes,
      this.ends,
      this.hosts,
      this.formats,
    );
  }
}
