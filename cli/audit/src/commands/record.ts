import { resolve } from 'node:path';
import { DEFAULT_LOG_GROUP_PREFIX, schemaIds } from '@netsidecar/contracts';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import { bundleRecord, checkBundle } from '../evidence/bundle-check.js';
import { iso } from '../time-range.js';

export interface Recorded {
  digest: string;
  where: string;
  /** When the record was written (now, or the time of a record that was already there). */
  at: number;
  already: boolean;
}

/** A bundle this run has just written: its digest and file count are known, no check needed. */
export interface Sealed {
  digest: string;
  listed: number;
}

/**
 * Records the SHA-256 of a bundle's SHA256SUMS in the audit log group (source/audit-log.ts), after
 * checking every file against it: a bundle that does not verify is never vouched for. A digest
 * already recorded is not recorded twice.
 */
export async function recordBundle(ctx: Context, dir: string, sealed?: Sealed): Promise<Recorded> {
  const log = ctx.auditLog;
  if (log === undefined) {
    throw new AuditError('AUDIT_USAGE', `the archive is written by Firehose only: record in CloudWatch Logs with ${recordCommandLine(ctx, dir)}`);
  }
  const check = sealed ?? (await checkedBundle(dir));
  // A bundle just written cannot have been recorded yet: no read for it.
  const existing = sealed
    ? []
    : await log.find(check.digest).catch((err: unknown) => {
        if (err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP') return [];
        throw err;
      });
  const same = existing.find((e) => recordedDigest(e.message) === check.digest);
  if (same !== undefined) return { digest: check.digest, where: log.where, at: same.timestamp, already: true };
  await log.append(ctx.now, await bundleRecord(dir, check.digest, check.listed, ctx.now));
  return { digest: check.digest, where: log.where, at: ctx.now, already: false };
}

/** A bundle's digest, refused when any file does not match its SHA256SUMS. */
async function checkedBundle(dir: string): Promise<Sealed> {
  const check = await checkBundle(dir);
  const first = check.problems[0];
  if (first !== undefined) {
    throw new AuditError(
      first.code,
      `${first.message}; not recorded${check.problems.length > 1 ? ` (${check.problems.length} problems: verify lists them)` : ''}`,
    );
  }
  return check;
}

/** The digest an `audit/1` record holds, or undefined for anything else (a record is matched exactly, not by substring). */
export function recordedDigest(message: string): string | undefined {
  try {
    const e = JSON.parse(message) as { schema?: unknown; sha256SumsSha256?: unknown };
    return e.schema === schemaIds.audit1 && typeof e.sha256SumsSha256 === 'string' ? e.sha256SumsSha256 : undefined;
  } catch {
    return undefined;
  }
}

const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The exact command that records `dir` in the audit log of this context (the prefix too, when not the default). */
export function recordCommandLine(ctx: Context, dir: string): string {
  const env = ctx.logGroupPrefix === DEFAULT_LOG_GROUP_PREFIX ? '' : `NETSIDECAR_LOG_GROUP_PREFIX=${shellWord(ctx.logGroupPrefix)} `;
  return env + ['netsidecar-audit', 'record', resolve(dir), ...ctx.auditLogOptions].map(shellWord).join(' ');
}

/** `record DIR`: records a bundle made without `--record` (e.g. by someone allowed to write the audit log group). */
export async function recordCommand(ctx: Context): Promise<number> {
  const dir = ctx.args.target;
  if (dir === undefined) throw new AuditError('AUDIT_USAGE', 'record needs the bundle directory: netsidecar-audit record DIR');
  const r = await recordBundle(ctx, resolve(dir));
  ctx.io.stdout.write(
    r.already
      ? `already recorded: SHA256SUMS sha256 ${r.digest} in ${r.where} at ${iso(r.at)}\n`
      : `recorded: SHA256SUMS sha256 ${r.digest} in ${r.where} at ${iso(r.at)}\n`,
  );
  return 0;
}
