import { configPartMessages, jsonSlices, schemaIds, type JsonSlice } from '@netsidecar/contracts';
import { toLogStreamName, type SinkEvent } from '@netsidecar/sink';
import type { DriftStatus } from '../analyse/drift.js';
import type { ComplianceResult } from '../compliance/check.js';
import type { WhenZone } from '../analyse/when.js';
import type { Vendor } from '../redact/vendor.js';

/** The `config/1` event (README "The event"): field names are a public interface. */
export interface ConfigEvent {
  schema: typeof schemaIds.config1;
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
 * it (config first, then the drift diff, then the diff) until it fits `maxEventBytes`. The fields are
 * cut and their parts written by the one codec of @netsidecar/contracts, which readers join back.
 */
export function toSinkEvents(event: ConfigEvent, logGroup: string, limit = maxEventBytes): SinkEvent[] {
  const logStream = toLogStreamName(event.device);
  const timestamp = Date.parse(event.receivedAt);
  const parts: { field: DetachableField; data: JsonSlice[] }[] = [];
  // A field longer than the limit on its own is detached without serialising the event first.
  let message = (event.config?.length ?? 0) > limit ? '' : JSON.stringify(event);
  for (const field of ['config', 'driftDiff', 'diff'] as const) {
    if (message !== '' && Buffer.byteLength(message) <= limit) break;
    const value = event[field];
    if (value === null) continue;
    event[field] = null;
    event.detached.push(field);
    parts.push({ field, data: jsonSlices(value, limit - partEnvelopeBytes) });
    event.parts = parts.reduce((n, p) => n + p.data.length, 0);
    message = JSON.stringify(event);
  }
  if (message === '') message = JSON.stringify(event);
  const out: SinkEvent[] = [{ logGroup, logStream, timestamp, message }];
  for (const { field, data } of parts) {
    const { receivedAt, uploadId, device } = event;
    for (const message of configPartMessages({ receivedAt, uploadId, device, field }, data)) out.push({ logGroup, logStream, timestamp, message });
  }
  return out;
}
