import { toLogStreamName, type SinkEvent } from '@netsidecar/sink';
import type { DriftStatus } from '../analyse/drift.js';
import type { ComplianceResult } from '../compliance/check.js';
import type { WhenZone } from '../analyse/when.js';
import type { Vendor } from '../redact/vendor.js';

/** The `config/1` event (README "The event"): field names are a public interface. */
export interface ConfigEvent {
  schema: 'config/1';
  receivedAt: string;
  uploadId: string;
  device: string;
  deviceFrom: 'filename' | 'principal';
  vendor: Vendor;
  version: number;
  previousVersion: number | null;
  source: {
    method: string;
    path: string;
    filename: string | null;
    ip: string;
    principal: string;
    userAgent: string | null;
    gzip: boolean;
    bytes: number;
    decodedBytes: number;
  };
  who: string | null;
  when: string | null;
  whenRaw: string | null;
  whenZone: WhenZone | null;
  sha256: string;
  sha256Original: string;
  sha256Normalized: string;
  previousSha256: string | null;
  changed: boolean;
  diff: string | null;
  diffAdded: number;
  diffRemoved: number;
  drift: boolean | null;
  driftStatus: DriftStatus;
  driftDiff: string | null;
  intendedSha256: string | null;
  /** The compliance rules' result; null when no rules file is configured. */
  compliance: ComplianceResult | null;
  redactions: number;
  redactionsByKind: Record<string, number>;
  freeText: string[];
  /** Shapes of commands whose secrets only the fail-closed rules caught (README "Redaction"). */
  redactionGaps: string[];
  config: string | null;
  configBytes: number;
  configLines: number;
  detached: DetachableField[];
  parts: number;
  storeKey: string;
}

export type DetachableField = 'config' | 'driftDiff' | 'diff';

/** Each event at most this many bytes: inside CloudWatch's old 256 KiB limit, so Logs Insights sees every field. */
export const maxEventBytes = 250_000;
const partEnvelopeBytes = 400; // the part's other fields, generously

/**
 * The upload's events: `config/1`, then `config-part/1` events for the large fields moved out of
 * it (config first, then the drift diff, then the diff) until it fits `maxEventBytes`.
 */
export function toSinkEvents(event: ConfigEvent, logGroup: string, limit = maxEventBytes): SinkEvent[] {
  const logStream = toLogStreamName(event.device);
  const timestamp = Date.parse(event.receivedAt);
  const parts: { field: DetachableField; data: { data: string; json: string }[] }[] = [];
  // A field longer than the limit on its own is detached without serialising the event first.
  let message = (event.config?.length ?? 0) > limit ? '' : JSON.stringify(event);
  for (const field of ['config', 'driftDiff', 'diff'] as const) {
    if (message !== '' && Buffer.byteLength(message) <= limit) break;
    const value = event[field];
    if (value === null) continue;
    event[field] = null;
    event.detached.push(field);
    parts.push({ field, data: encodedSlices(value, limit - partEnvelopeBytes) });
    event.parts = parts.reduce((n, p) => n + p.data.length, 0);
    message = JSON.stringify(event);
  }
  if (message === '') message = JSON.stringify(event);
  const out: SinkEvent[] = [{ logGroup, logStream, timestamp, message }];
  for (const { field, data } of parts) {
    data.forEach((slice, i) => {
      // The envelope serialised as JSON, then the already-encoded data spliced in (`"data":` last).
      const envelope = JSON.stringify({ schema: 'config-part/1', receivedAt: event.receivedAt, uploadId: event.uploadId, device: event.device, field, part: i + 1, parts: data.length });
      out.push({ logGroup, logStream, timestamp, message: `${envelope.slice(0, -1)},"data":${slice.json}}` });
    });
  }
  return out;
}

/**
 * Cuts text into slices whose JSON-escaped UTF-8 size is at most `budget`, never inside a surrogate
 * pair. Each slice is sized by guess and checked with the native JSON.stringify and byteLength
 * (a per-character loop cost ~6 ms per MB; this well under 1 ms for configuration text).
 */
export function slices(text: string, budget: number): string[] {
  return encodedSlices(text, budget).map((s) => s.data);
}

/** The slices with their JSON string form, so that each is serialised once. */
function encodedSlices(text: string, budget: number): { data: string; json: string }[] {
  const out: { data: string; json: string }[] = [];
  let start = 0;
  let guess = budget;
  while (start < text.length) {
    let n = Math.min(guess, text.length - start);
    for (;;) {
      let end = start + n;
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep a surrogate pair whole
      const slice = text.slice(start, end);
      const json = JSON.stringify(slice);
      const size = escapedBytes(slice, json);
      if (size <= budget || end - start <= 1) {
        out.push({ data: slice, json });
        start = end;
        // Escaping runs at about the same rate through a config: size the next guess from this one.
        guess = Math.max(1, Math.floor((slice.length * budget) / Math.max(size, 1)));
        break;
      }
      n = Math.max(1, Math.floor((n * budget) / size * 0.98));
    }
  }
  return out;
}

/**
 * The UTF-8 size of `json` (JSON.stringify(slice)) without its quotes, never less than the truth,
 * measured on the slice: Buffer.byteLength of JSON.stringify's fresh result cost about 1 ms per
 * 250 KB part (measured; the string is flattened first), of the slice, a view of flat text, 0.05 ms.
 * JSON.stringify only turns characters into ASCII escapes, so each escape adds its extra length to
 * the slice's UTF-8 size: exact, except a lone surrogate (3 bytes in the slice, a 6-byte `\uXXXX`
 * escape), counted 2 bytes too many.
 */
function escapedBytes(slice: string, json: string): number {
  return Buffer.byteLength(slice) + (json.length - 2 - slice.length);
}
