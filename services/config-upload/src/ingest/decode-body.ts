import { gunzipSync } from 'node:zlib';
import { UploadError } from '../errors.js';
import { asciiText } from '../whole-text.js';

export interface DecodedBody {
  text: string;
  gzip: boolean;
  bytes: number;
  decodedBytes: number;
  /** The decoded bytes, for sha256Original; dropped once hashed. */
  raw: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Gzip is recognised by Content-Encoding, a `.gz` name (Junos names `...conf.gz_20261122_140000`) or
 * the magic bytes. The limit applies to the decoded size: `maxOutputLength` makes zlib stop as soon
 * as the output passes it, so a gzip bomb costs at most `maxBytes` of memory.
 */
export function decodeBody(body: Buffer, options: { contentEncoding?: string | undefined; filename?: string | null; maxBytes: number }): DecodedBody {
  if (body.length === 0) throw new UploadError('empty_body');
  if (body.length > options.maxBytes) throw new UploadError('too_large');
  const magic = isGzip(body);
  const declared = /\bx?-?gzip\b/i.test(options.contentEncoding ?? '') || /\.gz(?:_|$)/i.test(options.filename ?? '');
  let raw = body;
  const gzip = magic || (declared && body.length > 0);
  // Twice at most: a `.gz` file sent with `Content-Encoding: gzip` on top arrives gzipped twice.
  for (let round = 0; round < 2 && (round === 0 ? gzip : isGzip(raw)); round++) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: options.maxBytes });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || (err as RangeError).name === 'RangeError') throw new UploadError('too_large', { cause: err });
      throw new UploadError('corrupt_gzip', { cause: err });
    }
    if (raw.length === 0) throw new UploadError('empty_body');
  }
  return { text: toText(raw), gzip, bytes: body.length, decodedBytes: raw.length, raw };
}

function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** UTF-8 first, else Latin-1 when it is still text; anything else is binary junk. */
function toText(raw: Buffer): string {
  // One pass over the bytes: NUL means binary; other C0 controls (but tab, LF, CR, form feed and
  // ^C, which delimits IOS banners) may be at most 1 % of the body.
  let control = 0;
  let high = 0; // bytes >= 0x80: none, and the text is ASCII
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 3 && c !== 12) {
      if (c === 0) throw new UploadError('binary_content');
      control++;
    } else if (c === 0x7f) control++;
    else if (c >= 0x80) high++;
  }
  if (control > raw.length / 100) throw new UploadError('binary_content');
  let text: string;
  try {
    // ASCII is its own UTF-8: read as Latin-1, a large text is made outside the V8 heap (whole-text.ts).
    text = high === 0 ? asciiText(raw) : utf8.decode(raw);
  } catch {
    // Not UTF-8: an old banner in Latin-1 is still text, random bytes are not (C1 controls).
    text = raw.toString('latin1');
    let c1 = 0;
    for (let i = 0; i < raw.length; i++) if (raw[i]! >= 0x80 && raw[i]! < 0xa0) c1++;
    if (c1 > raw.length / 100) throw new UploadError('binary_content');
  }
  if (text.trim() === '') throw new UploadError('empty_body');
  return text;
}
