// Looks for marker cores in everything a service wrote or answered, also where a value hides in an
// encoding: JSON string escapes, gzip (any blob or decoded value starting 1f 8b), base64 (every
// run of 16 or more base64 characters, at each of the 4 alignments) and percent-encoding, nested
// a few levels deep (base64 of gzip of JSON...). A finding names the blob and the decoding path.
import { gunzipSync } from 'node:zlib';
import { coreRe } from './corpus.js';

export interface Blob {
  /** Where the bytes came from: `file:<path>`, `log`, `http:<request> -> <status>`. */
  where: string;
  data: Buffer | string;
}

export interface Finding {
  core: string;
  where: string;
  /** The decodings that revealed it, e.g. `raw`, `gzip>json`, `json>base64`. */
  via: string;
}

const maxDepth = 4;
// 12: the base64 of the shortest core (8 characters).
const base64RunRe = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
const percentRe = /%[0-9A-Fa-f]{2}/;

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Buffer): Buffer | null {
  try {
    return gunzipSync(bytes, { maxOutputLength: 256 * 1024 * 1024 });
  } catch {
    // A truncated stream still gives what it had: decode it chunk by chunk is not worth it here;
    // the raw bytes were searched anyway.
    return null;
  }
}

function jsonStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      jsonStrings(v, out);
    }
  }
}

function tryJson(text: string): unknown {
  const first = text.trimStart().charAt(0);
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

class Search {
  readonly findings = new Map<string, Finding>();

  constructor(private readonly where: string) {}

  bytes(data: Buffer, via: string, depth: number): void {
    if (isGzip(data)) {
      const inflated = gunzip(data);
      if (inflated) this.bytes(inflated, `${via}>gzip`, depth + 1);
      return;
    }
    this.text(data.toString('utf8'), via, depth);
    // Bytes that are not UTF-8 (a decoded base64 run of binary): latin1 keeps every ASCII core.
    if (depth > 0) this.match(data.toString('latin1'), via);
  }

  text(text: string, via: string, depth: number): void {
    this.match(text, via);
    if (depth >= maxDepth) return;
    if (depth < 2) {
      const strings: string[] = [];
      const whole = tryJson(text);
      if (whole !== undefined) jsonStrings(whole, strings);
      else for (const line of text.split('\n')) jsonStrings(tryJson(line), strings);
      for (const s of strings) this.text(s, `${via}>json`, depth + 1);
    }
    if (percentRe.test(text)) {
      this.text(
        text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        `${via}>percent`,
        depth + 1,
      );
    }
    for (const run of text.matchAll(base64RunRe)) {
      const token = run[0].replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
      // Node's decoder takes a last group without padding, so a cut-off tail still decodes.
      for (let offset = 0; offset < 4 && token.length - offset >= 12; offset++) {
        this.bytes(Buffer.from(token.slice(offset), 'base64'), `${via}>base64`, depth + 1);
      }
    }
  }

  private match(text: string, via: string): void {
    for (const m of text.matchAll(coreRe)) {
      const key = m[0].toLowerCase();
      if (!this.findings.has(key)) this.findings.set(key, { core: m[0], where: this.where, via });
    }
  }
}

/** Every marker core in the blobs, one finding per core and blob (the shortest decoding path first found). */
export function findCores(blobs: readonly Blob[]): Finding[] {
  const out: Finding[] = [];
  for (const blob of blobs) {
    const search = new Search(blob.where);
    search.bytes(typeof blob.data === 'string' ? Buffer.from(blob.data, 'utf8') : blob.data, 'raw', 0);
    out.push(...search.findings.values());
  }
  return out;
}
