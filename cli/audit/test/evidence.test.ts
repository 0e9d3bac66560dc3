import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { verifyBundle } from '../src/commands/evidence.js';
import { createCloudWatchSource, createFileSource } from '../src/index.js';
import { configEvent, dataset, NOW, putToCloudWatch, syslogEvent, writeFileSink } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { tree } from './support/tree.js';

const seeds = dataset();
const dir = await mkdtemp(join(tmpdir(), 'audit-evidence-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await writeFileSink(join(dir, 'data'), seeds);
const fake = await startFakeCloudWatchLogs({ now: () => NOW });
t.teardown(() => fake.close());
const seedClient = cloudWatchLogsClientFor(fake);
await putToCloudWatch(seedClient, seeds, 365);
seedClient.destroy();
const client = () => cloudWatchLogsClientFor(fake);
/** The summaries name their source and the log groups' retention and encryption (none for files; 365 days and the service key here): the rest is the same. */
const sourceFree = (text: string) =>
  text
    .replace(/Source: [^.]*\./g, 'Source: X.')
    .replace(/local file sink: no retention policy \(files are kept until deleted\)|365 days/g, 'RETENTION')
    .replace(/local file sink: as the disk is|CloudWatch Logs service key \(no customer managed KMS key\)/g, 'ENCRYPTION');

const range = ['--from', '2026-03-01', '--to', '2026-03-06'];
const fileOut = join(dir, 'bundle-file');
const cloudOut = join(dir, 'bundle-cloudwatch');
const fromFile = await runAudit(['evidence', ...range, '--out', fileOut, '--source', 'file', '--data-dir', join(dir, 'data')]);
const fromCloud = await runAudit(['evidence', ...range, '--out', cloudOut, '--source', 'cloudwatch'], { client });

t.test('both sources give a bundle, hashes check', async (t) => {
  t.equal(fromFile.code, 0, fromFile.stderr);
  t.equal(fromCloud.code, 0, fromCloud.stderr);
  t.same(await verifyBundle(fileOut), []);
  t.same(await verifyBundle(cloudOut), []);
  t.notOk(
    (await readdir(dir)).some((n) => n.includes('.partial-')),
    'no temporary directory left',
  );
});

t.test('the same bundle from the file sink and from CloudWatch', async (t) => {
  const a = await tree(fileOut);
  const b = await tree(cloudOut);
  t.same([...a.keys()].sort(), [...b.keys()].sort(), 'the same files');
  for (const [path, text] of a) {
    if (path === 'MANIFEST.json' || path === 'SHA256SUMS') continue;
    t.equal(sourceFree(b.get(path)!), sourceFree(text), path);
  }
  const manifest = JSON.parse(b.get('MANIFEST.json')!);
  const syslog = manifest.files.find((f: { path: string }) => f.path === 'syslog/rtr-tyo-1.jsonl');
  t.match(syslog.producedBy, {
    source: 'cloudwatch',
    method: 'FilterLogEvents',
    logGroup: '/netsidecar/syslog',
    logStreams: ['rtr-tyo-1'],
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-06T00:00:00.000Z',
  });
  t.ok(manifest.apiCalls.FilterLogEvents > 0);
  for (const f of manifest.files) t.match(f.sha256, /^[0-9a-f]{64}$/);
});

t.test('the same bundle again with Logs Insights', async (t) => {
  const out = join(dir, 'bundle-insights');
  const r = await runAudit(['evidence', ...range, '--out', out, '--source', 'cloudwatch', '--insights'], { client });
  t.equal(r.code, 0, r.stderr);
  const a = await tree(fileOut);
  const b = await tree(out);
  t.same([...b.keys()].sort(), [...a.keys()].sort());
  for (const [path, text] of a) {
    if (path === 'MANIFEST.json' || path === 'SHA256SUMS') continue;
    // Insights does not keep the arrival order of one stream's events of one millisecond (a
    // config/1 event and its config-part/1 events): the raw file may differ in that order only.
    if (path.endsWith('events.jsonl') && path.startsWith('config/')) t.same(b.get(path)!.split('\n').sort(), text.split('\n').sort(), path);
    else t.equal(sourceFree(b.get(path)!), sourceFree(text), path);
  }
  const manifest = JSON.parse(b.get('MANIFEST.json')!);
  const syslog = manifest.files.find((f: { path: string }) => f.path === 'syslog/rtr-tyo-1.jsonl');
  t.match(syslog.producedBy, {
    method: 'StartQuery',
    query: 'fields @timestamp, @logStream, @message | filter @logStream in ["rtr-tyo-1"] | sort @timestamp asc | limit 10000',
  });
});

t.test('what the bundle says', async (t) => {
  const files = await tree(fileOut);
  t.equal(files.get('syslog/rtr-tyo-1.jsonl')!.split('\n').length - 1, 5 * 24 + 1);
  t.match(files.get('syslog/volume-per-day.csv')!, 'rtr-osa-2,2026-03-03,6\r\n');
  t.notMatch(files.get('syslog/volume-per-day.csv')!, 'rtr-osa-2,2026-03-04');
  t.match(
    files.get('ntp/unsynchronised-periods.csv')!,
    '2026-03-02T02:00:00.000Z,2026-03-02T03:00:00.000Z,3600,unsynchronised,"no valid upstream sample for 3601 s (holdover 3600 s); it had followed 169.254.169.123:123 (stratum 1, refid GPS; served as stratum 2)"',
  );
  t.match(files.get('ntp/unsynchronised-periods.csv')!, '2026-03-04T23:50:00.000Z,2026-03-06T00:00:00.000Z,87000,no record');
  t.match(files.get('ntp/client-offsets.csv')!, /^time,client,type,clientOffsetMs/);
  t.match(files.get('config/versions.csv')!, 'rtr-tyo-1,2,2026-03-02T05:00:00.000Z,admin,2026-03-02T04:59:00.000Z,rtr-upload');
  t.equal(
    files.get('config/rtr-tyo-1/v2.diff'),
    '--- rtr-tyo-1 v1\n+++ rtr-tyo-1 v2\n@@ -1 +1 @@\n-hostname a\n+hostname b2\n',
    'detached diff joined from config-part/1',
  );
  t.match(files.get('config/drift-at-end.csv')!, 'rtr-tyo-1,3,2026-03-03T02:00:00.000Z,drifted');
  t.match(files.get('scan/open-at-end.csv')!, '|f2,HIGH');
  t.notMatch(files.get('scan/open-at-end.csv')!, '|f1,');
  const md = files.get('summary.md')!;
  t.match(md, 'ntp: unsynchronised from 2026-03-02T02:00:00.000Z to 2026-03-02T03:00:00.000Z');
  t.match(md, 'config: rtr-tyo-1 drifts from its intended config');
  t.match(md, 'ntp: router 10.0.0.2 stopped asking for time: last summary 2026-03-03T23:30:00.007Z');
  t.match(md, 'syslog: device rtr-osa-2 went silent: last event 2026-03-03T05:00:02.000Z');
  const html = files.get('summary.html')!;
  t.equal((html.match(/<svg class="chart"/g) ?? []).length, 4, 'four charts');
  t.notMatch(html, /<script|src=|href=/, 'self-contained: no script, no external resource');
  // Keep a copy for people to look at (test/output is not committed).
  const keep = new URL('./output/evidence-bundle/', import.meta.url).pathname;
  await rm(keep, { recursive: true, force: true });
  await mkdir(keep, { recursive: true });
  await cp(fileOut, keep, { recursive: true });
});

t.test('the state at --to includes what came before --from (look-back), from both sources', async (t) => {
  for (const [name, out] of [
    ['file', fileOut],
    ['cloudwatch', cloudOut],
  ] as const) {
    const files = await tree(out);
    // rtr-kix-3 uploaded on 02-26 and 02-27 (v8 with its diff detached), nothing in the range.
    t.notMatch(files.get('config/versions.csv')!, 'rtr-kix-3', `${name}: no version of rtr-kix-3 in the range`);
    t.match(
      files.get('config/drift-at-end.csv')!,
      'rtr-kix-3,8,2026-02-27T16:00:00.000Z,drifted,before range\r\n',
      `${name}: drift from the upload before the range`,
    );
    t.match(files.get('config/drift-at-end.csv')!, 'rtr-tyo-1,3,2026-03-03T02:00:00.000Z,drifted,range\r\n');
    t.equal(files.get('config/before-range.jsonl')!.split('\n').length - 1, 1, `${name}: the upload found, as stored`);
    t.match(JSON.parse(files.get('config/before-range.jsonl')!), { schema: 'config/1', device: 'rtr-kix-3', version: 8 });
    const open = files.get('scan/open-at-end.csv')!;
    t.match(open, /\|f4,CRITICAL,2026-02-26T10:00:00\.001Z,true,CVE-2026-f4,/, `${name}: a finding opened before the range, untouched in it`);
    t.match(open, /\|f2,HIGH,2026-03-01T03:00:00\.001Z,false,/);
    t.notMatch(open, '|f5,', 'opened and resolved before the range');
    t.notMatch(open, '|f6,', 'opened before the range, resolved in it');
    t.notMatch(open, '|f1,');
    const md = files.get('summary.md')!;
    t.match(md, '| rtr-kix-3 | 0 | 0 | 8 | drifted (upload of 2026-02-27T16:00:00.000Z, before the range) |');
    t.match(md, 'config: rtr-kix-3 drifts from its intended config at the end of the range (its last upload, 2026-02-27T16:00:00.000Z, is before the range)');
    t.match(md, 'scan: 1 CRITICAL and 1 HIGH finding(s) are still open at the end of the range (1 of them opened before it)');
    t.match(md, '| CRITICAL | 1 (1) | 1 | 0 |');
    t.match(md, '| HIGH | 1 (0) | 1 | 0 |');
    t.match(md, '0 scan(s) finished', 'the scan before the range is not counted in it');
    t.notMatch(files.get('scan/events.jsonl')!, '2026-02-', 'the look-back is not exported');
  }
  const manifest = JSON.parse((await tree(cloudOut)).get('MANIFEST.json')!);
  // Newest first, one stream: the device without an upload in the range costs one GetLogEvents.
  t.equal(manifest.apiCalls.GetLogEvents, 1, 'one GetLogEvents for the one quiet device');
  const drift = manifest.files.find((f: { path: string }) => f.path === 'config/drift-at-end.csv');
  t.match(drift.producedBy.lookBack, { method: /GetLogEvents/, logGroup: '/netsidecar/config', to: '2026-03-01T00:00:00.000Z' });
  const open = manifest.files.find((f: { path: string }) => f.path === 'scan/open-at-end.csv');
  // Only finding events are fetched for the look-back (a term pattern; the fake refuses others),
  // from 400 days before --from but not before the retention (365 days before now, 03-10).
  t.match(open.producedBy.lookBack, {
    method: 'FilterLogEvents',
    logGroup: '/netsidecar/scan',
    from: '2025-03-10T00:00:00.000Z',
    to: '2026-03-01T00:00:00.000Z',
    query: 'filterPattern: ?"finding_new" ?"finding_resolved" ?"finding_ignored"',
  });
});

t.test('--lookback bounds the look-back', async (t) => {
  const out = join(dir, 'bundle-short-lookback');
  const r = await runAudit(['evidence', ...range, '--lookback', '2d', '--out', out, '--source', 'file', '--data-dir', join(dir, 'data')]);
  t.equal(r.code, 0, r.stderr);
  const files = await tree(out);
  // 2 days before 03-01 reach 02-27T00:00: v8 (02-27T16:00) is seen, the openings of 02-26 are not.
  t.match(files.get('config/drift-at-end.csv')!, 'rtr-kix-3,8,');
  t.notMatch(files.get('scan/open-at-end.csv')!, '|f4,');
  const tiny = join(dir, 'bundle-tiny-lookback');
  t.equal((await runAudit(['evidence', ...range, '--lookback', '1h', '--out', tiny, '--source', 'file', '--data-dir', join(dir, 'data')])).code, 0);
  t.match((await tree(tiny)).get('config/drift-at-end.csv')!, 'rtr-kix-3,,,no upload in range or look-back,\r\n');
  const bad = await runAudit(['evidence', ...range, '--lookback', 'forever', '--out', join(dir, 'x'), '--source', 'file', '--data-dir', join(dir, 'data')]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /AUDIT_USAGE: --lookback 'forever' is not a duration/);
});

t.test('newest matching event before --from: across GetLogEvents pages, the same from both sources', async (t) => {
  // One upload, then over a page (10,000 events) of other events, all before --from; an event at
  // --from itself must not be taken (the range excludes it from the look-back).
  const t0 = Date.parse('2026-03-05T00:00:00.000Z');
  const from = t0 + 20_000_000;
  const seeds = [...configEvent('rtr-deep-1', t0, 5, 'in_sync')];
  for (let i = 1; i <= 10_500; i++) seeds.push(syslogEvent('x', t0 + i * 1000, `n${i}`));
  seeds.push(...configEvent('rtr-deep-1', from, 6, 'drifted'));
  const noise = seeds.slice(1, -1).map((s) => ({ ...s, group: '/paging/config', stream: 'rtr-deep-1' }));
  const all = [{ ...seeds[0]!, group: '/paging/config' }, ...noise, { ...seeds.at(-1)!, group: '/paging/config' }];
  const data = join(dir, 'paging');
  await writeFileSink(data, all);
  const c = client();
  t.teardown(() => c.destroy());
  await putToCloudWatch(c, all);
  const isUpload = (m: string) => m.includes('"schema":"config/1"');
  const file = createFileSource({ dataDir: data, logGroupPrefix: '/paging' });
  const cloud = createCloudWatchSource({ client: c, logGroupPrefix: '/paging' });
  const a = await file.newestMatching('config', 'rtr-deep-1', t0 - 86_400_000, from, isUpload);
  const b = await cloud.newestMatching('config', 'rtr-deep-1', t0 - 86_400_000, from, isUpload);
  t.equal(a?.timestamp, t0);
  t.match(JSON.parse(a!.message), { version: 5 });
  t.same(b, a, 'the same event from CloudWatch');
  t.ok(cloud.calls()['GetLogEvents']! > 1, 'more than one page read backwards (1 MB or 10,000 events a page)');
  t.equal(await file.newestMatching('config', 'rtr-deep-1', t0 + 1, from, isUpload), undefined, 'nothing in the look-back window');
  t.equal(await cloud.newestMatching('config', 'rtr-deep-1', t0 + 1, from, isUpload), undefined);
  t.equal(await cloud.newestMatching('config', 'no-such-stream', t0, from, isUpload), undefined);
});

t.test('the bundle is never partial: an existing --out, and a failure midway', async (t) => {
  const again = await runAudit(['evidence', ...range, '--out', fileOut, '--source', 'file', '--data-dir', join(dir, 'data')]);
  t.equal(again.code, 2);
  t.match(again.stderr, /AUDIT_OUT_EXISTS/);
  fake.outage('FilterLogEvents', 'throttle');
  t.teardown(() => fake.outage('FilterLogEvents', null));
  const out = join(dir, 'bundle-throttled');
  const failed = await runAudit(['evidence', ...range, '--out', out, '--source', 'cloudwatch'], { client, maxAttempts: 2 });
  t.equal(failed.code, 1);
  t.match(failed.stderr, /AUDIT_THROTTLED/);
  const left = await readdir(dir);
  t.notOk(left.includes('bundle-throttled'), 'no bundle');
  t.notOk(
    left.some((n) => n.includes('.partial-')),
    'no temporary directory left',
  );
});

t.test('evidence needs --from, --to and --out', async (t) => {
  t.match((await runAudit(['evidence', '--out', join(dir, 'x')])).stderr, /AUDIT_USAGE: evidence needs --from and --to/);
  t.match((await runAudit(['evidence', ...range])).stderr, /AUDIT_USAGE: evidence needs --out/);
});
