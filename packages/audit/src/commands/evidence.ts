import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import { Bundle } from '../evidence/bundle.js';
import { archiveSection } from '../evidence/archive-section.js';
import { configSection } from '../evidence/config-section.js';
import { DEFAULT_LOOKBACK } from '../evidence/look-back.js';
import { ntpSection } from '../evidence/ntp-section.js';
import { scanSection } from '../evidence/scan-section.js';
import type { SectionInput } from '../evidence/sections.js';
import { summaryHtml, summaryMarkdown } from '../evidence/summary.js';
import { syslogSection } from '../evidence/syslog-section.js';
import { services } from '../services.js';
import { isArchiveSource } from '../source/archive-source.js';
import { iso, parseDuration } from '../time-range.js';
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
  if (await stat(out).then(() => true, () => false)) {
    throw new AuditError('AUDIT_OUT_EXISTS', `${out} already exists: give a new directory (evidence is never merged into or overwritten)`);
  }
  const lookBackMs = parseDuration('--lookback', ctx.args.values.lookback ?? DEFAULT_LOOKBACK);
  const range = await resolveRange(ctx, services);
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
    if (!syslog.present && !ntp.present && !config.present && !scan.present) {
      throw new AuditError('AUDIT_NO_LOG_GROUP', `none of the log groups exists (${services.map((s) => ctx.source.logGroup(s)).join(', ')})`);
    }
    const archive = isArchiveSource(ctx.source) ? await archiveSection(input, ctx.source, ctx.args.values['archive-bucket']!) : undefined;
    if (ctx.joinStats.incomplete > 0) warnings.push(`${ctx.joinStats.incomplete} split event(s) had parts missing: exported as their raw parts`);
    ctx.progress.done();

    const summary = { range, source: ctx.sourceLabel, createdAt: ctx.now, syslog, ntp, config, scan, warnings };
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
    await rename(tmp, out);
    ctx.io.stderr.write(`evidence written to ${out}: ${bundle.files.length + 2} files, ${warnings.length} finding(s) to look at (summary.md)\n`);
    return 0;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Checks a bundle against its SHA256SUMS; used by tests and by `verify` users via sha256sum -c. */
export async function verifyBundle(dir: string): Promise<string[]> {
  const bad: string[] = [];
  const sums = await readFile(`${dir}/SHA256SUMS`, 'utf8');
  for (const line of sums.trim().split('\n')) {
    const [hash, path] = [line.slice(0, 64), line.slice(66)];
    const data = await readFile(`${dir}/${path}`);
    if (createHash('sha256').update(data).digest('hex') !== hash) bad.push(path);
  }
  return bad;
}
