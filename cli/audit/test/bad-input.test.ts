import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { auditErrors } from '../src/errors.js';
import { dataset, NOW, putToCloudWatch, writeFileSink } from './support/fixtures.js';
import { runAudit } from './support/run.js';

const seeds = dataset();
const dir = await mkdtemp(join(tmpdir(), 'audit-bad-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
await writeFileSink(dir, seeds);
const fake = await startFakeCloudWatchLogs({ now: () => NOW });
t.teardown(() => fake.close());
const seedClient = cloudWatchLogsClientFor(fake);
await putToCloudWatch(seedClient, seeds, 30);
seedClient.destroy();
const client = () => cloudWatchLogsClientFor(fake);
const file = ['--source', 'file', '--data-dir', dir];

t.test('an unknown device: exit 2, named, with the known ones', async (t) => {
  for (const source of [file, ['--source', 'cloudwatch']]) {
    const r = await runAudit(['logs', '--service', 'syslog', '--device', 'rtr-nowhere', ...source], { client });
    t.equal(r.code, 2);
    t.match(r.stderr, /AUDIT_UNKNOWN_DEVICE: no device 'rtr-nowhere' in \/netsidecar\/syslog; known: 2001_db8__1, rtr-osa-2, rtr-tyo-1/);
    t.equal(r.stdout, '', 'nothing on stdout');
  }
});

t.test('an inverted or empty range: exit 2', async (t) => {
  const r = await runAudit(['logs', '--service', 'syslog', '--from', '2026-03-05', '--to', '2026-03-01', ...file]);
  t.equal(r.code, 2);
  t.match(r.stderr, /AUDIT_RANGE_INVERTED: --from 2026-03-05T00:00:00.000Z is not before --to 2026-03-01T00:00:00.000Z/);
  const same = await runAudit(['logs', '--service', 'syslog', '--from', '2026-03-05', '--to', '2026-03-05', ...file]);
  t.equal(same.code, 2);
  const noZone = await runAudit(['logs', '--service', 'syslog', '--from', '2026-03-05T10:00', '--to', 'now', ...file]);
  t.equal(noZone.code, 2);
  t.match(noZone.stderr, /AUDIT_USAGE: --from '2026-03-05T10:00' is not a time/);
});

t.test('a range beyond retention (30 days): exit 2, before any event is read', async (t) => {
  const before = fake.calls('FilterLogEvents').length;
  const r = await runAudit(['logs', '--service', 'syslog', '--from', '2026-01-01', '--to', '2026-03-01', '--source', 'cloudwatch'], { client });
  t.equal(r.code, 2);
  t.match(r.stderr, /AUDIT_BEYOND_RETENTION: \/netsidecar\/syslog keeps 30 days: events before 2026-02-08T00:00:00.000Z have expired/);
  t.equal(fake.calls('FilterLogEvents').length, before);
});

t.test('throttling is retried with backoff, and its exhaustion is exit 1', async (t) => {
  fake.fault('FilterLogEvents', { kind: 'throttle' }, { kind: 'throttle' });
  const ok = await runAudit(['logs', '--service', 'syslog', '--device', 'rtr-osa-2', '--from', '2026-03-01', '--to', '2026-03-02', '--source', 'cloudwatch'], {
    client,
  });
  t.equal(ok.code, 0, ok.stderr);
  t.equal(ok.stdout.split('\n').length - 1, 24, 'every event despite two throttles');
  t.same(ok.sleeps, [100, 200], 'full jitter (random 0.5) of 200 ms, 400 ms');

  fake.outage('FilterLogEvents', 'throttle');
  t.teardown(() => fake.outage('FilterLogEvents', null));
  const out = join(dir, 'export.jsonl');
  const bad = await runAudit(['logs', '--service', 'syslog', '--from', '2026-03-01', '--to', '2026-03-02', '--out', out, '--source', 'cloudwatch'], {
    client,
    maxAttempts: 3,
  });
  t.equal(bad.code, 1);
  t.match(bad.stderr, /AUDIT_THROTTLED: FilterLogEvents still failing with ThrottlingException after 3 attempts/);
  t.notOk(
    (await readdir(dir)).some((n) => n.startsWith('export.jsonl')),
    'no file, not even a partial one',
  );
});

t.test('missing credentials: exit 2 with a clear message (SDK chain, no network)', async (t) => {
  const saved = { ...process.env };
  t.teardown(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true', // never ask 169.254.169.254
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_CONFIG_FILE: join(dir, 'none'),
  });
  const before = fake.calls().length;
  const r = await runAudit(['logs', '--service', 'syslog', '--source', 'cloudwatch'], { client: () => new CloudWatchLogsClient({ maxAttempts: 1 }) });
  t.equal(r.code, 2);
  t.match(r.stderr, /AUDIT_NO_CREDENTIALS: no AWS credentials found/);
  t.equal(fake.calls().length, before, 'no call was made');
  delete process.env['AWS_REGION'];
  const noRegion = await runAudit(['logs', '--service', 'syslog', '--source', 'cloudwatch'], { client: () => new CloudWatchLogsClient({ maxAttempts: 1 }) });
  t.equal(noRegion.code, 2);
  t.match(noRegion.stderr, /AUDIT_NO_REGION/);
});

t.test('a missing log group or data dir, a bad option, an unknown command', async (t) => {
  const env = { NETSIDECAR_LOG_GROUP_PREFIX: '/elsewhere' };
  const r = await runAudit(['logs', '--service', 'config', ...file], { env });
  t.equal(r.code, 2);
  t.match(r.stderr, /AUDIT_NO_LOG_GROUP: no file sink folder .*elsewhere\/config/);
  const cw = await runAudit(['logs', '--service', 'scan', '--source', 'cloudwatch'], { client, env });
  t.equal(cw.code, 2);
  t.match(cw.stderr, /AUDIT_NO_LOG_GROUP: log group \/elsewhere\/scan does not exist/);
  const none = await runAudit(['evidence', '--from', '2026-03-01', '--to', '2026-03-02', '--out', join(dir, 'nothing'), ...file], { env });
  t.equal(none.code, 2);
  t.match(none.stderr, /AUDIT_NO_LOG_GROUP: none of the log groups exists/);
  t.notOk(
    (await readdir(dir)).some((n) => n.includes('nothing')),
    'no bundle, no partial directory',
  );
  t.match((await runAudit(['logs', '--service', 'syslog', '--format', 'xml', ...file])).stderr, /AUDIT_USAGE: --format 'xml' is not one of jsonl, csv/);
  t.equal((await runAudit(['logz'])).code, 2);
  t.match((await runAudit(['logs', '--service', 'syslog', '--insights', ...file])).stderr, /AUDIT_USAGE: --insights reads CloudWatch Logs/);
  t.equal((await runAudit(['logs', '--bogus'])).code, 2);
  t.equal((await runAudit(['logs', '--service', 'syslog', ...file], { env: { NETSIDECAR_DATA_DIRR: 'x' } })).code, 2);
});

t.test('every error code is documented in the README, and the help lists every command', async (t) => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  for (const code of Object.keys(auditErrors)) t.match(readme, code, `${code} documented`);
  const help = await runAudit(['--help']);
  t.equal(help.code, 0);
  for (const command of ['logs', 'evidence', 'silence']) t.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
});
