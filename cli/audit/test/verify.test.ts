import { appendFile, cp, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import t from 'tap';
import { dataset, NOW, putToCloudWatch } from './support/fixtures.js';
import { runAudit } from './support/run.js';
import { seededSources } from './support/seeded.js';

// A bundle vouches for more than itself: the SHA-256 of its SHA256SUMS is recorded in the audit log
// group, and `verify` checks the files against SHA256SUMS and SHA256SUMS against the record.
const seeds = dataset();
const { dir, data, fake, client } = await seededSources(t, 'verify', seeds);

const range = ['--from', '2026-03-01', '--to', '2026-03-06'];
const file = ['--source', 'file', '--data-dir', data];
const evidence = (out: string, ...more: string[]) => runAudit(['evidence', ...range, '--out', out, ...file, ...more]);
const verify = (bundle: string, ...more: string[]) => runAudit(['verify', bundle, ...file, ...more]);
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

/** A copy of a recorded bundle, to damage. */
const copyOf = async (bundle: string, name: string) => {
  const copy = join(dir, name);
  await cp(bundle, copy, { recursive: true });
  return copy;
};

const recorded = join(dir, 'recorded');
const made = await evidence(recorded, '--record');
const sums = await readFile(join(recorded, 'SHA256SUMS'));
const digest = createHash('sha256').update(sums).digest('hex');

t.test('evidence --record writes the digest of SHA256SUMS to the audit log group; verify finds it', async (t) => {
  t.equal(made.code, 0, made.stderr);
  t.match(made.stderr, `SHA256SUMS sha256 ${digest} recorded in log group /netsidecar/audit, stream evidence`);
  const log = lines(await readFile(join(data, 'logs/netsidecar/audit/evidence.jsonl'), 'utf8'));
  t.equal(log.length, 1, 'one audit/1 event');
  t.match(JSON.parse(log[0]!), {
    schema: 'audit/1',
    time: '2026-03-10T00:00:00.000Z',
    type: 'evidence_bundle',
    sha256SumsSha256: digest,
    bundle: 'recorded',
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-06T00:00:00.000Z',
    files: lines(sums.toString()).length,
  });
  const ok = await verify(recorded);
  t.equal(ok.code, 0, ok.stderr);
  t.equal(ok.stderr, '');
  t.match(
    ok.stdout,
    new RegExp(
      `^verified: .*recorded: \\d+ files match SHA256SUMS, whose sha256 ${digest} is recorded in log group /netsidecar/audit, stream evidence .* at 2026-03-10T00:00:00.000Z\\n$`,
    ),
  );
});

t.test('a changed file: exit 4, one line naming it; SHA256SUMS itself is still the recorded one', async (t) => {
  const bundle = await copyOf(recorded, 'changed');
  await appendFile(join(bundle, 'syslog/rtr-tyo-1.jsonl'), '{"forged":true}\n');
  const r = await verify(bundle);
  t.equal(r.code, 4);
  t.equal(r.stdout, '');
  const err = lines(r.stderr);
  t.match(err[0], /^netsidecar-audit: AUDIT_BUNDLE_TAMPERED: syslog\/rtr-tyo-1\.jsonl: sha256 [0-9a-f]{64} differs from SHA256SUMS \([0-9a-f]{64}\)$/);
  t.match(err[1], /^note: SHA256SUMS itself is the one recorded at 2026-03-10T00:00:00.000Z/);
  t.equal(err.length, 2);
});

t.test('a file changed and SHA256SUMS rewritten to match: the digest is not recorded, exit 6', async (t) => {
  const bundle = await copyOf(recorded, 'rewritten');
  await appendFile(join(bundle, 'summary.md'), '- nothing to see here\n');
  const newHash = createHash('sha256')
    .update(await readFile(join(bundle, 'summary.md')))
    .digest('hex');
  const text = (await readFile(join(bundle, 'SHA256SUMS'), 'utf8')).replace(/^[0-9a-f]{64}(?= {2}summary\.md$)/m, newHash);
  await writeFile(join(bundle, 'SHA256SUMS'), text);
  const r = await verify(bundle);
  t.equal(r.code, 6);
  const err = lines(r.stderr);
  t.equal(err.length, 1, r.stderr);
  t.match(
    err[0],
    /^netsidecar-audit: AUDIT_DIGEST_NOT_RECORDED: SHA256SUMS sha256 [0-9a-f]{64} is not recorded in log group \/netsidecar\/audit, stream evidence/,
  );
  t.notMatch(err[0], digest, 'not the recorded digest');
  // The same bundle cannot be recorded now by someone who did not make it without a trace: the
  // record says when (2026-03-10 here), after the bundle's own createdAt.
});

t.test('a missing file: exit 5; a file added: exit 4; a missing and a changed file: 4 wins, both said', async (t) => {
  const missing = await copyOf(recorded, 'missing');
  await unlink(join(missing, 'config/versions.csv'));
  const m = await verify(missing);
  t.equal(m.code, 5);
  t.same(
    lines(m.stderr).filter((l) => l.startsWith('netsidecar-audit:')),
    ['netsidecar-audit: AUDIT_BUNDLE_FILE_MISSING: config/versions.csv is listed in SHA256SUMS but missing'],
  );

  const added = await copyOf(recorded, 'added');
  await writeFile(join(added, 'syslog/extra.jsonl'), '{}\n');
  const a = await verify(added);
  t.equal(a.code, 4);
  t.match(a.stderr, /^netsidecar-audit: AUDIT_BUNDLE_TAMPERED: syslog\/extra\.jsonl is in the bundle but not in SHA256SUMS$/m);

  const both = await copyOf(recorded, 'both');
  await unlink(join(both, 'config/versions.csv'));
  await writeFile(join(both, 'MANIFEST.json'), '{}');
  const b = await verify(both);
  t.equal(b.code, 4);
  t.match(b.stderr, /AUDIT_BUNDLE_TAMPERED: MANIFEST\.json: sha256/);
  t.match(b.stderr, /AUDIT_BUNDLE_FILE_MISSING: config\/versions\.csv/);
});

t.test('a SHA256SUMS line that leaves the bundle is tampering, never read', async (t) => {
  const bundle = await copyOf(recorded, 'escape');
  await appendFile(join(bundle, 'SHA256SUMS'), `${'0'.repeat(64)}  ../data/logs/netsidecar/audit/evidence.jsonl\nnot a line\n`);
  const r = await verify(bundle);
  t.equal(r.code, 4);
  t.match(r.stderr, /AUDIT_BUNDLE_TAMPERED: SHA256SUMS line \d+ names '\.\.\/data\/logs\/netsidecar\/audit\/evidence\.jsonl', outside the bundle's files/);
  t.match(r.stderr, /AUDIT_BUNDLE_TAMPERED: SHA256SUMS line \d+ is not '<sha256> {2}<path>'/);
});

t.test('without --record: the exact command is printed; verify says not recorded until it is run', async (t) => {
  const bundle = join(dir, 'unrecorded');
  const r = await evidence(bundle);
  t.equal(r.code, 0, r.stderr);
  const said = /SHA256SUMS sha256 ([0-9a-f]{64}), not recorded; record it with: (.+)$/m.exec(r.stderr);
  t.ok(said, r.stderr);
  const command = said![2]!;
  t.equal(command, `netsidecar-audit record ${bundle} --source file --data-dir ${data}`);
  const before = await verify(bundle);
  t.equal(before.code, 6);
  t.match(before.stderr, `AUDIT_DIGEST_NOT_RECORDED: SHA256SUMS sha256 ${said![1]} is not recorded`);
  t.match(before.stderr, `record it: ${command}`);
  // Run the printed command as it is (its words: no quoting needed for these paths).
  const rec = await runAudit(command.split(' ').slice(1));
  t.equal(rec.code, 0, rec.stderr);
  t.match(rec.stdout, `recorded: SHA256SUMS sha256 ${said![1]} in log group /netsidecar/audit`);
  t.equal((await verify(bundle)).code, 0);
  const again = await runAudit(command.split(' ').slice(1));
  t.match(again.stdout, /^already recorded: /, 'recorded once');
  const log = lines(await readFile(join(data, 'logs/netsidecar/audit/evidence.jsonl'), 'utf8'));
  t.equal(log.filter((l) => l.includes(said![1]!)).length, 1);
});

t.test('record refuses a bundle that does not verify', async (t) => {
  const bundle = await copyOf(join(dir, 'unrecorded'), 'unrecorded-changed');
  await appendFile(join(bundle, 'summary.md'), 'x');
  const r = await runAudit(['record', bundle, ...file]);
  t.equal(r.code, 4);
  t.match(r.stderr, /^netsidecar-audit: AUDIT_BUNDLE_TAMPERED: summary\.md: sha256 .*; not recorded\n$/);
});

t.test('CloudWatch: recorded with PutLogEvents in /netsidecar/audit, verified with FilterLogEvents', async (t) => {
  fake.createLogGroup('/netsidecar/audit');
  const out = join(dir, 'cloud');
  const r = await runAudit(['evidence', ...range, '--out', out, '--source', 'cloudwatch', '--record'], { client });
  t.equal(r.code, 0, r.stderr);
  const stored = fake.events('/netsidecar/audit', 'evidence');
  t.equal(stored.length, 1, 'the stream created and one event put');
  const cloudDigest = createHash('sha256')
    .update(await readFile(join(out, 'SHA256SUMS')))
    .digest('hex');
  t.match(JSON.parse(stored[0]!.message), { schema: 'audit/1', sha256SumsSha256: cloudDigest, source: 'CloudWatch Logs, region us-east-1' });
  t.equal(stored[0]!.timestamp, NOW);
  const ok = await runAudit(['verify', out, '--source', 'cloudwatch'], { client });
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, '(CloudWatch Logs, region us-east-1) at 2026-03-10T00:00:00.000Z');
  t.match(fake.calls('FilterLogEvents').at(-1), { logGroup: '/netsidecar/audit' });
  // The file sink's audit log does not hold it: where to look is the auditor's choice, and said.
  const elsewhere = await verify(out);
  t.equal(elsewhere.code, 6);
  t.match(elsewhere.stderr, '(file sink: ');
});

t.test('CloudWatch without an audit log group: the bundle stays complete, exit 1 with the command to record it', async (t) => {
  const prefix = { NETSIDECAR_LOG_GROUP_PREFIX: '/nowhere' };
  const c = client();
  t.teardown(() => c.destroy());
  await putToCloudWatch(
    c,
    seeds.filter((s) => s.group === '/netsidecar/config').map((s) => ({ ...s, group: '/nowhere/config' })),
  );
  const out = join(dir, 'no-audit-group');
  const r = await runAudit(['evidence', ...range, '--out', out, '--source', 'cloudwatch', '--record'], { client, env: prefix });
  t.equal(r.code, 1);
  const err = lines(r.stderr).filter((l) => l.startsWith('netsidecar-audit:'));
  t.equal(err.length, 1);
  t.match(
    err[0],
    new RegExp(
      `^netsidecar-audit: AUDIT_NOT_RECORDED: ${out} is complete, but its SHA256SUMS digest was not recorded: AUDIT_NO_LOG_GROUP: log group /nowhere/audit does not exist .*; record it with: NETSIDECAR_LOG_GROUP_PREFIX=/nowhere netsidecar-audit record ${out} --source cloudwatch$`,
    ),
  );
  const v = await runAudit(['verify', out, '--source', 'cloudwatch'], { client, env: prefix });
  t.equal(v.code, 6, 'files intact, digest not recorded');
  t.match(v.stderr, 'log group /nowhere/audit does not exist');
});

t.test('verify: not a bundle, no directory given', async (t) => {
  const r = await verify(data);
  t.equal(r.code, 2);
  t.match(r.stderr, /^netsidecar-audit: AUDIT_NOT_A_BUNDLE: .* is not an evidence bundle: it has no SHA256SUMS\n$/);
  t.match((await runAudit(['verify', ...file])).stderr, /AUDIT_USAGE: verify needs the bundle directory/);
  t.match((await runAudit(['verify', 'a', 'b'])).stderr, /AUDIT_USAGE: unexpected argument 'b'/);
  t.notOk((await readdir(dir)).some((n) => n.includes('.partial-')));
});
