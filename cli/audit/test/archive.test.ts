// `--source archive`: the same events as the file sink, read from S3 objects laid out exactly as the
// stack's Firehose streams write them (support/archive.ts), with their Object Lock dates recorded.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { verifyBundle } from '../src/commands/evidence.js';
import { BUCKET, firehoseObjects, startArchive, subscriptionRecords } from './support/archive.js';
import { dataset, writeFileSink } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { tree } from './support/tree.js';

const seeds = dataset();
const dir = await mkdtemp(join(tmpdir(), 'audit-archive-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const data = join(dir, 'data');
await writeFileSink(data, seeds);

// rtr-osa-2's events of 2026-03-02 reach the archive three days late (a spool replayed after an outage).
const lateDay = Date.parse('2026-03-02T00:00:00Z');
const late = ({ logStream, last }: { logStream: string; last: number }) =>
  logStream === 'rtr-osa-2' && last >= lateDay && last < lateDay + 86_400_000 ? 3 * 86_400_000 : 2_000;
const objects = firehoseObjects(subscriptionRecords(seeds, { controlMessage: true, eventsPerRecord: 40, delayMs: late }));
const archive = await startArchive(t);
await archive.put(objects);

const file = ['--source', 'file', '--data-dir', data];
const s3 = ['--source', 'archive', '--archive-bucket', BUCKET];
const fromArchive = (args: string[]) => runAudit([...args, ...s3], { s3: archive.client });

t.test('the fixture is laid out as Firehose writes it', async (t) => {
  t.ok(objects.length > 10);
  for (const o of objects)
    t.match(
      o.key,
      /^netsidecar\/(syslog|ntp|config|scan)\/\d{4}\/\d{2}\/\d{2}\/netsidecar-archive-(syslog|ntp|config|scan)-1-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$/,
    );
  t.ok(
    objects.some((o) => o.lines.some((l) => l.startsWith('{"schema":"part/1"'))),
    "the event over 1 MB is archived as the sink's parts",
  );
  t.ok(objects.some((o) => o.lines.includes('CWL CONTROL MESSAGE: Checking health of destination Firehose.')));
  t.ok(
    objects.some((o) => o.key.includes('/2026/03/05/') && o.lines.some((l) => l.includes('"rtr-osa-2"') && l.includes('2026-03-02T'))),
    'late events sit under their arrival day',
  );
});

t.test('logs: the same export as the file sink, byte for byte (parts joined, late events found, control message skipped)', async (t) => {
  for (const args of [
    ['logs', '--service', 'syslog', '--from', '2026-03-01', '--to', '2026-03-06'],
    ['logs', '--service', 'ntp', '--from', '2026-03-01', '--to', '2026-03-10'],
    ['logs', '--service', 'config', '--from', '2026-02-20', '--to', '2026-03-10'],
    ['logs', '--service', 'scan', '--from', '2026-02-20', '--to', '2026-03-10'],
    ['logs', '--service', 'syslog', '--device', '2001:db8::1', '--from', '2026-03-02T00:00:00Z', '--to', '2026-03-03T00:00:00Z', '--format', 'csv'],
    ['logs', '--service', 'syslog', '--device', 'rtr-osa-2', '--from', '2026-03-01', '--to', '2026-03-04', '--format', 'csv'],
  ]) {
    const expected = await runAudit([...args, ...file]);
    const got = await fromArchive(args);
    t.equal(expected.code, 0, expected.stderr);
    t.equal(got.code, 0, got.stderr);
    t.ok(expected.stdout.length > 100, `${args.join(' ')}: something to compare`);
    t.equal(got.stdout, expected.stdout, args.join(' '));
  }
  const big = await fromArchive(['logs', '--service', 'syslog', '--device', 'rtr-tyo-1', '--from', '2026-03-02', '--to', '2026-03-03']);
  t.ok(
    big.stdout.split('\n').some((l) => l.length > 1_500_000),
    'the split event comes back whole',
  );
});

t.test('--lateness: a window shorter than the delay misses the late events (the default does not)', async (t) => {
  const args = ['logs', '--service', 'syslog', '--device', 'rtr-osa-2', '--from', '2026-03-02', '--to', '2026-03-03'];
  const full = await fromArchive(args);
  const short = await fromArchive([...args, '--lateness', '1d']);
  t.equal(full.stdout.split('\n').length - 1, 24);
  t.equal(short.stdout.split('\n').length - 1, 0, 'they arrived three days later');
});

t.test('evidence: the same bundle as from the file sink, plus every archive object with its Object Lock date', async (t) => {
  const range = ['--from', '2026-03-01', '--to', '2026-03-06'];
  const fileOut = join(dir, 'bundle-file');
  const archiveOut = join(dir, 'bundle-archive');
  const a = await runAudit(['evidence', ...range, '--out', fileOut, ...file]);
  const b = await fromArchive(['evidence', ...range, '--out', archiveOut]);
  t.equal(a.code, 0, a.stderr);
  t.equal(b.code, 0, b.stderr);
  t.same(await verifyBundle(archiveOut), []);
  // The archive is written by Firehose only: the digest is to be recorded in CloudWatch Logs.
  t.match(b.stderr, new RegExp(`SHA256SUMS sha256 [0-9a-f]{64}, not recorded; record it with: netsidecar-audit record ${archiveOut} --source cloudwatch\n`));
  const fromFile = await tree(fileOut);
  const fromS3 = await tree(archiveOut);
  t.same([...fromS3.keys()].sort(), [...fromFile.keys(), 'archive/objects.csv'].sort(), 'the same files, and the archive objects');
  // The summaries name their source and how it keeps events (files: no retention; the archive: Object Lock).
  const sourceFree = (text: string) =>
    text
      .replace(/Source: [^.]*\./g, 'Source: X.')
      .replace(
        /local file sink: no retention policy \(files are kept until deleted\)|S3 archive: Object Lock retention per object \(archive\/objects\.csv\)/g,
        'RETENTION',
      )
      .replace(/local file sink: as the disk is|S3 archive: per object \(archive\/objects\.csv\)/g, 'ENCRYPTION');
  for (const [path, text] of fromFile) {
    if (path === 'MANIFEST.json' || path === 'SHA256SUMS') continue;
    t.equal(sourceFree(fromS3.get(path)!), sourceFree(text), path);
  }

  const manifest = JSON.parse(fromS3.get('MANIFEST.json')!);
  t.match(manifest.source, `S3 archive s3://${BUCKET}`);
  const syslog = manifest.files.find((f: { path: string }) => f.path === 'syslog/rtr-tyo-1.jsonl');
  t.match(syslog.producedBy, { source: 'archive', method: 'ListObjectsV2+GetObject', logGroup: '/netsidecar/syslog', logStreams: ['rtr-tyo-1'] });
  t.ok(manifest.apiCalls.ListObjectsV2 > 0 && manifest.apiCalls.GetObject > 0);
  t.same(
    manifest.warnings.filter((w: string) => w.startsWith('archive:')),
    [],
    'every object locked',
  );

  const rows = fromS3.get('archive/objects.csv')!.trim().split('\r\n');
  t.equal(rows[0], 'key,versionId,bytes,etag,checksum,sha256,lastModified,storageClass,lockMode,retainUntil,legalHold,lines');
  const listed = rows.slice(1).map((r) => r.split(','));
  t.equal(manifest.archive.objects, listed.length);
  t.equal(manifest.apiCalls.GetObject, listed.length, 'each object read once, whatever the number of devices and queries');
  t.match(manifest.archive, { bucket: BUCKET, file: 'archive/objects.csv', withoutRetention: 0, controlMessagesSkipped: 4 });
  const byKey = new Map(objects.map((o) => [o.key, o]));
  for (const [key, , bytes, etag, , sha256, lastModified, storageClass, lockMode, retainUntil, , lines] of listed) {
    const fixture = byKey.get(key!)!;
    t.ok(fixture, `${key}: an object of the bucket`);
    t.equal(Number(bytes), fixture.body.length, `${key}: size`);
    t.equal(sha256, createHash('sha256').update(fixture.body).digest('hex'), `${key}: SHA-256 of the object as stored`);
    // s3rver's ETag of a single PUT is the MD5 of the body, as S3's is without SSE-KMS; quoted, as a CSV cell.
    t.equal(etag, `"""${createHash('md5').update(fixture.body).digest('hex')}"""`, `${key}: the ETag S3 gave`);
    t.equal(storageClass, 'STANDARD');
    t.equal(lockMode, 'COMPLIANCE');
    t.equal(
      Date.parse(retainUntil!),
      Date.parse(lastModified!) + archive.retentionDays * 86_400_000,
      `${key}: retained ${archive.retentionDays} days from its creation`,
    );
    t.equal(Number(lines), fixture.lines.length);
  }
  t.ok(
    listed.some(([key]) => key!.startsWith('netsidecar/config/2026/02/')),
    'the look-back objects are recorded too',
  );
  const summary = fromS3.get('summary.md')!;
  t.match(summary, `S3 archive s3://${BUCKET}`);
});
