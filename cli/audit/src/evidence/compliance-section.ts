import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { toLogStreamName } from '@netsidecar/sink';
import { AuditError } from '../errors.js';
import { parseEvent } from '../event.js';
import { textLines } from '../lines.js';
import { csvLine } from '../output/csv.js';
import { iso } from '../time-range.js';
import { safeName } from './bundle.js';
import type { ConfigDevice, ConfigSection } from './config-section.js';
import type { SectionInput, SummaryPart } from './sections.js';
import { esc } from './svg.js';

/** A `config/1` event's `compliance` (services/config-upload/README.md): `null` or absent when no rules file is configured. */
interface Compliance {
  rulesSha256: string;
  passed: string[];
  failed: { id: string; reason: string }[];
}

export interface ComplianceDevice {
  device: string;
  lastUpload?: number;
  lastVersion?: number;
  beforeRange: boolean;
  /** The last upload's result; undefined when it carries none (not checked: no data, not zero). */
  compliance?: Compliance;
}

export interface ComplianceSection {
  /** Some `config/1` event read (range or look-back) carries a compliance result. */
  configured: boolean;
  devices: ComplianceDevice[];
  part: SummaryPart;
}

function complianceOf(e: Record<string, unknown>): Compliance | undefined {
  const c = e['compliance'];
  if (typeof c !== 'object' || c === null) return undefined;
  const o = c as Record<string, unknown>;
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const failed = Array.isArray(o['failed'])
    ? o['failed'].flatMap((f: unknown) => {
        const r = typeof f === 'object' && f !== null ? (f as Record<string, unknown>) : {};
        return typeof r['id'] === 'string' ? [{ id: r['id'], reason: typeof r['reason'] === 'string' ? r['reason'] : '' }] : [];
      })
    : [];
  return { rulesSha256: typeof o['rulesSha256'] === 'string' ? o['rulesSha256'] : '', passed: ids(o['passed']), failed };
}

/** The `config/1` events of one bundle file, in order, as parsed objects. */
async function* uploadsIn(path: string): AsyncGenerator<Record<string, unknown>> {
  let input;
  try {
    input = createReadStream(path, { highWaterMark: 64 * 1024 });
    for await (const line of textLines(input)) {
      if (!line.includes('"config/1"')) continue;
      const e = parseEvent(line);
      if (e?.['schema'] === 'config/1') yield e;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // a device the config section wrote no file for
    throw new AuditError('AUDIT_IO', `cannot read ${path}: ${(err as Error).message}`);
  } finally {
    input?.destroy();
  }
}

/**
 * Config compliance at the end of the range: per device, the compliance result of its last upload
 * (in the range, else the look-back's), read back from the config files of this bundle (the
 * section derives from them, no second read of the source). A device failing a rule is a finding.
 * When no event carries a result, the page says "no compliance rules configured": no data is not zero.
 */
export async function complianceSection({ bundle, warnings }: SectionInput, config: ConfigSection): Promise<ComplianceSection> {
  let configured = false;
  const lastOf = new Map<string, Record<string, unknown>>();
  const sources: string[] = [];
  const read = async (path: string, streamOf: (e: Record<string, unknown>) => string | undefined) => {
    if (!bundle.files.some((f) => f.path === path)) return;
    sources.push(path);
    for await (const e of uploadsIn(join(bundle.dir, path))) {
      if (complianceOf(e) !== undefined) configured = true;
      const stream = streamOf(e);
      if (stream !== undefined) lastOf.set(stream, e);
    }
  };
  for (const d of config.devices.filter((d) => !d.beforeRange)) await read(`config/${safeName(d.device)}/events.jsonl`, () => d.device);
  // The look-back's uploads, one per device without one in the range, name their device.
  await read('config/before-range.jsonl', (e) => (typeof e['device'] === 'string' ? toLogStreamName(e['device']) : undefined));

  const devices = config.devices.map((d: ConfigDevice): ComplianceDevice => {
    const e = d.lastUpload === undefined ? undefined : lastOf.get(d.device);
    const c = e === undefined ? undefined : complianceOf(e);
    return {
      device: d.device,
      beforeRange: d.beforeRange === true,
      ...(d.lastUpload === undefined ? {} : { lastUpload: d.lastUpload }),
      ...(d.lastVersion === undefined ? {} : { lastVersion: d.lastVersion }),
      ...(c ? { compliance: c } : {}),
    };
  });

  const status = (d: ComplianceDevice) =>
    d.lastUpload === undefined
      ? 'no upload in range or look-back'
      : d.compliance === undefined
        ? 'not checked'
        : d.compliance.failed.length > 0
          ? 'failed'
          : 'passed';
  const rows = [csvLine(['device', 'lastVersion', 'lastUpload', 'uploadIn', 'status', 'rulesSha256', 'passed', 'failed', 'failedRules', 'failedReasons'])];
  for (const d of devices) {
    const c = d.compliance;
    rows.push(
      csvLine([
        d.device,
        d.lastVersion,
        d.lastUpload === undefined ? '' : iso(d.lastUpload),
        d.lastUpload === undefined ? '' : d.beforeRange ? 'before range' : 'range',
        status(d),
        c?.rulesSha256,
        c?.passed.length,
        c?.failed.length,
        c?.failed.map((f) => f.id).join(' '),
        c?.failed.map((f) => `${f.id}: ${f.reason}`).join(' | '),
      ]),
    );
    if (c !== undefined && c.failed.length > 0) {
      warnings.push(
        `config: ${d.device} fails ${c.failed.length} compliance rule(s) at the end of the range: ${c.failed.map((f) => f.id).join(', ')} (upload of ${iso(d.lastUpload!)}${d.beforeRange ? ', before the range' : ''})`,
      );
    }
  }
  if (config.present) await bundle.put('config/compliance-at-end.csv', rows.join(''), { derivedFrom: sources }, devices.length);
  return { configured, devices, part: summaryPart(configured, config.present, devices, status) };
}

function summaryPart(configured: boolean, present: boolean, devices: ComplianceDevice[], status: (d: ComplianceDevice) => string): SummaryPart {
  const title = 'Config compliance at the end of the range';
  const section = 'compliance';
  if (!present) return { title, section, markdown: ['No config log group.'], html: '<p>No config log group.</p>' };
  if (!configured) {
    const text = 'No compliance rules configured: no config/1 event read carries a compliance result (no data, not zero failures).';
    return { title, section, markdown: [text], html: `<p>${esc(text)}</p>` };
  }
  const cells = (d: ComplianceDevice) => [
    d.device,
    d.lastUpload === undefined ? '-' : `${iso(d.lastUpload)}${d.beforeRange ? ' (before the range)' : ''}`,
    status(d),
    d.compliance === undefined ? '-' : String(d.compliance.passed.length),
    d.compliance === undefined ? '-' : String(d.compliance.failed.length),
    d.compliance?.failed.map((f) => f.id).join(', ') || '-',
  ];
  const markdown = [
    "Each device's last upload: config/compliance-at-end.csv (with the reasons).",
    '',
    '| device | last upload | compliance | rules passed | rules failed | failed rules |',
    '|---|---|---|---:|---:|---|',
  ];
  for (const d of devices) markdown.push(`| ${cells(d).join(' | ')} |`);
  const row = (d: ComplianceDevice) =>
    `<tr${status(d) === 'failed' ? ' style="color:#a00;font-weight:bold"' : ''}>${cells(d)
      .map((c) => `<td>${esc(c)}</td>`)
      .join('')}</tr>`;
  const html = `<table><tr><th>device</th><th>last upload</th><th>compliance</th><th>rules passed</th><th>rules failed</th><th>failed rules</th></tr>${devices.map(row).join('')}</table>`;
  return { title, section, markdown, html };
}
