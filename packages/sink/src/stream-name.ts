import { createHash } from 'node:crypto';

/** The longest stream name `toLogStreamName` makes (CloudWatch allows 512; 255 keeps names readable). */
export const MAX_STREAM_NAME_CHARS = 255;
/** `~` and 32 hex digits (128 bits of SHA-256) end a name that was cut to the bound. */
const hashMarker = '~';
const hashHexDigits = 32;
const keptChars = MAX_STREAM_NAME_CHARS - hashMarker.length - hashHexDigits;

/**
 * Characters a stream name never carries: `:` and `*` (CloudWatch refuses them), `/` and `\`,
 * control characters and DEL, and UTF-16 surrogates without their pair (no UTF-8 form).
 */
const unsafe = /[:*/\\\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The log stream of a device or source name, the same for every sink and every service (the audit
 * CLI finds a device's stream with it too). Names come from the network (a syslog `host`), so:
 *
 * - each unsafe character (above) becomes `_`. IPv6 sources become `2001_db8__1`. This is not
 *   reversible (`a:b` and `a_b` share a stream), and is kept so because every stream written so far
 *   is named that way; the event itself always keeps the exact name (`host`, `sourceIp`, `device`).
 * - `''`, `.` and `..` get a `_` in front.
 * - a name longer than 255 characters becomes its first 222 characters, `~`, and 32 hex digits of
 *   the SHA-256 of the whole name (as UTF-16): bounded, and distinct long names stay distinct.
 *
 * The file sink maps any stream name to a safe file name on its own (`file/file-name.ts`).
 */
export function toLogStreamName(name: string): string {
  let safe = name.replace(unsafe, '_');
  if (safe === '' || safe === '.' || safe === '..') safe = `_${safe}`;
  if (safe.length <= MAX_STREAM_NAME_CHARS) return safe;
  let cut = keptChars;
  const last = safe.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // never half a surrogate pair
  const hash = createHash('sha256').update(Buffer.from(name, 'utf16le')).digest('hex').slice(0, hashHexDigits);
  return safe.slice(0, cut) + hashMarker + hash;
}
