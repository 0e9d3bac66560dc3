import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import t from 'tap';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { verifyBundle } from '../src/commands/evidence.js';
import { dataset, NOW, putToCloudWatch, writeFileSink } from './support/fixtures.js';
import { runAudit } from './support/run.js';

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

async function tree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(relative(root, full), await readFile(full, 'utf8'));
    }
  };
  await walk(root);
  return files;
}

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
  t.notOk((await readdir(dir)).some((n) => n.includes('.partial-')), 'no temporary directory left');
});

t.test('the same bundle from the file sink and from CloudWatch', async (t) => {
  const a = await tree(fileOut);
  const b = await tree(cloudOut);
  t.same([...a.keys()].sort(), [...b.keys()].sort(), 'the same files');
  const sourceFree = (text: string) => text.replace(/Source: [^.]*\./g, 'Source: X.');
  for (const [path, text] of a) {
    if (path === 'MANIFEST.json' || path === 'SHA256SUMS') continue;
    t.equal(sourceFree(b.get(path)!), sourceFree(text), path);
  }
  const manifest = JSON.parse(b.get('MANIFEST.json')!);
  const syslog = manifest.files.find((f: { path: string }) => f.path === 'syslog/rtr-tyo-1.jsonl');
  t.match(syslog.producedBy, { source: 'cloudwatch', method: 'FilterLogEvents', logGroup: '/netsidecar/syslog', logStreams: ['rtr-tyo-1'], from: '2026-03-01T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' });
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
  const sourceFree = (text: string) => text.replace(/Source: [^.]*\./g, 'Source: X.');
  for (const [path, text] of a) {
    if (path === 'MANIFEST.json' || path === 'SHA256SUMS') continue;
    // Insights does not keep the arrival order of one stream's events of one millisecond (a
    // config/1 event and its config-part/1 events): the raw file may differ in that order only.
    if (path.endsWith('events.jsonl') && path.startsWith('config/')) t.same(b.get(path)!.split('\n').sort(), text.split('\n').sort(), path);
    else t.equal(sourceFree(b.get(path)!), sourceFree(text), path);
  }
  const manifest = JSON.parse(b.get('MANIFEST.json')!);
  const syslog = manifest.files.find((f: { path: string }) => f.path === 'syslog/rtr-tyo-1.jsonl');
  t.match(syslog.producedBy, { method: 'StartQuery', query: 'fields @timestamp, @logStream, @message | filter @logStream in ["rtr-tyo-1"] | sort @timestamp asc | limit 10000' });
});

t.test('what the bundle says', async (t) => {
  const files = await tree(fileOut);
  t.equal(files.get('syslog/rtr-tyo-1.jsonl')!.split('\n').length - 1, 5 * 24 + 1);
  t.match(files.get('syslog/volume-per-day.csv')!, 'rtr-osa-2,2026-03-03,6\r\n');
  t.notMatch(files.get('syslog/volume-per-day.csv')!, 'rtr-osa-2,2026-03-04');
  t.match(files.get('ntp/unsynchronised-periods.csv')!, '2026-03-02T02:00:00.000Z,2026-03-02T03:00:00.000Z,3600,unsynchronised,no valid upstream sample');
  t.match(files.get('ntp/unsynchronised-periods.csv')!, '2026-03-04T23:50:00.000Z,2026-03-06T00:00:00.000Z,87000,no record');
  t.match(files.get('ntp/client-offsets.csv')!, /^time,client,type,clientOffsetMs/);
  t.match(files.get('config/versions.csv')!, 'rtr-tyo-1,2,2026-03-02T05:00:00.000Z,admin,2026-03-02T04:59:00.000Z,rtr-upload');
  t.equal(files.get('config/rtr-tyo-1/v2.diff'), '--- rtr-tyo-1 v1\n+++ rtr-tyo-1 v2\n@@ -1 +1 @@\n-hostname a\n+hostname b2\n', 'detached diff joined from config-part/1');
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
  t.notOk(left.some((n) => n.includes('.partial-')), 'no temporary directory left');
});

t.test('evidence needs --from, --to and --out', async (t) => {
  t.match((await runAudit(['evidence', '--out', join(dir, 'x')])).stderr, /AUDIT_USAGE: evidence needs --from and --to/);
  t.match((await runAudit(['evidence', ...range])).stderr, /AUDIT_USAGE: evidence needs --out/);
});
