import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import { Bundle } from '../evidence/bundle.js';
import { checkBundle } from '../evidence/bundle-check.js';
import { archiveSection } from '../evidence/archive-section.js';
import { complianceSection } from '../evidence/compliance-section.js';
import { configSection } from '../evidence/config-section.js';
import { DEFAULT_LOOKBACK } from '../evidence/look-back.js';
import { ntpSection } from '../evidence/ntp-section.js';
import { scanSection } from '../evidence/scan-section.js';
import type { SectionInput } from '../evidence/sections.js';
import { parseBackupIntervals, staleBackupsSection } from '../evidence/stale-backups-section.js';
import { summaryHtml, summaryMarkdown } from '../evidence/summary.js';
import { syslogSection } from '../evidence/syslog-section.js';
import { serviceNames } from '@netsidecar/contracts';
import { isArchiveSource } from '../source/archive-source.js';
import { iso, parseDuration } from '../time-range.js';
import { recordBundle, recordCommandLine, type Sealed } from './record.js';
import { resolveRange } from './resolve.js';

export const TOOL_VERSION = '0.1.0';

/**
 * `evidence --from --to --out DIR`: the bundle an auditor takes away. Written into a temporary
 * directory beside DIR and renamed to DIR only when every file is written and hashed: a failed
 * run leaves no directory that could pass for a complete bundle.
 */
export async function evidenceCommand(ctx: Context): Promise<number> {
  const outArg = ctx.args.values.out;
  if (outArg === undefined) throw new AuditError('AUDIT_USAGE', 'evidence needs --out DIR (a directory that does not exist yet)');
  const out = resolve(outArg);
  if (
    await stat(out).then(
      () => true,
      () => false,
    )
  ) {
    throw new AuditError('AUDIT_OUT_EXISTS', `${out} already exists: give a new directory (evidence is never merged into or overwritten)`);
  }
  const lookBackMs = parseDuration('--lookback', ctx.args.values.lookback ?? DEFAULT_LOOKBACK);
  parseBackupIntervals(ctx.args.values['backup-interval']); // a bad value fails before anything is read
  const range = await resolveRange(ctx, serviceNames);
  let sealed: Sealed | undefined;
  const tmp = await mkdtemp(`${dirname(out)}/.${basename(out)}.partial-`).catch((err: Error) => {
    throw new AuditError('AUDIT_IO', `cannot create a directory beside ${out}: ${err.message}`);
  });
  try {
    const bundle = new Bundle(tmp);
    const warnings: string[] = [];
    const input: SectionInput = { ctx, bundle, range, warnings, lookBackMs };
    const syslog = await syslogSection(input);
    const ntp = await ntpSection(input);
    const config = await configSection(input);
    const scan = await scanSection(input);
    // Sections derived from the config section: each adds a part to the summaries.
    const parts = [(await complianceSection(input, config)).part, (await staleBackupsSection(input, config)).part];
    if (!syslog.present && !ntp.present && !config.present && !scan.present) {
      throw new AuditError('AUDIT_NO_LOG_GROUP', `none of the log groups exists (${serviceNames.map((s) => ctx.source.logGroup(s)).join(', ')})`);
    }
    const archive = isArchiveSource(ctx.source) ? await archiveSection(input, ctx.source, ctx.args.values['archive-bucket']!) : undefined;
    if (ctx.joinStats.incomplete > 0) warnings.push(`${ctx.joinStats.incomplete} split event(s) had parts missing: exported as their raw parts`);
    ctx.progress.done();

    const summary = { range, source: ctx.sourceLabel, createdAt: ctx.now, syslog, ntp, config, scan, warnings, parts };
    const everything = { derivedFrom: bundle.files.map((f) => f.path) };
    await bundle.put('summary.md', summaryMarkdown(summary), everything);
    await bundle.put('summary.html', summaryHtml(summary), everything);

    const manifest = {
      tool: 'netsidecar-audit',
      version: TOOL_VERSION,
      command: ['netsidecar-audit', ...ctx.io.argv],
      createdAt: iso(ctx.now),
      source: ctx.sourceLabel,
      range: { from: iso(range.from), to: iso(range.to), note: 'from included, to excluded; times are the CloudWatch event timestamps (UTC)' },
      apiCalls: ctx.source.calls(),
      ...(archive ? { archive } : {}),
      warnings,
      files: bundle.files,
    };
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    await writeFile(`${tmp}/MANIFEST.json`, manifestText, { flag: 'wx' });
    const sums = [...bundle.files.map((f) => [f.sha256, f.path] as const), [createHash('sha256').update(manifestText).digest('hex'), 'MANIFEST.json'] as const]
      .map(([hash, path]) => `${hash}  ${path}\n`)
      .join('');
    await writeFile(`${tmp}/SHA256SUMS`, sums, { flag: 'wx' });
    sealed = { digest: createHash('sha256').update(sums).digest('hex'), listed: bundle.files.length + 1 };
    await rename(tmp, out);
    ctx.io.stderr.write(`evidence written to ${out}: ${bundle.files.length + 2} files, ${warnings.length} finding(s) to look at (summary.md)\n`);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return await vouch(ctx, out, sealed);
}

/**
 * The bundle is complete: its SHA256SUMS digest is recorded in the audit log group (`--record`),
 * or printed with the exact command that records it. A failed record leaves the bundle as it is
 * (it is complete) and says how to record it later.
 */
async function vouch(ctx: Context, out: string, sealed: Sealed): Promise<number> {
  const command = recordCommandLine(ctx, out);
  if (ctx.args.values.record !== true || ctx.auditLog === undefined) {
    const { digest } = sealed;
    const why = ctx.args.values.record === true ? ' (the archive is not written to: record in CloudWatch Logs)' : '';
    ctx.io.stderr.write(`SHA256SUMS sha256 ${digest}, not recorded${why}; record it with: ${command}\n`);
    return 0;
  }
  try {
    const r = await recordBundle(ctx, out, sealed);
    ctx.io.stderr.write(`SHA256SUMS sha256 ${r.digest} recorded in ${r.where}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof AuditError)) throw err;
    throw new AuditError(
      'AUDIT_NOT_RECORDED',
      `${out} is complete, but its SHA256SUMS digest was not recorded: ${err.code}: ${err.message}; record it with: ${command}`,
    );
  }
}

/** The problems of a bundle against its SHA256SUMS (bundle-check.ts; `verify` adds the recorded digest). */
export async function verifyBundle(dir: string): Promise<string[]> {
  return (await checkBundle(dir)).problems.map((p) => p.message);
}
