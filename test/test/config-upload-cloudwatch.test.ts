// The config upload service with the CloudWatch sink, against the wire-level CloudWatch Logs test
// server: uploads through curl reach /netsidecar/config, one stream per device, a 1 MB config as
// config/1 plus config-part/1 events that reassemble, no planted secret anywhere; and the Logs
// Insights queries of services/config-upload/README.md, read from the README itself, answer
// "every change of router X" and "which routers drift from Git now" over those events.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashPassword } from '@netsidecar/config-upload';
import { runInsightsQuery, startFakeCloudWatchLogs, type InsightsEvent } from '@netsidecar/test-support';
import { eventually } from '@netsidecar/test-support/eventually';
import { repoRoot, spawnService } from './support/spawn-service.js';

const curl = (args: string[]) =>
  new Promise<{ status: number; body: string }>((resolve, reject) =>
    execFile('curl', ['-sS', '-w', '\n%{http_code}', ...args], { maxBuffer: 8 * 1024 * 1024 }, (err: Error | null, stdout: string) => {
      if (err) return reject(err);
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    }),
  );

const until = (predicate: () => boolean, what: string) => eventually(predicate, { timeoutMs: 30_000, intervalMs: 25, what });

/** The fenced code block that follows `heading` in the README. */
function queryAfter(readme: string, heading: string): string {
  const at = readme.indexOf(heading);
  const start = readme.indexOf('```\n', at) + 4;
  return readme.slice(start, readme.indexOf('```', start)).trim();
}

const ios = (host: string, secret: string, extra: string[] = []) =>
  [
    `! Last configuration change at 22:58:01 UTC Sun Nov 22 2026 by ops`,
    'version 17.9',
    `hostname ${host}`,
    `enable secret 0 ${secret}`,
    'snmp-server community PlantCwCommunity RO',
    ...extra,
    'end',
    '',
  ].join('\n');

t.test('uploads reach CloudWatch Logs and the README queries answer the audit questions', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  const work = await mkdtemp(join(tmpdir(), 'netsidecar-upload-cw-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const up = await hashPassword('Cw-Upl0ad');
  const rd = await hashPassword('Cw-Re4d');
  await writeFile(join(work, 'users'), `rtr:scrypt:${up.salt}:${up.hash}:rtr-*\naudit:scrypt:${rd.salt}:${rd.hash}:*:read\n`);
  await writeFile(join(work, 'key'), 'cloudwatch-test-redaction-key');
  await writeFile(join(work, 'rtr-cw-1.cfg'), ios('rtr-cw-1', 'PlantCwOne'));
  const fakeCloudWatch = fake.endpoint;
  const service = await spawnService(t, 'services/config-upload/src/main.ts', {
    NETSIDECAR_SINK: 'cloudwatch',
    NETSIDECAR_SINK_FLUSH_INTERVAL: '100ms',
    NETSIDECAR_EMF_INTERVAL: '60s',
    NETSIDECAR_UPLOAD_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_UPLOAD_PORT: '0',
    NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
    NETSIDECAR_UPLOAD_USERS_FILE: join(work, 'users'),
    NETSIDECAR_UPLOAD_REDACTION_KEY_FILE: join(work, 'key'),
    NETSIDECAR_UPLOAD_INTENDED_DIR: work,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDNETSIDECARTEST',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fakeCloudWatch,
  });
  const { port } = (await service.waitForLog('config upload listening')) as { port: number };
  const put = async (device: string, body: Buffer | string, extra: string[] = []) => {
    const file = join(work, `body-${device}-${Date.now()}`);
    await writeFile(file, body);
    return curl(['-T', file, ...extra, `http://rtr:Cw-Upl0ad@127.0.0.1:${port}/configs/${device}`]);
  };

  t.match(JSON.parse((await put('rtr-cw-1', ios('rtr-cw-1', 'PlantCwOne'))).body), { version: 1, changed: true, drift: false });
  // A rotated secret alone is a change but not drift (drift masks secret values); the logging host is drift.
  t.match(JSON.parse((await put('rtr-cw-1', ios('rtr-cw-1', 'PlantCwTwo', ['logging host 10.0.0.9']))).body), { version: 2, changed: true, drift: true });
  t.match(JSON.parse((await put('rtr-cw-2', ios('rtr-cw-2', 'PlantCwThree'))).body), { version: 1, drift: null });
  const interfaces = Array.from(
    { length: 12000 },
    (_, i) => `interface Gi1/0/${i}\n description port ${i} of the big one\n standby 1 authentication text PlantCwHsrp${i}\n!`,
  );
  const big = ios('rtr-cw-3', 'PlantCwBig', interfaces);
  t.ok(big.length > 1_000_000);
  const bigAnswer = await put('rtr-cw-3_juniper.conf.gz_20261122_225801', gzipSync(big), ['-H', 'Content-Encoding: gzip']);
  t.match(JSON.parse(bigAnswer.body), { device: 'rtr-cw-3', version: 1 });

  const group = '/netsidecar/config';
  const all = () => fake.streams(group).flatMap(({ logStream }) => fake.events(group, logStream).map((e) => ({ ...e, logStream, logGroup: group })));
  const mainEvents = () => all().filter((e) => e.message.includes('"schema":"config/1"'));
  await until(() => mainEvents().length === 4, 'four config/1 events in CloudWatch');
  const bigMain = JSON.parse(mainEvents().find((e) => e.logStream === 'rtr-cw-3')!.message) as {
    uploadId: string;
    parts: number;
    configBytes: number;
    detached: string[];
  };
  await until(() => all().filter((e) => e.message.includes(bigMain.uploadId)).length === 1 + bigMain.parts, 'every part in CloudWatch');
  t.same(
    fake.streams(group).map((s) => s.logStream),
    ['rtr-cw-1', 'rtr-cw-2', 'rtr-cw-3'],
    'one stream per device',
  );
  t.same(bigMain.detached, ['config']);
  for (const e of all()) t.ok(Buffer.byteLength(e.message) <= 250_000, 'every event within 250,000 bytes');
  t.notOk(
    all().some((e) => /Plant/.test(e.message)),
    'no planted secret reached CloudWatch',
  );

  // The README's queries, as written there (device, year and upload id substituted).
  const readme = await readFile(join(repoRoot, 'services/config-upload/README.md'), 'utf8');
  const events: InsightsEvent[] = all();
  const year = new Date().getUTCFullYear();
  const changes = queryAfter(readme, 'Every change of router X in 2026').replace('"rtr-tyo-1"', '"rtr-cw-1"').replace('/^2026-/', `/^${year}-/`);
  const changeRows = runInsightsQuery(changes, events).records;
  t.same(
    changeRows.map((r) => r.version),
    ['1', '2'],
    'every change of rtr-cw-1, in order',
  );
  t.match(changeRows[1]!.diff, /^--- rtr-cw-1 v1\n\+\+\+ rtr-cw-1 v2\n/);
  t.equal(changeRows[1]!.who, 'ops');

  const drift = queryAfter(readme, 'Which routers drift from Git now');
  t.same(
    runInsightsQuery(drift, events).records.map((r) => r.device),
    ['rtr-cw-1'],
    'only rtr-cw-1 drifts (rtr-cw-2 and -3 have no intended config)',
  );

  const partsQuery = queryAfter(readme, 'A detached field back').replace('3f1c2a9e-0b7d-4a7e-9d6e-51a2b9c0d4e1', bigMain.uploadId);
  const parts = runInsightsQuery(partsQuery, events).records;
  t.equal(parts.length, bigMain.parts);
  const config = parts.map((p) => p.data).join('');
  t.equal(Buffer.byteLength(config), bigMain.configBytes, 'the parts reassemble to the whole config');
  const stored = await curl([`http://audit:Cw-Re4d@127.0.0.1:${port}/api/devices/rtr-cw-3/versions/1`]);
  t.equal(config, stored.body, 'and equal the stored version');

  t.equal(await service.stop('SIGTERM'), 0);
  t.notOk(/Plant|Cw-Upl0ad|Cw-Re4d/.test(service.stderr()), 'no secret in the operational log');
});
