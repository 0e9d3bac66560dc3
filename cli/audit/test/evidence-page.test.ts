// The evidence page (summary.md, summary.html) as an assessor reads it: which time source the NTP
// service followed, "no data" never shown as zero, the PCI DSS requirement of each section, who
// made each config change, each log group's retention. Through the real CLI, on the file sink and
// on the wire-level CloudWatch Logs test server.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { PCI_REQUIREMENTS, requirementsLine, type PageSection } from '../src/evidence/pci-dss.js';
import {
  configEvent,
  dataset,
  ntpClient,
  ntpLocalSample,
  ntpLocalStatus,
  ntpSample,
  putToCloudWatch,
  scanEvent,
  syslogEvent,
  writeFileSink,
  type Seed,
} from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { tree } from './support/tree.js';

const H = 3_600_000;
const start = Date.parse('2026-03-01T00:00:00.000Z');
const range = ['--from', '2026-03-01', '--to', '2026-03-06'];
const dir = await mkdtemp(join(tmpdir(), 'audit-page-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const fake = await startFakeCloudWatchLogs({ now: () => Date.parse('2026-03-10T00:00:00.000Z') });
t.teardown(() => fake.close());
const client = () => cloudWatchLogsClientFor(fake);

/** Runs `evidence` on seeds, from the file sink and from CloudWatch (under its own prefix); both bundles' files. */
async function bundles(name: string, seeds: Seed[], setup?: (prefix: string) => Promise<void>): Promise<{ source: string; files: Map<string, string> }[]> {
  const data = join(dir, `${name}-data`);
  await mkdir(data, { recursive: true });
  await writeFileSink(data, seeds);
  const prefix = `/${name}`;
  const c = client();
  await putToCloudWatch(
    c,
    seeds.map((s) => ({ ...s, group: s.group.replace('/netsidecar', prefix) })),
  );
  await setup?.(prefix);
  c.destroy();
  const file = await runAudit(['evidence', ...range, '--out', join(dir, `${name}-file`), '--data-dir', data]);
  const cloud = await runAudit(['evidence', ...range, '--out', join(dir, `${name}-cw`), '--source', 'cloudwatch'], {
    client,
    env: { NETSIDECAR_LOG_GROUP_PREFIX: prefix },
  });
  t.equal(file.code, 0, file.stderr);
  t.equal(cloud.code, 0, cloud.stderr);
  return [
    { source: 'file', files: await tree(join(dir, `${name}-file`)) },
    { source: 'cloudwatch', files: await tree(join(dir, `${name}-cw`)) },
  ];
}

const findings = (files: Map<string, string>): string[] => JSON.parse(files.get('MANIFEST.json')!).warnings;

t.test('an NTP service following its own clock is a red finding, never "100 % synchronised"', async (t) => {
  // What ntp-proxy writes with NETSIDECAR_NTP_UPSTREAM=local (its default off AWS): "synchronised" all along.
  const seeds: Seed[] = [ntpLocalStatus(start)];
  for (let i = 0; i < 5 * 24 * 6; i++) seeds.push(ntpLocalSample(start + i * 600_000));
  for (let i = 0; i < 5 * 24; i++) seeds.push(ntpClient('10.0.0.1', start + i * H + 7, 0.3));
  seeds.push(syslogEvent('rtr-tyo-1', start + H, 'up'));
  for (const { source, files } of await bundles(
    'local',
    seeds.sort((a, b) => a.timestamp - b.timestamp),
  )) {
    const md = files.get('summary.md')!;
    const html = files.get('summary.html')!;
    const named = "upstream 'local', this machine's own clock (stratum 9, refid LOCL; served as stratum 10)";
    t.match(
      md,
      `**NOT A TRUSTED SOURCE: the NTP service followed ${named} from 2026-03-01T00:00:00.000Z to 2026-03-05T23:50:00.000Z: its own clock, not UTC from a trusted source; routers got this machine's time.**`,
      `${source}: named, in bold`,
    );
    t.match(html, `<p class="nodata">NOT A TRUSTED SOURCE: the NTP service followed ${named}`, `${source}: in red in the HTML`);
    t.match(md, 'Synchronised to a trusted time source, with records, for 0.000 % of the range');
    t.notMatch(md, /100\.000 %/, 'never 100 %');
    t.notMatch(html, /100\.000 %/);
    t.match(md, "| local (this machine's clock) | 2026-03-01T00:00:00.000Z – 2026-03-05T23:50:00.000Z | 9 | LOCL | 10 | 720 (720) |");
    t.same(
      findings(files).filter((w) => w.startsWith('ntp: NOT SYNCHRONISED')),
      [
        `ntp: NOT SYNCHRONISED TO A TRUSTED SOURCE from 2026-03-01T00:00:00.000Z to 2026-03-06T00:00:00.000Z: the NTP service followed its own clock (${named} (still at the end of the range)), not UTC from a trusted time source (PCI DSS 10.6.2); routers got this machine's time`,
      ],
      `${source}: a finding, in the MANIFEST too`,
    );
    t.match(files.get('ntp/unsynchronised-periods.csv')!, '2026-03-01T00:00:00.000Z,2026-03-06T00:00:00.000Z,432000,local clock,');
    t.match(html, /<rect class="band" [^>]*fill="rgba\(214,39,40,0\.18\)"><title>local clock /, 'the whole range shaded red on the clock chart');
  }
});

t.test('the time source is named, and a switch from Amazon Time Sync to the local clock counts', async (t) => {
  // 2.5 days on 169.254.169.123, then the task restarted with NETSIDECAR_NTP_UPSTREAM=local.
  const seeds: Seed[] = [];
  for (let i = 0; i < 5 * 24 * 6; i++) {
    const at = start + i * 600_000;
    seeds.push(at < start + 60 * H ? ntpSample(at, true, 0.01) : ntpLocalSample(at));
  }
  for (const { source, files } of await bundles('switch', seeds)) {
    const md = files.get('summary.md')!;
    t.match(
      md,
      'The NTP service followed 169.254.169.123:123 (stratum 1, refid GPS; served as stratum 2) from 2026-03-01T00:00:00.000Z to 2026-03-03T11:50:00.000Z.',
      source,
    );
    t.match(
      md,
      "**NOT A TRUSTED SOURCE: the NTP service followed upstream 'local', this machine's own clock (stratum 9, refid LOCL; served as stratum 10) from 2026-03-03T12:00:00.000Z",
    );
    t.match(md, 'for 50.000 % of the range');
    t.match(md, '| 169.254.169.123:123 | 2026-03-01T00:00:00.000Z – 2026-03-03T11:50:00.000Z | 1 | GPS | 2 | 360 (360) |');
    t.ok(findings(files).some((w) => w.startsWith('ntp: NOT SYNCHRONISED TO A TRUSTED SOURCE from 2026-03-03T12:00:00.000Z to 2026-03-06T00:00:00.000Z')));
  }
});

t.test('no data is not zero: a missing log group, an empty one, a range without scans', async (t) => {
  const stackKey = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
  // syslog has events; ntp exists without a stream; config does not exist; scan has events only
  // before the range (a finding still open from February).
  const seeds: Seed[] = [syslogEvent('rtr-tyo-1', start + H, 'up'), scanEvent(start - 2 * 24 * H, 'finding_new', 'HIGH', 'f9')];
  const ntpFolder = join(dir, 'nodata-data', 'logs', 'netsidecar', 'ntp');
  await mkdir(ntpFolder, { recursive: true });
  const [file, cloud] = await bundles('nodata', seeds, async (prefix) => {
    const c = client();
    await c.send(new CreateLogGroupCommand({ logGroupName: `${prefix}/ntp`, kmsKeyId: stackKey }));
    await c.send(new PutRetentionPolicyCommand({ logGroupName: `${prefix}/syslog`, retentionInDays: 90 }));
    c.destroy();
  });
  for (const { source, files } of [file!, cloud!]) {
    const md = files.get('summary.md')!;
    const html = files.get('summary.html')!;
    const group = (service: string) => (source === 'file' ? `/netsidecar/${service}` : `/nodata/${service}`);
    t.match(md, `No evidence: log group ${group('ntp')} exists but has no stream (nothing was ever written to it).`, `${source}: an empty ntp log group`);
    t.match(
      md,
      source === 'file'
        ? /No evidence: no file sink folder \S+nodata-data\/logs\/netsidecar\/config \(log group \/netsidecar\/config\): is NETSIDECAR_DATA_DIR right\?\n/
        : 'No evidence: log group /nodata/config does not exist in this account and region.\n',
    );
    t.match(md, `| ${group('config')} | does not exist | - | - | - |`);
    t.match(md, `| ${group('ntp')} | exists, no stream | 0 | 0 |`);
    t.match(md, 'No scan event in the range: there is no evidence that a scan ran, so no count of findings is given');
    t.match(md, '1 finding(s) opened before the range were still open at its start');
    for (const page of [md, html]) {
      t.notMatch(page, '0 (0)', `${source}: never "0 (0)"`);
      t.notMatch(page, '| CRITICAL |');
    }
    t.notMatch(html, '<td>CRITICAL</td>', 'no scan table in the HTML');
    t.match(html, `<p class="nodata">No evidence: log group ${group('ntp')} exists but has no stream`);
    t.match(html, '<p class="nodata">No scan event in the range');
    t.match(html, /<p class="nodata">No evidence: (no file sink folder|log group \/nodata\/config does not exist)/);
    const w = findings(files);
    t.ok(w.includes(`ntp: log group ${group('ntp')} exists but has no stream: no ntp evidence for the range`), `${source}: findings say so`);
    t.ok(w.includes(`scan: no event in log group ${group('scan')} in the range: no scan evidence for the range`));
    t.ok(w.some((x) => x.startsWith('config: no config evidence at all: ') && x.includes(group('config'))));
  }
  // Retention: the file sink has none; CloudWatch says what each group keeps, and under 12 months is a finding.
  t.match(file!.files.get('summary.md')!, '| /netsidecar/syslog | events | 1 | 1 | local file sink: no retention policy (files are kept until deleted) |');
  const cw = cloud!.files.get('summary.md')!;
  t.match(cw, '| /nodata/syslog | events | 1 | 1 | 90 days |');
  t.match(cw, `| /nodata/ntp | exists, no stream | 0 | 0 | never expire | ${stackKey} |`, 'the KMS key that encrypts the group, named');
  t.match(cw, '| /nodata/syslog | events | 1 | 1 | 90 days | CloudWatch Logs service key (no customer managed KMS key) |');
  t.match(cloud!.files.get('summary.html')!, `<td>${stackKey}</td>`);
  t.match(file!.files.get('summary.md')!, '| local file sink: no retention policy (files are kept until deleted) | local file sink: as the disk is |');
  t.ok(
    findings(cloud!.files).includes(
      'syslog: log group /nodata/syslog keeps events 90 days: PCI DSS 10.5.1 asks for 12 months of audit log history (older events only in the archive, if it is deployed)',
    ),
  );
  t.notOk(findings(file!.files).some((w) => w.includes('10.5.1')));
});

t.test('each section says which PCI DSS v4.0 requirements it answers, in the HTML as in the Markdown', async (t) => {
  const { files } = (await bundles('pci', dataset()))[0]!;
  const md = files.get('summary.md')!;
  const html = files.get('summary.html')!;
  const headings: Record<PageSection, [string, string]> = {
    logGroups: ['## Log groups', '<h2>Log groups'],
    syslog: ['## Syslog', '<h2>Syslog volume'],
    ntp: ['## Time synchronisation', '<h2>Clock offset'],
    config: ['## Configuration', '<h2>Configuration'],
    compliance: ['## Config compliance at the end of the range', '<h2>Config compliance'],
    backups: ['## Stale backups (last config upload at the end of the range)', '<h2>Stale backups'],
    scan: ['## Vulnerability scans', '<h2>Vulnerability'],
  };
  for (const section of Object.keys(PCI_REQUIREMENTS) as PageSection[]) {
    const ids = PCI_REQUIREMENTS[section].map((r) => r.id).join(', ');
    const [mdHeading, htmlHeading] = headings[section];
    t.match(md, `${mdHeading} (PCI DSS ${ids})\n\n${requirementsLine(section)}\n`, `${section}: under its Markdown heading`);
    t.match(html, `${htmlHeading}`);
    t.match(
      html,
      new RegExp(
        `${htmlHeading}[^<]* <span class="pci">PCI DSS ${ids.replace(/\./g, '\\.')}</span></h2><p class="pci">${requirementsLine(section).replace(/[.()]/g, (c) => `\\${c}`)}</p>`,
      ),
      `${section}: under its HTML heading`,
    );
  }
});

t.test('who made each config change, with the user a router writes into its config kept intact', async (t) => {
  const who = (seed: Seed, value: string | null): Seed => ({ ...seed, message: JSON.stringify({ ...JSON.parse(seed.message), who: value }) });
  const seeds = [
    ...configEvent('rtr-tyo-1', start + 5 * H, 1, 'in_sync'),
    who(configEvent('rtr-tyo-1', start + 29 * H, 2, 'in_sync')[0]!, 'ops|jane <script>'),
    who(configEvent('rtr-osa-2', start + 30 * H, 4, 'in_sync')[0]!, null),
  ];
  for (const { source, files } of await bundles('who', seeds)) {
    const md = files.get('summary.md')!;
    t.match(md, '3 change(s) in the range; every version is also in config/versions.csv.', source);
    t.match(md, '| 2026-03-01T05:00:00.000Z | rtr-tyo-1 | 1 | admin | 2026-03-01T04:59:00.000Z | rtr-upload | 10.0.0.5 |');
    t.match(
      md,
      '| 2026-03-02T05:00:00.000Z | rtr-tyo-1 | 2 | ops\\|jane \\<script> | 2026-03-02T04:59:00.000Z | rtr-upload | 10.0.0.5 |',
      'a | or < in a name neither breaks the table nor opens a tag',
    );
    t.match(md, '| 2026-03-02T06:00:00.000Z | rtr-osa-2 | 4 | not in the config |');
    const html = files.get('summary.html')!;
    t.match(html, '<td>ops|jane &lt;script&gt;</td>', 'escaped in the HTML');
    t.notMatch(html, '<script');
    t.ok(
      findings(files).includes(
        'config: 1 of 3 change(s) do not say who made them (no user in the uploaded config): PCI DSS 10.2.2 asks for the user of each change',
      ),
    );
  }
});

t.test('the clock chart draws every router: the 10 worst named, the others grey, the unmeasured named under the legend', async (t) => {
  const seeds: Seed[] = [];
  for (let i = 0; i < 5 * 24 * 6; i++) seeds.push(ntpSample(start + i * 600_000, true, 0.01));
  const routers = Array.from({ length: 25 }, (_, k) => `10.1.0.${k + 1}`);
  routers.forEach((ip, k) => {
    for (let i = 0; i < 10; i++) seeds.push(ntpClient(ip, start + k * H + i * 300_000, (k % 2 ? 1 : -1) * (k + i / 10)));
  });
  // chrony hides its clock (clientOffsetMethod `hidden`): no offset to draw.
  const hidden = ntpClient('10.9.9.9', start + H, 0);
  seeds.push({
    ...hidden,
    message: JSON.stringify({ ...JSON.parse(hidden.message), clientOffsetMs: null, clientOffsetBoundMs: null, clientOffsetMethod: 'hidden' }),
  });
  for (const { source, files } of await bundles(
    'many',
    seeds.sort((a, b) => a.timestamp - b.timestamp),
  )) {
    const html = files.get('summary.html')!;
    const chart = html.slice(html.indexOf('aria-label="clock offset per router over time"'), html.indexOf('</svg>', html.indexOf('aria-label="clock offset')));
    const drawn = [...chart.matchAll(/<path class="series" data-name="([^"]+)" d="M[^"]+" fill="none" stroke="([^"]+)"/g)].map((m) => [m[1]!, m[2]!] as const);
    t.same(drawn.map(([name]) => name).sort(), [...routers].sort(), `${source}: every router with an offset has its line`);
    const named = drawn.filter(([, stroke]) => stroke !== '#b0b0b0').map(([name]) => name);
    t.same(named.sort(), routers.slice(15).sort(), 'the 10 worst in colour');
    t.match(chart, '>15 other(s), grey</text>');
    t.match(chart, '>no offset measured: 10.9.9.9</text>');
    t.match(files.get('summary.md')!, '| 10.9.9.9 | 1 | 0 | - | - |', 'in the router table, without an offset');
  }
});

t.test('more changes than the page lists: the count, and where every one is', async (t) => {
  const seeds = Array.from({ length: 205 }, (_, k) => configEvent(`rtr-${String(k % 3)}`, start + k * 600_000, k + 1, 'in_sync')[0]!);
  for (const { source, files } of await bundles('many-changes', seeds)) {
    const md = files.get('summary.md')!;
    t.match(md, '205 change(s) in the range; 200 are listed (devices in name order), every one is in config/versions.csv.', source);
    t.equal(md.split('\n').filter((l) => /^\| 2026-03-\S+ \| rtr-\d \| \d+ \| admin \|/.test(l)).length, 200);
    t.equal(files.get('config/versions.csv')!.trim().split('\r\n').length, 206, 'a header and every version');
  }
});
