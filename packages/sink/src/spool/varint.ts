/**
 * Unsigned LEB128 for integers up to 2^53 (sequence numbers). Arithmetic rather than bit operators,
 * because JavaScript bit operators truncate to 32 bits and sequence numbers outgrow that in a day
 * at 100k events/s.
 */

/** Bytes needed to encode `value`. */
export function varintLength(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    n++;
  }
  return n;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVarint(buf: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    buf[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[offset++] = value;
  return offset;
}

/** Reads a varint at `offset`; `undefined` when it runs past the end or beyond 2^53. */
export function readVarint(buf: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < buf.length; i++) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
    if (byte < 0x80) return { value, next: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}
