import { randomUUID } from 'node:crypto';
import { schemaIds } from '../schemas.js';
import { envelopeOverhead, jsonSlices, withData, type JsonSlice } from './json-slices.js';

/**
 * The two wire forms of a value too big for one CloudWatch event. Both are cut by `jsonSlices` and
 * joined by `PartGroup`; they differ in what they carry and who may write them
 * (docs/ARCHITECTURE.md, "The event contract"):
 *
 *   {"schema":"part/1","partId":"<uuid>","part":1,"parts":3,"data":"<slice of the message>"}
 *   {"schema":"config-part/1","receivedAt":...,"uploadId":...,"device":...,"field":"config","part":1,"parts":4,"data":"..."}
 *
 * `part/1` is the one form for any new use: the CloudWatch sink cuts a whole message over its event
 * limit into it. `config-part/1` is config-upload's: a large field of a `config/1` event, moved out so
 * that the event keeps every other field queryable; its parts name the upload and the field.
 */
export const PART_SCHEMA = schemaIds.part1;
export const CONFIG_PART_SCHEMA = schemaIds.configPart1;

export interface PartMessage {
  schema: typeof PART_SCHEMA;
  partId: string;
  /** 1-based. */
  part: number;
  parts: number;
  data: string;
}

export interface ConfigPartMessage {
  schema: typeof CONFIG_PART_SCHEMA;
  receivedAt: string;
  uploadId: string;
  device: string;
  /** The `config/1` field it belongs to: `config`, `driftDiff` or `diff`. */
  field: string;
  part: number;
  parts: number;
  data: string;
}

const partEnvelope = (partId: string, part: number, parts: number) => JSON.stringify({ schema: PART_SCHEMA, partId, part, parts });

/**
 * Returns `[message]` when its UTF-8 size is at most `maxMessageBytes`, else its `part/1` messages,
 * each at most `maxMessageBytes` bytes of UTF-8. The data of parts 1..parts, concatenated, is
 * exactly the message.
 */
export function splitMessage(message: string, maxMessageBytes: number, id?: string): string[] {
  if (Buffer.byteLength(message) <= maxMessageBytes) return [message];
  const partId = id ?? randomUUID();
  // The envelope grows with the number of digits of `parts`; guess one digit and widen if needed.
  for (let digits = 1; ; digits++) {
    const n = 10 ** (digits - 1);
    const budget = maxMessageBytes - envelopeOverhead(partEnvelope(partId, n, n));
    if (budget < 6) throw new RangeError(`maxMessageBytes ${maxMessageBytes} leaves no room for part data`);
    const slices = jsonSlices(message, budget);
    if (String(slices.length).length > digits) continue;
    return slices.map((s, k) => withData(partEnvelope(partId, k + 1, slices.length), s.json));
  }
}

/** The `config-part/1` messages of one detached field, from its slices (`jsonSlices`), in order. */
export function configPartMessages(envelope: Omit<ConfigPartMessage, 'schema' | 'part' | 'parts' | 'data'>, slices: readonly JsonSlice[]): string[] {
  const { receivedAt, uploadId, device, field } = envelope;
  return slices.map((s, i) =>
    withData(JSON.stringify({ schema: CONFIG_PART_SCHEMA, receivedAt, uploadId, device, field, part: i + 1, parts: slices.length }), s.json),
  );
}

const validNumbers = (p: { part?: unknown; parts?: unknown; data?: unknown }) =>
  Number.isSafeInteger(p.part) &&
  Number.isSafeInteger(p.parts) &&
  (p.part as number) >= 1 &&
  (p.part as number) <= (p.parts as number) &&
  typeof p.data === 'string';

/**
 * The part fields of an event of either wire form, or `undefined` for any other value (a part
 * with a number outside 1..parts, no data or no key is no part: it is passed on as it is).
 */
export function readPart(value: unknown): PartMessage | ConfigPartMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<PartMessage> | Partial<ConfigPartMessage>;
  if (!validNumbers(p)) return undefined;
  if (p.schema === PART_SCHEMA) return typeof p.partId === 'string' && p.partId !== '' ? (p as PartMessage) : undefined;
  if (p.schema === CONFIG_PART_SCHEMA) return typeof p.uploadId === 'string' && typeof p.field === 'string' ? (p as ConfigPartMessage) : undefined;
  return undefined;
}

const PART_PREFIX = `{"schema":"${PART_SCHEMA}"`;
const CONFIG_PART_PREFIX = `{"schema":"${CONFIG_PART_SCHEMA}"`;

/** Cheap tests before any JSON.parse: both forms start with their schema. */
export const mayBeMessagePart = (message: string): boolean => message.startsWith(PART_PREFIX);
export const mayBePart = (message: string): boolean => mayBeMessagePart(message) || message.startsWith(CONFIG_PART_PREFIX);

/** `readPart` of a stored message; `undefined` for any other message, also one that is not JSON. */
export function parsePart(message: string): PartMessage | ConfigPartMessage | undefined {
  if (!mayBePart(message)) return undefined;
  try {
    return readPart(JSON.parse(message));
  } catch {
    return undefined;
  }
}

/** A `part/1` message's fields (the sink's form only), or `undefined`. */
export function parseMessagePart(message: string): PartMessage | undefined {
  const part = mayBeMessagePart(message) ? parsePart(message) : undefined;
  return part?.schema === PART_SCHEMA ? part : undefined;
}
