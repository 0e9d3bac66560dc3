import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { AuditError, auditErrors } from '../errors.js';
import { checkBundle, type BundleProblem } from '../evidence/bundle-check.js';
import { iso } from '../time-range.js';
import { recordCommandLine, recordedDigest } from './record.js';

type VerifyProblem = BundleProblem | { code: 'AUDIT_DIGEST_NOT_RECORDED'; message: string };

/** Which exit code wins when a bundle has several kinds of problem: the worst first. */
const precedence: VerifyProblem['code'][] = ['AUDIT_BUNDLE_TAMPERED', 'AUDIT_BUNDLE_FILE_MISSING', 'AUDIT_DIGEST_NOT_RECORDED'];

/**
 * `verify DIR`: every file against SHA256SUMS (bundle-check.ts), and the SHA-256 of SHA256SUMS
 * against the `audit/1` record in the audit log group of `--source`. Both are always checked, so an
 * auditor learns whether SHA256SUMS itself is the recorded one even when a file was changed. Each
 * problem is one line `netsidecar-audit: CODE: message` on stderr; the exit code is the worst
 * problem's: 4 tampered, 5 missing file, 6 digest not recorded.
 */
export async function verifyCommand(ctx: Context): Promise<number> {
  const target = ctx.args.target;
  if (target === undefined) throw new AuditError('AUDIT_USAGE', 'verify needs the bundle directory: netsidecar-audit verify DIR');
  const log = ctx.auditLog;
  if (log === undefined)
    throw new AuditError('AUDIT_USAGE', 'bundle digests are recorded in CloudWatch Logs, not the archive: verify with --source cloudwatch');
  const dir = resolve(target);
  const check = await checkBundle(dir);
  const problems: VerifyProblem[] = [...check.problems];

  let recordedAt: number | undefined;
  let reason = '';
  try {
    recordedAt = (await log.find(check.digest)).find((e) => recordedDigest(e.message) === check.digest)?.timestamp;
  } catch (err) {
    if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err;
    reason = ` (${err.message})`;
  }
  if (recordedAt === undefined) {
    const hint = check.problems.length === 0 ? `; if this bundle is the one you made, record it: ${recordCommandLine(ctx, dir)}` : '';
    problems.push({ code: 'AUDIT_DIGEST_NOT_RECORDED', message: `SHA256SUMS sha256 ${check.digest} is not recorded in ${log.where}${reason}${hint}` });
  }

  for (const p of problems) ctx.io.stderr.write(`netsidecar-audit: ${p.code}: ${p.message}\n`);
  if (problems.length > 0) {
    if (recordedAt !== undefined)
      ctx.io.stderr.write(`note: SHA256SUMS itself is the one recorded at ${iso(recordedAt)}: the files above changed after it was made\n`);
    const worst = precedence.find((code) => problems.some((p) => p.code === code))!;
    return auditErrors[worst].exit;
  }
  ctx.io.stdout.write(
    `verified: ${dir}: ${check.listed} files match SHA256SUMS, whose sha256 ${check.digest} is recorded in ${log.where} at ${iso(recordedAt!)}\n`,
  );
  return 0;
}
