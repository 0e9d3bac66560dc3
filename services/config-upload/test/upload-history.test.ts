// Versions, change detection, diffs, drift against the intended config, and the auditors' read API.
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tagger } from '@netsidecar/config-upload';
import { curl, redactionKey, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;
const auditor = `${users.auditor.name}:${users.auditor.password}`;

const ios = (opts: { changeAt: string; by: string; secret: string; shutdown?: boolean }) =>
  [
    'Building configuration...',
    '',
    `Current configuration : ${1000 + opts.changeAt.length} bytes`,
    '!',
    `! Last configuration change at ${opts.changeAt} by ${opts.by}`,
    '!',
    'version 17.9',
    'hostname rtr-hist-1',
    `enable secret 0 ${opts.secret}`,
    'ntp clock-period 17179' + String(opts.changeAt.length),
    'interface GigabitEthernet0/1',
    ' description uplink',
    ...(opts.shutdown ? [' shutdown'] : []),
    'end',
    '',
  ].join('\r\n');

t.test('changes, volatile lines, rotated secrets, drift and the read API', async (t) => {
  const intendedDir = await mkdtemp(join(tmpdir(), 'netsidecar-intended-'));
  t.teardown(() => rm(intendedDir, { recursive: true, force: true }));
  // The intended config from Git holds no live secret, only a placeholder: drift masks secret values on both sides.
  const intendedV1 = 'version 17.9\nhostname rtr-hist-1\nenable secret 0 PlantGitPlaceholder\ninterface GigabitEthernet0/1\n description uplink\nend\n';
  await writeFile(join(intendedDir, 'rtr-hist-1.cfg'), intendedV1);
  let now = Date.parse('2026-11-22T23:00:00.000Z');
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir }, { now: () => now });
  const put = (body: string, name = 'rtr-hist-1') =>
    curl(['--data-binary', body, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`]);

  let r = await put(ios({ changeAt: '22:58:01 UTC Sun Nov 22 2026', by: 'alice', secret: 'PlantHistOne' }));
  t.same(
    r.json,
    { device: 'rtr-hist-1', version: 1, sha256: r.json?.sha256, changed: true, drift: false, redactions: 1 },
    'v1 matches Git but for the secret value',
  );
  t.match(r.json?.sha256, /^[0-9a-f]{64}$/);

  now += 60_000;
  r = await put(ios({ changeAt: '23:10:00 UTC Sun Nov 22 2026', by: 'bob', secret: 'PlantHistOne' }));
  t.match(r.json, { version: 2, changed: false, drift: false }, 'only volatile lines moved: not a change');

  now += 60_000;
  r = await put(ios({ changeAt: '23:20:00 UTC Sun Nov 22 2026', by: 'carol', secret: 'PlantHistTwo' }));
  t.match(r.json, { version: 3, changed: true, drift: false }, 'a rotated secret is a change, and no drift from Git');

  now += 60_000;
  r = await put(ios({ changeAt: '23:30:00 UTC Sun Nov 22 2026', by: 'dave', secret: 'PlantHistTwo', shutdown: true }));
  t.match(r.json, { version: 4, changed: true, drift: true });

  r = await put('hostname rtr-nogit-1\nend\n', 'rtr-nogit-1');
  t.match(r.json, { device: 'rtr-nogit-1', drift: null }, 'no intended config: drift null');

  const events = (await up.events('rtr-hist-1')).slice(0, 4);
  t.equal(events.length, 4);
  const tagger = new Tagger(Buffer.from(redactionKey));
  const [e1, e2, e3, e4] = events as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
  t.match(e1, { who: 'alice', when: '2026-11-22T22:58:01.000Z', changed: true, diff: null, driftStatus: 'in_sync', driftDiff: null, previousSha256: null });
  t.match(e2, { who: 'bob', changed: false, diff: null, previousSha256: e1.sha256, previousVersion: 1 });
  t.not(e2.sha256, e1.sha256, 'the stored text differs (volatile lines)');
  t.equal(e2.sha256Normalized, e1.sha256Normalized, 'the normalised text does not');
  t.match(e3, { who: 'carol', changed: true, diffAdded: 1, diffRemoved: 1, driftStatus: 'in_sync', driftDiff: null });
  t.match(e3.diff, `-enable secret 0 ${tagger.tag('PlantHistOne')}\n+enable secret 0 ${tagger.tag('PlantHistTwo')}`);
  t.match(e3.diff, /^--- rtr-hist-1 v2\n\+\+\+ rtr-hist-1 v3\n@@ /);
  t.notMatch(e3.diff, /Last configuration change|clock-period|\r/, 'volatile lines and CRs stay out of diffs');
  t.match(e4.diff, /\n\+ shutdown\n/);
  t.match(e4, { driftStatus: 'drifted', drift: true });
  t.equal(
    e4.driftDiff,
    '--- rtr-hist-1 intended\n+++ rtr-hist-1 v4\n@@ -3,4 +3,5 @@\n enable secret 0 <secret>\n interface GigabitEthernet0/1\n  description uplink\n+ shutdown\n end\n',
    'the drift diff shows the change, and the secret line only masked',
  );
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  t.equal(e1.intendedSha256, sha256(intendedV1.replace('PlantGitPlaceholder', '<secret>')), 'intendedSha256: of the masked, normalised intended text');
  t.equal(e4.intendedSha256, e1.intendedSha256);

  // The read API gives the latest version's drift, as recorded at its upload.
  const base = `http://${auditor}@127.0.0.1:${up.service.port}/api`;
  let drift = await curl([`${base}/devices/rtr-hist-1/drift`]);
  t.equal(drift.status, 200);
  t.match(drift.headers, /content-type: application\/json/i);
  t.same(drift.json, {
    device: 'rtr-hist-1',
    version: 4,
    receivedAt: '2026-11-22T23:03:00.000Z',
    drift: true,
    driftStatus: 'drifted',
    intendedSha256: e4.intendedSha256,
    driftDiff: e4.driftDiff,
  });

  // Git moves on: the intended config now has the shutdown (and yet another secret); the next upload is in sync.
  await writeFile(
    join(intendedDir, 'rtr-hist-1.cfg'),
    'version 17.9\nhostname rtr-hist-1\nenable secret 0 PlantGitOther\ninterface GigabitEthernet0/1\n description uplink\n shutdown\nend\n',
  );
  r = await put(ios({ changeAt: '23:40:00 UTC Sun Nov 22 2026', by: 'erin', secret: 'PlantHistTwo', shutdown: true }));
  t.match(r.json, { version: 5, changed: false, drift: false }, 'the changed intended file is read again');
  drift = await curl([`${base}/devices/rtr-hist-1/drift`]);
  t.match(drift.json, { version: 5, drift: false, driftStatus: 'in_sync', driftDiff: null });
  t.not((drift.json as { intendedSha256: string }).intendedSha256, e4.intendedSha256);
  t.match((await curl([`${base}/devices/rtr-nogit-1/drift`])).json, {
    device: 'rtr-nogit-1',
    version: 1,
    drift: null,
    driftStatus: 'no_intended',
    intendedSha256: null,
    driftDiff: null,
  });
  t.match(await curl([`${base}/devices/rtr-never-1/drift`]), { status: 404, json: { error: 'not_found' } });
  t.match(await curl([`http://${users.labReader.name}:${users.labReader.password}@127.0.0.1:${up.service.port}/api/devices/rtr-hist-1/drift`]), {
    status: 403,
    json: { error: 'device_not_allowed' },
  });
  t.match(await curl([`http://${router}@127.0.0.1:${up.service.port}/api/devices/rtr-hist-1/drift`]), { status: 403, json: { error: 'role_not_allowed' } });
  t.match(await curl([`http://127.0.0.1:${up.service.port}/api/devices/rtr-hist-1/drift`]), { status: 401 });

  // The rest of the read API.
  now += 3_600_000;
  const devices = await curl([`${base}/devices`]);
  t.equal(devices.status, 200);
  t.match(JSON.parse(devices.body), [
    { device: 'rtr-hist-1', vendor: 'cisco-ios', version: 5, lastUploadAt: '2026-11-22T23:03:00.000Z', ageSeconds: 3600, drift: false, driftStatus: 'in_sync' },
    { device: 'rtr-nogit-1', version: 1, drift: null, driftStatus: 'no_intended' },
  ]);
  const versions = await curl([`${base}/devices/rtr-hist-1/versions`]);
  t.match(JSON.parse(versions.body), [
    {
      version: 1,
      who: 'alice',
      when: '2026-11-22T22:58:01.000Z',
      whenRaw: '22:58:01 UTC Sun Nov 22 2026',
      whenZone: 'explicit',
      changed: true,
      principal: users.router.name,
    },
    { version: 2, who: 'bob', changed: false },
    { version: 3, who: 'carol', changed: true },
    { version: 4, who: 'dave', changed: true },
    { version: 5, who: 'erin', changed: false, drift: false },
  ]);
  const v3 = await curl([`${base}/devices/rtr-hist-1/versions/3`]);
  t.equal(v3.status, 200);
  t.match(v3.headers, /content-type: text\/plain/i);
  t.match(v3.body, `enable secret 0 ${tagger.tag('PlantHistTwo')}`);
  const diff = await curl([`${base}/devices/rtr-hist-1/diff?from=1&to=4`]);
  t.match(diff.body, /^--- rtr-hist-1 v1\n\+\+\+ rtr-hist-1 v4\n/);
  t.match(diff.body, /\+ shutdown/);
  t.match(await curl([`${base}/devices/rtr-hist-1/versions/9`]), { status: 404, json: { error: 'not_found' } });
  t.match(await curl([`${base}/devices/rtr-hist-1/diff?from=1`]), { status: 400, json: { error: 'bad_request' } });
  t.match(await curl([`${base}/devices/..%2Fetc/versions`]), { status: 400, json: { error: 'invalid_device' } });
  t.match(await curl([`http://127.0.0.1:${up.service.port}/api/devices`]), { status: 401 });
  const everything = devices.body + versions.body + v3.body + diff.body + drift.body + (await up.everythingWritten()) + up.logText();
  t.notOk(/Plant/.test(everything), 'no planted secret in the API, the store, the events or the logs');
});

t.test('a reader only sees the devices of its globs', async (t) => {
  const up = await startTestUpload(t);
  await curl([
    '--data-binary',
    'hostname lab-1\nend\n',
    '-H',
    'Content-Type: text/plain',
    `http://${users.lab.name}:${users.lab.password}@127.0.0.1:${up.service.port}/configs/lab-1`,
  ]);
  await curl(['--data-binary', 'hostname rtr-x-1\nend\n', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-x-1`]);
  const all = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices`]);
  t.same(
    (JSON.parse(all.body) as { device: string }[]).map((d) => d.device),
    ['lab-1', 'rtr-x-1'],
  );
});

t.test('drift is secrets-blind: other secret values are in sync, a real change drifts with no value in its diff', async (t) => {
  const intendedDir = await mkdtemp(join(tmpdir(), 'netsidecar-intended-'));
  t.teardown(() => rm(intendedDir, { recursive: true, force: true }));
  const config = (secrets: { enable: string; user: string; community: string; tacacs: string }, extra: string[] = []) =>
    [
      'hostname rtr-blind-1',
      `enable secret 9 ${secrets.enable}`,
      `username ops privilege 15 secret 0 ${secrets.user}`,
      `snmp-server community ${secrets.community} RO`,
      'tacacs server TAC1',
      ' address ipv4 10.0.0.20',
      ` key 7 ${secrets.tacacs}`,
      ...extra,
      'interface GigabitEthernet0/1',
      ' description uplink',
      'end',
      '',
    ].join('\n');
  const git = { enable: '$9$PlantGitEnableA$PlantGitEnableB', user: 'PlantGitUser', community: 'PlantGitCommunity', tacacs: 'PlantGitTacacs' };
  const live = { enable: '$9$PlantLiveEnableA$PlantLiveEnableB', user: 'PlantLiveUser', community: 'PlantLiveCommunity', tacacs: 'PlantLiveTacacs' };
  await writeFile(join(intendedDir, 'rtr-blind-1'), config(git));
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir });
  const put = (body: string) =>
    curl(['--data-binary', body, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-blind-1.cfg`]);

  let r = await put(config(live));
  t.match(r.json, { device: 'rtr-blind-1', version: 1, drift: false, redactions: 4 }, 'identical but for the secret values: in sync');
  r = await put(config(live, ['logging host 10.0.0.99']));
  t.match(r.json, { version: 2, changed: true, drift: true }, 'a real change drifts');
  r = await put(config({ ...live, community: 'PlantLiveRotated' }, ['logging host 10.0.0.99']));
  t.match(r.json, { version: 3, changed: true, drift: true }, 'a rotated secret is a change; still drifted for the logging host only');

  const [e1, e2, e3] = (await up.events('rtr-blind-1')) as [Record<string, any>, Record<string, any>, Record<string, any>];
  t.match(e1, { driftStatus: 'in_sync', driftDiff: null });
  t.match(e2.driftDiff, /^\+logging host 10\.0\.0\.99$/m);
  t.equal(e2.diffAdded, 1);
  t.equal(e3.driftDiff.replace('v3', 'v2'), e2.driftDiff, 'the rotated secret makes no difference to the drift diff');
  for (const e of [e2, e3]) {
    t.notMatch(e.driftDiff, /<redacted:|Plant/, 'no tag and no value in the drift diff');
    t.match(e.driftDiff, /^ {2}key 7 <secret>$/m, 'secret lines in context are masked');
  }
  t.match(e3.diff, /^-snmp-server community <redacted:[0-9a-f]{8}> RO\n\+snmp-server community <redacted:[0-9a-f]{8}> RO$/m, 'the version diff keeps its tags');
  const api = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-blind-1/drift`]);
  t.match(api.json, { version: 3, driftStatus: 'drifted', driftDiff: e3.driftDiff });
  t.notOk(/Plant/.test(api.body + (await up.everythingWritten()) + up.logText()), 'no planted secret anywhere');
});

t.test('versions stored before whenZone and drift diffs were kept still load', async (t) => {
  // The files below are written behind the running service. The file store's cache is the truth for
  // the one task that writes it, and the stale backup check's first run (at start) fills it: were it
  // to list this device between the mkdir and the writes, it would remember "no version". So no
  // check runs here (timers that never fire); stale-backups.test.ts tests the check.
  const up = await startTestUpload(t, {}, { timers: { setTimeout: () => undefined, clearTimeout: () => {} } });
  const dir = join(up.dataDir, 'config-upload', 'store', 'rtr-legacy-1');
  await mkdir(dir, { recursive: true });
  const legacy = (version: number, when: string | null) => ({
    device: 'rtr-legacy-1',
    version,
    uploadId: `legacy-${version}`,
    receivedAt: '2026-01-01T00:00:00.000Z',
    vendor: 'cisco-ios',
    sha256: 'a'.repeat(64),
    sha256Original: 'b'.repeat(64),
    sha256Normalized: 'c'.repeat(64),
    changed: true,
    who: 'old',
    when,
    principal: users.router.name,
    sourceIp: '10.0.0.5',
    drift: true,
    driftStatus: 'drifted',
    redactions: 0,
  });
  for (const [version, when] of [
    [1, '2025-12-31T23:00:00.000Z'],
    [2, null],
  ] as const) {
    await writeFile(join(dir, `0000000${version}.cfg`), 'hostname rtr-legacy-1\nend\n');
    await writeFile(join(dir, `0000000${version}.json`), JSON.stringify(legacy(version, when)));
  }
  const base = `http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-legacy-1`;
  const versions = await curl([`${base}/versions`]);
  t.equal(versions.status, 200);
  t.match(versions.json, [
    { version: 1, when: '2025-12-31T23:00:00.000Z', whenRaw: null, whenZone: 'explicit', complianceFailed: null },
    { version: 2, when: null, whenRaw: null, whenZone: null, complianceFailed: null },
  ]);
  t.same((await curl([`${base}/drift`])).json, {
    device: 'rtr-legacy-1',
    version: 2,
    receivedAt: '2026-01-01T00:00:00.000Z',
    drift: true,
    driftStatus: 'drifted',
    intendedSha256: null,
    driftDiff: null,
  });
  const r = await curl([
    '--data-binary',
    'hostname rtr-legacy-1\nend\n',
    '-H',
    'Content-Type: text/plain',
    `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-legacy-1`,
  ]);
  t.match(r.json, { device: 'rtr-legacy-1', version: 3 }, 'the history goes on');
  t.match((await up.events('rtr-legacy-1'))[0], { previousVersion: 2, previousSha256: 'a'.repeat(64) });
});
