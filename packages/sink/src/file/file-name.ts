import { createHash } from 'node:crypto';

/**
 * The file sink's file name for a log stream, and back. A stream name may be up to 512 characters
 * (CloudWatch's bound, `toLogStreamName`) and comes from what a device sent; a file name is one path
 * component of at most 255 bytes (NAME_MAX on ext4, xfs, overlayfs). One too-long name used to stop
 * the whole file sink (ENAMETOOLONG retried forever), so every name is mapped:
 *
 * - `%`, `/`, control characters and DEL are written `%XX` (hex of the byte, upper case): reversible,
 *   and the identity for ordinary names (`rtr-tyo-1` is `rtr-tyo-1.jsonl`, as before).
 * - When that is longer than 255 bytes with its extension (or the name holds a lone UTF-16
 *   surrogate, which has no UTF-8 form), the file is `<start of the name>%~<128-bit hash>.jsonl`, and
 *   the full name is written once beside it, as a JSON string, in `<same base>.name`. `%~` never
 *   occurs in an escaped name (a `%` there is always followed by two hex digits), so the two forms
 *   cannot meet.
 *
 * `cli/audit` lists streams with `streamOfFileName` and finds a stream's file with `fileNameOf`.
 */
export const maxFileNameBytes = 255;
export const streamFileExtension = '.jsonl';
/** Beside a hashed file: the full stream name. */
export const streamNameFileExtension = '.name';

const hashMarker = '%~';
const hashHexDigits = 32; // 128 bits: no accidental collision among any realistic number of streams
const hashedPattern = new RegExp(`${hashMarker}[0-9a-f]{${hashHexDigits}}$`);
const unsafe = /[%/\u0000-\u001f\u007f]/g;
/** Exactly the escapes `fileNameOf` writes: `%25`, `%2F`, `%00`..`%1F`, `%7F`. */
const escapedPattern = /%(25|2F|[01][0-9A-F]|7F)/g;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function escapeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The file name of a stream: `<escaped name>.jsonl`, or the hashed form when that would not fit. */
export function fileNameOf(stream: string, extension = streamFileExtension): string {
  const escaped = stream.replace(unsafe, escapeChar);
  if (!loneSurrogate.test(stream) && Buffer.byteLength(escaped) + Buffer.byteLength(extension) <= maxFileNameBytes) {
    return escaped + extension;
  }
  return hashedBaseOf(stream, maxFileNameBytes - Buffer.byteLength(extension)) + extension;
}

/** True for a base name (without extension) of the hashed form: its full stream name is in `<base>.name`. */
export function isHashedFileBase(base: string): boolean {
  return hashedPattern.test(base);
}

/**
 * The stream of an escaped base name (without extension). A hashed base has no inverse here: read
 * `<base>.name` (`parseStreamNameFile`). A `%` that is not one of the escapes `fileNameOf` writes (a
 * name written before the mapping existed, such as `50%off`) is kept as it is.
 */
export function streamOfFileBase(base: string): string {
  return base.replace(escapedPattern, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The content of `<base>.name`. */
export function streamNameFileContent(stream: string): string {
  return `${JSON.stringify(stream)}\n`;
}

/** The stream name in a `<base>.name` file, or null when the text is not one. */
export function parseStreamNameFile(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function hashedBaseOf(stream: string, maxBaseBytes: number): string {
  // Hashed over UTF-16 code units, so names that differ only in lone surrogates differ here too.
  const hash = createHash('sha256').update(Buffer.from(stream, 'utf16le')).digest('hex').slice(0, hashHexDigits);
  const suffix = hashMarker + hash;
  // The start of the name keeps the file recognisable in a listing; whole characters only.
  let budget = maxBaseBytes - suffix.length;
  let prefix = '';
  for (const char of stream) {
    const piece = loneSurrogate.test(char) ? '_' : char.replace(unsafe, escapeChar);
    const bytes = Buffer.byteLength(piece);
    if (bytes > budget) break;
    prefix += piece;
    budget -= bytes;
  }
  return prefix + suffix;
}
