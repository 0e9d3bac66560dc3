import { AuditError } from '../errors.js';
import { csvLine } from '../output/csv.js';
import { iso, parseDuration } from '../time-range.js';
import type { ConfigSection } from './config-section.js';
import type { SectionInput, SummaryPart } from './sections.js';
import { esc } from './svg.js';

/** `--backup-interval` when not given: a daily backup, with an hour of slack for the router's schedule. */
export const DEFAULT_BACKUP_INTERVAL = '25h';

/** One `--backup-interval`: `25h` for every device, or `GLOB=7d` for the devices whose name matches (`*`, `?`). */
export interface IntervalRule {
  glob: string;
  matches: (device: string) => boolean;
  ms: number;
}

const globRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/**
 * The rules of the command line, in order (the first whose glob matches a device wins), then the
 * default: the one bare duration given, else 25h.
 */
export function parseBackupIntervals(values: readonly string[] | undefined): IntervalRule[] {
  const rules: IntervalRule[] = [];
  let fallback: IntervalRule | undefined;
  for (const raw of values ?? []) {
    const at = raw.lastIndexOf('=');
    if (at < 0) {
      if (fallback !== undefined)
        throw new AuditError('AUDIT_USAGE', `--backup-interval '${raw}': a second default; give one bare duration, the others as GLOB=DURATION`);
      fallback = { glob: '*', matches: () => true, ms: parseDuration('--backup-interval', raw) };
      continue;
    }
    const glob = raw.slice(0, at);
    if (glob === '') throw new AuditError('AUDIT_USAGE', `--backup-interval '${raw}': the device glob before '=' is empty`);
    const re = globRegExp(glob);
    rules.push({ glob, matches: (device) => re.test(device), ms: parseDuration(`--backup-interval ${glob}`, raw.slice(at + 1)) });
  }
  rules.push(fallback ?? { glob: '*', matches: () => true, ms: parseDuration('--backup-interval', DEFAULT_BACKUP_INTERVAL) });
  return rules;
}

export interface BackupAge {
  device: string;
  lastUpload?: number;
  /** Milliseconds from the last upload to the end of the range; undefined without an upload. */
  ageMs?: number;
  intervalMs: number;
  rule: string;
  stale: boolean;
}

export interface StaleBackupsSection {
  /** The end the ages are measured to: `--to`, or now when `--to` is later. */
  end: number;
  devices: BackupAge[];
  part: SummaryPart;
}

const hours = (ms: number): string => (ms >= 172_800_000 ? `${(ms / 86_400_000).toFixed(1)} d` : `${(ms / 3_600_000).toFixed(1)} h`);

/**
 * Stale backups (PCI DSS 1.2.8: configuration files are kept current): a device whose last config
 * upload (in the range, else the look-back's) is older than its expected interval at the end of the
 * range is a finding with its last upload time; a device without any upload found is one too.
 * Derived from the config section's devices: no read of its own.
 */
export async function staleBackupsSection({ ctx, bundle, range, warnings }: SectionInput, config: ConfigSection): Promise<StaleBackupsSection> {
  const rules = parseBackupIntervals(ctx.args.values['backup-interval']);
  const end = Math.min(range.to, ctx.now);
  const devices = config.devices.map((d): BackupAge => {
    const rule = rules.find((r) => r.matches(d.device))!;
    const ageMs = d.lastUpload === undefined ? undefined : end - d.lastUpload;
    return {
      device: d.device,
      ...(d.lastUpload === undefined ? {} : { lastUpload: d.lastUpload, ageMs }),
      intervalMs: rule.ms,
      rule: rule.glob,
      stale: ageMs === undefined || ageMs > rule.ms,
    };
  });
  const rows = [csvLine(['device', 'lastUpload', 'ageAtEndS', 'expectedIntervalS', 'intervalRule', 'stale'])];
  for (const d of devices) {
    rows.push(
      csvLine([
        d.device,
        d.lastUpload === undefined ? '' : iso(d.lastUpload),
        d.ageMs === undefined ? '' : Math.floor(d.ageMs / 1000),
        d.intervalMs / 1000,
        d.rule,
        d.stale,
      ]),
    );
    if (!d.stale) continue;
    warnings.push(
      d.lastUpload === undefined
        ? `config: ${d.device} backup is stale: no config upload in the range or the look-back (expected every ${hours(d.intervalMs)})`
        : `config: ${d.device} backup is stale: last upload ${iso(d.lastUpload)}, ${hours(d.ageMs!)} before ${iso(end)} (expected every ${hours(d.intervalMs)})`,
    );
  }
  const derivedFrom = bundle.files.filter((f) => f.path === 'config/versions.csv' || f.path === 'config/before-range.jsonl').map((f) => f.path);
  if (config.present) await bundle.put('config/backup-age-at-end.csv', rows.join(''), { derivedFrom }, devices.length);
  return { end, devices, part: summaryPart(config.present, end, devices) };
}

function summaryPart(present: boolean, end: number, devices: BackupAge[]): SummaryPart {
  const title = 'Stale backups (last config upload at the end of the range)';
  const section = 'backups';
  if (!present) return { title, section, markdown: ['No config log group.'], html: '<p>No config log group.</p>' };
  const intro = `Ages at ${iso(end)}; a device is stale when its last upload is older than its expected interval (--backup-interval). All devices: config/backup-age-at-end.csv.`;
  const cells = (d: BackupAge) => [
    d.device,
    d.lastUpload === undefined ? 'no upload found' : iso(d.lastUpload),
    d.ageMs === undefined ? '-' : hours(d.ageMs),
    hours(d.intervalMs),
    d.stale ? 'stale' : 'ok',
  ];
  const markdown = [
    intro,
    '',
    '| device | last upload | age at end | expected every | |',
    '|---|---|---:|---:|---|',
    ...devices.map((d) => `| ${cells(d).join(' | ')} |`),
  ];
  const row = (d: BackupAge) =>
    `<tr${d.stale ? ' style="color:#a00;font-weight:bold"' : ''}>${cells(d)
      .map((c) => `<td>${esc(c)}</td>`)
      .join('')}</tr>`;
  const html = `<p class="meta">${esc(intro)}</p><table><tr><th>device</th><th>last upload</th><th>age at end</th><th>expected every</th><th></th></tr>${devices.map(row).join('')}</table>`;
  return { title, section, markdown, html };
}
