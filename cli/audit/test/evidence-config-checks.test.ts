import { join } from 'node:path';
import t from 'tap';
import { requirementsLine } from '../src/evidence/pci-dss.js';
import { configEvent, dataset, writeFileSink, type Seed } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { seededSources } from './support/seeded.js';
import { tree } from './support/tree.js';

// Config compliance and stale backups at the end of the range, from the file sink and from
// CloudWatch: the same tables, the same findings.
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const rulesSha256 = 'e3'.repeat(32);

/** A config/1 upload (fixtures' configEvent) carrying a compliance result, as config-upload writes it with a rules file. */
function upload(device: string, time: string, version: number, compliance?: { passed: string[]; failed: [string, string][] } | null): Seed[] {
  const [first, ...parts] = configEvent(device, at(time), version, 'in_sync');
  const body = JSON.parse(first!.message) as Record<string, unknown>;
  if (compliance !== undefined) {
    body['compliance'] =
      compliance === null
        ? null
        : { rulesSha256, passed: compliance.passed, failed: compliance.failed.map(([id, reason]) => ({ id, reason })), failedCount: compliance.failed.length };
  }
  return [{ ...first!, message: JSON.stringify(body) }, ...parts];
}

const seeds: Seed[] = [
  // Passes, uploaded 12 h before the end: neither finding.
  ...upload('rtr-a', '2026-03-02T00:00:00Z', 1, { passed: ['ntp-auth', 'vty-ssh-only'], failed: [] }),
  ...upload('rtr-a', '2026-03-05T12:00:00Z', 2, { passed: ['ntp-auth', 'vty-ssh-only'], failed: [] }),
  // Passed once, fails two rules at its last upload, 48 h before the end.
  ...upload('rtr-b', '2026-03-01T06:00:00Z', 1, { passed: ['ntp-auth', 'vty-ssh-only'], failed: [] }),
  ...upload('rtr-b', '2026-03-04T00:00:00Z', 2, {
    passed: [],
    failed: [
      ['ntp-auth', 'missing "ntp authenticate"'],
      ['vty-ssh-only', 'missing "transport input ssh" in "line vty 0 4" (line 212)'],
    ],
  }),
  // Last upload before the range (the look-back), failing one rule (CloudWatch takes events up to 14 days old).
  ...upload('rtr-c', '2026-02-27T00:00:00Z', 9, { passed: ['vty-ssh-only'], failed: [['ntp-auth', 'missing "ntp authenticate"']] }),
  // Uploaded an hour before the end by a service without rules: not checked (no data is not zero).
  ...upload('rtr-d', '2026-03-05T23:00:00Z', 3, null),
].sort((a, b) => a.timestamp - b.timestamp);

const { dir, data, client } = await seededSources(t, 'config-checks', seeds);

const range = ['--from', '2026-03-01', '--to', '2026-03-06'];
const file = ['--source', 'file', '--data-dir', data];
const fileOut = join(dir, 'file');
const cloudOut = join(dir, 'cloud');
const fromFile = await runAudit(['evidence', ...range, '--out', fileOut, ...file]);
const fromCloud = await runAudit(['evidence', ...range, '--out', cloudOut, '--source', 'cloudwatch'], { client });

t.test("compliance at the end: per device, the last upload's result; failing devices are findings", async (t) => {
  t.equal(fromFile.code, 0, fromFile.stderr);
  t.equal(fromCloud.code, 0, fromCloud.stderr);
  const a = await tree(fileOut);
  const b = await tree(cloudOut);
  const csv = a.get('config/compliance-at-end.csv')!;
  t.equal(b.get('config/compliance-at-end.csv'), csv, 'the same from CloudWatch');
  t.equal(
    csv,
    [
      'device,lastVersion,lastUpload,uploadIn,status,rulesSha256,passed,failed,failedRules,failedReasons',
      `rtr-a,2,2026-03-05T12:00:00.000Z,range,passed,${rulesSha256},2,0,,`,
      `rtr-b,2,2026-03-04T00:00:00.000Z,range,failed,${rulesSha256},0,2,ntp-auth vty-ssh-only,"ntp-auth: missing ""ntp authenticate"" | vty-ssh-only: missing ""transport input ssh"" in ""line vty 0 4"" (line 212)"`,
      `rtr-c,9,2026-02-27T00:00:00.000Z,before range,failed,${rulesSha256},1,1,ntp-auth,"ntp-auth: missing ""ntp authenticate"""`,
      'rtr-d,3,2026-03-05T23:00:00.000Z,range,not checked,,,,,',
      '',
    ].join('\r\n'),
  );
  const md = a.get('summary.md')!;
  t.match(md, '## Config compliance at the end of the range');
  t.match(md, '| rtr-b | 2026-03-04T00:00:00.000Z | failed | 0 | 2 | ntp-auth, vty-ssh-only |');
  t.match(md, '| rtr-c | 2026-02-27T00:00:00.000Z (before the range) | failed | 1 | 1 | ntp-auth |');
  t.match(md, '| rtr-d | 2026-03-05T23:00:00.000Z | not checked | - | - | - |');
  t.match(md, '- config: rtr-b fails 2 compliance rule(s) at the end of the range: ntp-auth, vty-ssh-only (upload of 2026-03-04T00:00:00.000Z)');
  t.match(md, '- config: rtr-c fails 1 compliance rule(s) at the end of the range: ntp-auth (upload of 2026-02-27T00:00:00.000Z, before the range)');
  t.notMatch(md, /config: rtr-[ad] fails/);
  const html = a.get('summary.html')!;
  t.match(html, /<tr style="color:#a00;font-weight:bold"><td>rtr-b<\/td>/, 'a failing device is red');
  t.match(html, /<tr><td>rtr-a<\/td><td>2026-03-05T12:00:00.000Z<\/td><td>passed<\/td>/);
  const manifest = JSON.parse(a.get('MANIFEST.json')!);
  const entry = manifest.files.find((f: { path: string }) => f.path === 'config/compliance-at-end.csv');
  t.same(
    entry.producedBy.derivedFrom.sort(),
    ['config/before-range.jsonl', 'config/rtr-a/events.jsonl', 'config/rtr-b/events.jsonl', 'config/rtr-d/events.jsonl'],
    "rtr-c's last upload is the look-back's",
  );
  t.equal(entry.events, 4);
});

t.test('stale backups: a device whose last upload is older than its interval at the end of the range', async (t) => {
  const a = await tree(fileOut);
  const csv = a.get('config/backup-age-at-end.csv')!;
  t.equal((await tree(cloudOut)).get('config/backup-age-at-end.csv'), csv, 'the same from CloudWatch');
  t.equal(
    csv,
    [
      'device,lastUpload,ageAtEndS,expectedIntervalS,intervalRule,stale',
      'rtr-a,2026-03-05T12:00:00.000Z,43200,90000,*,false',
      'rtr-b,2026-03-04T00:00:00.000Z,172800,90000,*,true',
      'rtr-c,2026-02-27T00:00:00.000Z,604800,90000,*,true',
      'rtr-d,2026-03-05T23:00:00.000Z,3600,90000,*,false',
      '',
    ].join('\r\n'),
  );
  const md = a.get('summary.md')!;
  t.match(md, '- config: rtr-b backup is stale: last upload 2026-03-04T00:00:00.000Z, 2.0 d before 2026-03-06T00:00:00.000Z (expected every 25.0 h)');
  t.match(md, '- config: rtr-c backup is stale: last upload 2026-02-27T00:00:00.000Z, 7.0 d before');
  t.notMatch(md, /rtr-[ad] backup is stale/);
  t.match(md, '| rtr-b | 2026-03-04T00:00:00.000Z | 2.0 d | 25.0 h | stale |');
  t.match(a.get('summary.html')!, /<tr style="color:#a00;font-weight:bold"><td>rtr-b<\/td><td>2026-03-04T00:00:00.000Z<\/td><td>2.0 d<\/td>/);
});

t.test('--backup-interval: a default and per device glob, first match wins', async (t) => {
  const out = join(dir, 'intervals');
  const r = await runAudit([
    'evidence',
    ...range,
    '--out',
    out,
    ...file,
    '--backup-interval',
    'rtr-b*=3d',
    '--backup-interval',
    '6h',
    '--backup-interval',
    '*-?=30d',
    '--backup-interval',
    'rtr-a=1h',
  ]);
  t.equal(r.code, 0, r.stderr);
  const csv = (await tree(out)).get('config/backup-age-at-end.csv')!;
  t.match(csv, 'rtr-a,2026-03-05T12:00:00.000Z,43200,2592000,*-?,false', 'the first glob that matches, not a later one');
  t.match(csv, 'rtr-b,2026-03-04T00:00:00.000Z,172800,259200,rtr-b*,false', 'the first glob that matches');
  t.match(csv, 'rtr-c,2026-02-27T00:00:00.000Z,604800,2592000,*-?,false');
  const six = join(dir, 'intervals-default');
  t.equal((await runAudit(['evidence', ...range, '--out', six, ...file, '--backup-interval', 'rtr-x*=1d', '--backup-interval', '6h'])).code, 0);
  t.match((await tree(six)).get('config/backup-age-at-end.csv')!, 'rtr-a,2026-03-05T12:00:00.000Z,43200,21600,*,true', 'no glob matches: the bare default, 6h');
  for (const [bad, message] of [
    [['--backup-interval', 'soon'], /AUDIT_USAGE: --backup-interval 'soon' is not a duration/],
    [['--backup-interval', '=1d'], /AUDIT_USAGE: --backup-interval '=1d': the device glob before '=' is empty/],
    [['--backup-interval', '1d', '--backup-interval', '2d'], /AUDIT_USAGE: --backup-interval '2d': a second default/],
  ] as const) {
    const x = await runAudit(['evidence', ...range, '--out', join(dir, 'never'), ...file, ...bad]);
    t.equal(x.code, 2);
    t.match(x.stderr, message);
  }
});

t.test('no event carries a compliance result: "no compliance rules configured", never zero failures', async (t) => {
  const plain = join(dir, 'plain');
  await writeFileSink(plain, dataset());
  const out = join(dir, 'plain-bundle');
  const r = await runAudit(['evidence', ...range, '--out', out, '--source', 'file', '--data-dir', plain]);
  t.equal(r.code, 0, r.stderr);
  const files = await tree(out);
  const md = files.get('summary.md')!;
  t.match(
    md,
    `## Config compliance at the end of the range (PCI DSS 1.2.7, 1.2.8, 2.2.1)\n\n${requirementsLine('compliance')}\n\nNo compliance rules configured`,
  );
  t.notMatch(md, /compliance rule\(s\)/);
  t.match(files.get('summary.html')!, 'No compliance rules configured');
  t.match(files.get('config/compliance-at-end.csv')!, 'rtr-tyo-1,3,2026-03-03T02:00:00.000Z,range,not checked,,,,,');
  // The shared data set's last uploads are days before the end: stale at the default 25 h.
  t.match(md, '- config: rtr-tyo-1 backup is stale: last upload 2026-03-03T02:00:00.000Z');
});

t.test('the time of a stale finding is measured to now when --to is later', async (t) => {
  const out = join(dir, 'future');
  const r = await runAudit(['evidence', '--from', '2026-03-01', '--to', '2026-04-01', '--out', out, ...file], { now: at('2026-03-06T06:00:00Z') });
  t.equal(r.code, 0, r.stderr);
  const csv = (await tree(out)).get('config/backup-age-at-end.csv')!;
  t.match(csv, `rtr-a,2026-03-05T12:00:00.000Z,${(18 * H) / 1000},90000,*,false`);
});
