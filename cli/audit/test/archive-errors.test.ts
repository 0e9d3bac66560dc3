// `--source archive` when things are wrong: an object without Object Lock, a GZIP object cut short,
// an object that is not JSON, a missing bucket or log group. A small archive (two days), so that
// each case reads few objects.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { BUCKET, firehoseObjects, startArchive, subscriptionRecords } from './support/archive.js';
import { dataset } from './support/fixtures.js';
import { runAudit } from './support/run.js';

const dir = await mkdtemp(join(tmpdir(), 'audit-archive-bad-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const seeds = dataset().filter((s) => s.timestamp >= Date.parse('2026-03-02') && s.timestamp < Date.parse('2026-03-04'));
const objects = firehoseObjects(subscriptionRecords(seeds));
const archive = await startArchive(t);
await archive.put(objects);
const s3 = ['--source', 'archive', '--archive-bucket', BUCKET];
const fromArchive = (args: string[]) => runAudit([...args, ...s3], { s3: archive.client });
const range = ['--from', '2026-03-02', '--to', '2026-03-04', '--lookback', '1d', '--lateness', '1d'];

t.test('an object without an Object Lock retention is a finding to look at', async (t) => {
  const key = objects.find((o) => o.key.startsWith('netsidecar/ntp/'))!.key;
  archive.unlocked.add(key);
  t.teardown(() => archive.unlocked.delete(key));
  const out = join(dir, 'bundle-unlocked');
  const r = await fromArchive(['evidence', ...range, '--out', out]);
  t.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(await readFile(join(out, 'MANIFEST.json'), 'utf8'));
  t.equal(manifest.archive.withoutRetention, 1);
  t.ok(manifest.warnings.some((w: string) => w.includes('without an Object Lock retention') && w.includes(key)));
  t.match(await readFile(join(out, 'summary.md'), 'utf8'), 'without an Object Lock retention');
});

t.test('a GZIP object cut short, an object that is not JSON: AUDIT_ARCHIVE_CORRUPT, exit 1, nothing written', async (t) => {
  const cases: [string, (body: Buffer) => Buffer][] = [
    ['cut short', (body) => body.subarray(0, Math.floor(body.length / 2))],
    ['not JSON', () => gzipSync(Buffer.from('PK\u0003\u0004 not an event\n'))],
  ];
  for (const [name, damage] of cases) {
    const bad = await startArchive(t);
    const target = objects.find((o) => o.key.startsWith('netsidecar/syslog/2026/03/03/'))!;
    const body = damage(target.body);
    await bad.put(objects.filter((o) => o.key.startsWith('netsidecar/syslog/')).map((o) => (o === target ? { ...o, body } : o)));
    const run = (args: string[]) => runAudit([...args, '--source', 'archive', '--archive-bucket', BUCKET], { s3: bad.client });

    const toStdout = await run(['logs', '--service', 'syslog', ...range]);
    t.equal(toStdout.code, 1, `${name}: exit 1`);
    const expected = name === 'cut short' ? /the GZIP stream is cut short \(unexpected end of file\)/ : /line 1 is not a JSON event/;
    t.match(toStdout.stderr, new RegExp(`^netsidecar-audit: AUDIT_ARCHIVE_CORRUPT: s3://${BUCKET}/${target.key.replace(/[.]/g, '\\.')}: `));
    t.match(toStdout.stderr, expected);
    t.equal(toStdout.stdout, '', `${name}: not one event on stdout`);

    const exportFile = join(dir, `export-${name.replace(' ', '-')}.jsonl`);
    const toFile = await run(['logs', '--service', 'syslog', ...range, '--out', exportFile]);
    t.equal(toFile.code, 1);
    t.equal(
      await stat(exportFile).then(
        () => true,
        () => false,
      ),
      false,
      `${name}: no export file`,
    );
    t.notOk(
      (await readdir(dir)).some((n) => n.startsWith(`export-${name.replace(' ', '-')}.jsonl.partial`)),
      'no partial file left',
    );

    const out = join(dir, `bundle-${name.replace(' ', '-')}`);
    const evidence = await run(['evidence', ...range, '--out', out]);
    t.equal(evidence.code, 1);
    t.match(evidence.stderr, /AUDIT_ARCHIVE_CORRUPT/);
    t.equal(
      await stat(out).then(
        () => true,
        () => false,
      ),
      false,
      `${name}: no bundle`,
    );
    t.notOk(
      (await readdir(dir)).some((n) => n.startsWith(`.bundle-${name.replace(' ', '-')}.partial-`)),
      'no partial bundle left',
    );
  }
});

t.test('bad input: no bucket option, a bucket that does not exist, a log group never archived, silence', async (t) => {
  const noOption = await runAudit(['logs', '--service', 'syslog', '--source', 'archive'], { s3: archive.client });
  t.equal(noOption.code, 2);
  t.match(noOption.stderr, /AUDIT_NO_ARCHIVE: --source archive needs --archive-bucket NAME/);
  const missing = await runAudit(['logs', '--service', 'syslog', '--source', 'archive', '--archive-bucket', 'no-such-archive'], { s3: archive.client });
  t.equal(missing.code, 2);
  t.match(missing.stderr, /AUDIT_NO_ARCHIVE: no bucket no-such-archive/);
  const empty = await startArchive(t);
  await empty.put(objects.filter((o) => !o.key.startsWith('netsidecar/ntp/')));
  const noGroup = await runAudit(['logs', '--service', 'ntp', '--source', 'archive', '--archive-bucket', BUCKET], { s3: empty.client });
  t.equal(noGroup.code, 2);
  t.match(noGroup.stderr, new RegExp(`AUDIT_NO_LOG_GROUP: nothing of /netsidecar/ntp is archived in s3://${BUCKET}/netsidecar/ntp/`));
  const silence = await fromArchive(['silence']);
  t.equal(silence.code, 2);
  t.match(silence.stderr, /AUDIT_USAGE: silence reads the live log groups/);
  const insights = await fromArchive(['logs', '--service', 'syslog', '--insights']);
  t.equal(insights.code, 2);
});
