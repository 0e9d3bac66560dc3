import { Buffer, isAscii, isUtf8 } from 'node:buffer';

/** The received bytes as text, and whether that text is a lossless copy of them. */
export interface DecodedText {
  text: string;
  /** False when the bytes are not valid UTF-8: `text` then holds U+FFFD replacement characters. */
  valid: boolean;
  /** The bytes as a Buffer view (no copy), for base64 when `valid` is false. */
  bytes: Buffer;
}

/**
 * Decodes with a fast path for ASCII, by far the common case for router logs: a latin1 decode of
 * ASCII bytes gives the same string and skips UTF-8 decoding. `isAscii`/`isUtf8` are native scans.
 */
export function decodeBytes(raw: Uint8Array): DecodedText {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (bytes.length === 0) return { text: '', valid: true, bytes };
  if (isAscii(bytes)) return { text: bytes.toString('latin1'), valid: true, bytes };
  return { text: bytes.toString('utf8'), valid: isUtf8(bytes), bytes };
}
