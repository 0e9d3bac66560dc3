import { randomUUID } from 'node:crypto';

/**
 * An event whose message is too large for one CloudWatch event is sent as numbered parts, each a
 * JSON message of its own, never truncated:
 *
 *   {"schema":"part/1","partId":"<uuid>","part":1,"parts":3,"data":"<slice of the original>"}
 *
 * The `data` of parts 1..parts, concatenated, is exactly the original message. Slices are cut on
 * code point boundaries (never inside a surrogate pair), so each `data` is valid text. The parts
 * share the original timestamp and go to the same stream, in order. Logs Insights users find them
 * with `filter schema = "part/1"`; `reassembleParts()` puts them back together.
 */
export const PART_SCHEMA = 'part/1';
const PART_PREFIX = `{"schema":"${PART_SCHEMA}"`;

export interface PartMessage {
  schema: typeof PART_SCHEMA;
  partId: string;
  /** 1-based. */
  part: number;
  parts: number;
  data: string;
}

/** UTF-8 bytes of one code unit (or surrogate pair) once written as a JSON string by `JSON.stringify`. */
function escapedBytes(message: string, i: number): { bytes: number; units: number } {
  const c = message.charCodeAt(i);
  if (c === 0x22 || c === 0x5c) return { bytes: 2, units: 1 }; // \" \\
  if (c < 0x20) return { bytes: c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6, units: 1 }; // \n or \u0001
  if (c < 0x80) return { bytes: 1, units: 1 };
  if (c < 0x800) return { bytes: 2, units: 1 };
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = message.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff ? { bytes: 4, units: 2 } : { bytes: 6, units: 1 }; // lone: \ud800
  }
  if (c >= 0xdc00 && c <= 0xdfff) return { bytes: 6, units: 1 };
  return { bytes: 3, units: 1 };
}

function envelopeBytes(partId: string, digits: number): number {
  const n = 10 ** (digits - 1);
  return Buffer.byteLength(JSON.stringify({ schema: PART_SCHEMA, partId, part: n, parts: n, data: '' }));
}

/** Cuts `message` into slices whose JSON-escaped UTF-8 size is at most `budget` bytes each. */
function slices(message: string, budget: number): string[] {
  const out: string[] = [];
  let start = 0;
  let size = 0;
  let i = 0;
  while (i < message.length) {
    const { bytes, units } = escapedBytes(message, i);
    if (size + bytes > budget && i > start) {
      out.push(message.slice(start, i));
      start = i;
      size = 0;
    }
    size += bytes;
    i += units;
  }
  out.push(message.slice(start));
  return out;
}

/**
 * Returns `[message]` when its UTF-8 size is at most `maxMessageBytes`, else the part messages,
 * each at most `maxMessageBytes` bytes of UTF-8.
 */
export function splitMessage(message: string, maxMessageBytes: number, id?: string): string[] {
  if (Buffer.byteLength(message) <= maxMessageBytes) return [message];
  const partId = id ?? randomUUID();
  // The envelope grows with the number of digits of `parts`; guess one digit and widen if needed.
  for (let digits = 1; ; digits++) {
    const budget = maxMessageBytes - envelopeBytes(partId, digits);
    if (budget < 6) throw new RangeError(`maxMessageBytes ${maxMessageBytes} leaves no room for part data`);
    const data = slices(message, budget);
    if (String(data.length).length > digits) continue;
    return data.map((d, k) => JSON.stringify({ schema: PART_SCHEMA, partId, part: k + 1, parts: data.length, data: d }));
  }
}

/** The part fields of a message written by `splitMessage`, or `undefined` for any other message. */
export function parsePart(message: string): PartMessage | undefined {
  if (!message.startsWith(PART_PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  const p = value as Partial<PartMessage>;
  if (
    typeof p.partId !== 'string' ||
    p.partId === '' ||
    !Number.isSafeInteger(p.part) ||
    !Number.isSafeInteger(p.parts) ||
    p.part! < 1 ||
    p.part! > p.parts! ||
    typeof p.data !== 'string'
  ) {
    return undefined;
  }
  return p as PartMessage;
}

export interface ReassembledMessages {
  /**
   * Messages in order of first appearance, each split event rejoined at the place of the first of
   * its parts that appeared. Duplicated parts (at-least-once delivery) count once.
   */
  messages: string[];
  /** Split events with parts missing: not in `messages`. */
  incomplete: { partId: string; parts: number; missing: number[] }[];
}

/** Puts split events back together, e.g. over the messages of one log stream in order. */
export function reassembleParts(messages: Iterable<string>): ReassembledMessages {
  const slots: (string | { partId: string })[] = [];
  const groups = new Map<string, { parts: number; data: (string | undefined)[] }>();
  for (const message of messages) {
    const part = parsePart(message);
    const group = part === undefined ? undefined : groups.get(part.partId);
    if (part === undefined || (group !== undefined && group.parts !== part.parts)) {
      slots.push(message);
      continue;
    }
    if (group === undefined) {
      const data = new Array<string | undefined>(part.parts).fill(undefined);
      data[part.part - 1] = part.data;
      groups.set(part.partId, { parts: part.parts, data });
      slots.push({ partId: part.partId });
    } else {
      group.data[part.part - 1] ??= part.data;
    }
  }
  const out: ReassembledMessages = { messages: [], incomplete: [] };
  for (const slot of slots) {
    if (typeof slot === 'string') {
      out.messages.push(slot);
      continue;
    }
    const group = groups.get(slot.partId)!;
    const missing = group.data.flatMap((d, k) => (d === undefined ? [k + 1] : []));
    if (missing.length === 0) out.messages.push(group.data.join(''));
    else out.incomplete.push({ partId: slot.partId, parts: group.parts, missing });
  }
  return out;
}
