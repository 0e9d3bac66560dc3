import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { schemaIds } from '@netsidecar/contracts';
import { AuditError } from '../errors.js';
import { iso } from '../time-range.js';

export const SUMS_FILE = 'SHA256SUMS';
export const MANIFEST_FILE = 'MANIFEST.json';

/** One thing wrong with a bundle, by the code `verify` reports it with. */
export interface BundleProblem {
  code: 'AUDIT_BUNDLE_TAMPERED' | 'AUDIT_BUNDLE_FILE_MISSING';
  message: string;
}

export interface BundleCheck {
  /** SHA-256 of SHA256SUMS itself: what is recorded in the audit log group. */
  digest: string;
  /** Files listed in SHA256SUMS. */
  listed: number;
  problems: BundleProblem[];
}

const sha256Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

/** Every regular file under `dir`, as a relative POSIX path; anything else (a link, a device) is named too. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesUnder(dir, path)));
    else found.push(path);
  }
  return found;
}

/**
 * Checks a bundle as `sha256sum -c SHA256SUMS` does, and more: a line that is not `<64 hex>  <path>`,
 * a path that leaves the bundle, a file listed twice, a file present but not listed (evidence added
 * afterwards vouches for nothing) are tampering; a listed file that is absent is missing. Files
 * are hashed streaming, so a multi-gigabyte export costs no memory.
 */
export async function checkBundle(dir: string): Promise<BundleCheck> {
  let sums: Buffer;
  try {
    sums = await readFile(join(dir, SUMS_FILE));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it has no SHA256SUMS' : (err as Error).message;
    throw new AuditError('AUDIT_NOT_A_BUNDLE', `${dir} is not an evidence bundle: ${why}`);
  }
  const problems: BundleProblem[] = [];
  const tampered = (message: string) => problems.push({ code: 'AUDIT_BUNDLE_TAMPERED', message });
  const listed = new Set<string>();
  const lines = sums.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match === null) {
      tampered(`SHA256SUMS line ${i + 1} is not '<sha256>  <path>'`);
      continue;
    }
    const [, hash, path] = match as unknown as [string, string, string];
    if (path !== posix.normalize(path) || path.startsWith('/') || path.startsWith('../') || path === SUMS_FILE) {
      tampered(`SHA256SUMS line ${i + 1} names '${path}', outside the bundle's files`);
      continue;
    }
    if (listed.has(path)) {
      tampered(`${path} is listed twice in SHA256SUMS`);
      continue;
    }
    listed.add(path);
    let actual: string;
    try {
      actual = await sha256Of(join(dir, path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        problems.push({ code: 'AUDIT_BUNDLE_FILE_MISSING', message: `${path} is listed in SHA256SUMS but missing` });
      else tampered(`${path} cannot be read as a file (${(err as Error).message})`);
      continue;
    }
    if (actual !== hash) tampered(`${path}: sha256 ${actual} differs from SHA256SUMS (${hash})`);
  }
  for (const path of (await filesUnder(dir)).sort()) {
    if (path !== SUMS_FILE && !listed.has(path)) tampered(`${path} is in the bundle but not in SHA256SUMS`);
  }
  return { digest: createHash('sha256').update(sums).digest('hex'), listed: listed.size, problems };
}

/**
 * The `audit/1` event that records a bundle (docs/ARCHITECTURE.md, the event contract): the digest
 * of its SHA256SUMS, and from its MANIFEST what it covers, so a look at the audit log group says
 * which bundles exist. `time` is when it is recorded.
 */
export async function bundleRecord(dir: string, digest: string, files: number, now: number): Promise<string> {
  let manifest: { createdAt?: unknown; range?: { from?: unknown; to?: unknown }; source?: unknown } = {};
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as typeof manifest;
  } catch {
    // A bundle without a readable MANIFEST is still recorded by its digest.
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return JSON.stringify({
    schema: schemaIds.audit1,
    time: iso(now),
    type: 'evidence_bundle',
    sha256SumsSha256: digest,
    bundle: basename(dir),
    files,
    createdAt: text(manifest.createdAt),
    from: text(manifest.range?.from),
    to: text(manifest.range?.to),
    source: text(manifest.source),
  });
}
