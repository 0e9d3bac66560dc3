// Versions, change detection, diffs, drift against the intended config, and the auditors' read API.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  // The intended config from Git, with the real secret: redacted with the same key, it compares equal.
  await writeFile(join(intendedDir, 'rtr-hist-1.cfg'), 'version 17.9\nhostname rtr-hist-1\nenable secret 0 PlantHistOne\ninterface GigabitEthernet0/1\n description uplink\nend\n');
  let now = Date.parse('2026-11-22T23:00:00.000Z');
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir }, { now: () => now });
  const put = (body: string, name = 'rtr-hist-1') => curl(['--data-binary', body, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`]);

  let r = await put(ios({ changeAt: '22:58:01 UTC Sun Nov 22 2026', by: 'alice', secret: 'PlantHistOne' }));
  t.same(r.json, { device: 'rtr-hist-1', version: 1, sha256: r.json?.sha256, changed: true, drift: false, redactions: 1 }, 'v1 matches Git');
  t.match(r.json?.sha256, /^[0-9a-f]{64}$/);

  now += 60_000;
  r = await put(ios({ changeAt: '23:10:00 UTC Sun Nov 22 2026', by: 'bob', secret: 'PlantHistOne' }));
  t.match(r.json, { version: 2, changed: false, drift: false }, 'only volatile lines moved: not a change');

  now += 60_000;
  r = await put(ios({ changeAt: '23:20:00 UTC Sun Nov 22 2026', by: 'carol', secret: 'PlantHistTwo' }));
  t.match(r.json, { version: 3, changed: true, drift: true }, 'a rotated secret is a change, and drifts from Git');

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
  t.match(e3, { who: 'carol', changed: true, diffAdded: 1, diffRemoved: 1, driftStatus: 'drifted' });
  t.match(e3.diff, `-enable secret 0 ${tagger.tag('PlantHistOne')}\n+enable secret 0 ${tagger.tag('PlantHistTwo')}`);
  t.match(e3.diff, /^--- rtr-hist-1 v2\n\+\+\+ rtr-hist-1 v3\n@@ /);
  t.notMatch(e3.diff, /Last configuration change|clock-period|\r/, 'volatile lines and CRs stay out of diffs');
  t.match(e4.diff, /\n\+ shutdown\n/);
  t.match(e4.driftDiff, /^--- rtr-hist-1 intended\n\+\+\+ rtr-hist-1 v4\n/);
  t.match(e4.driftDiff, /\+ shutdown/);
  t.equal(e4.intendedSha256, e1.sha256Normalized, 'the intended text normalises to what v1 was');

  // Git moves on: the intended config now has the shutdown and the new secret; the next upload is in sync.
  await writeFile(join(intendedDir, 'rtr-hist-1.cfg'), 'version 17.9\nhostname rtr-hist-1\nenable secret 0 PlantHistTwo\ninterface GigabitEthernet0/1\n description uplink\n shutdown\nend\n');
  r = await put(ios({ changeAt: '23:40:00 UTC Sun Nov 22 2026', by: 'erin', secret: 'PlantHistTwo', shutdown: true }));
  t.match(r.json, { version: 5, changed: false, drift: false }, 'the changed intended file is read again');

  // The read API.
  now += 3_600_000;
  const base = `http://${auditor}@127.0.0.1:${up.service.port}/api`;
  const devices = await curl([`${base}/devices`]);
  t.equal(devices.status, 200);
  t.match(JSON.parse(devices.body), [
    { device: 'rtr-hist-1', vendor: 'cisco-ios', version: 5, lastUploadAt: '2026-11-22T23:03:00.000Z', ageSeconds: 3600, drift: false, driftStatus: 'in_sync' },
    { device: 'rtr-nogit-1', version: 1, drift: null, driftStatus: 'no_intended' },
  ]);
  const versions = await curl([`${base}/devices/rtr-hist-1/versions`]);
  t.match(JSON.parse(versions.body), [
    { version: 1, who: 'alice', changed: true, principal: users.router.name },
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
  const everything = devices.body + versions.body + v3.body + diff.body + (await up.everythingWritten()) + up.logText();
  t.notOk(/Plant/.test(everything), 'no planted secret in the API, the store, the events or the logs');
});

t.test('a reader only sees the devices of its globs', async (t) => {
  const up = await startTestUpload(t);
  await curl(['--data-binary', 'hostname lab-1\nend\n', '-H', 'Content-Type: text/plain', `http://${users.lab.name}:${users.lab.password}@127.0.0.1:${up.service.port}/configs/lab-1`]);
  await curl(['--data-binary', 'hostname rtr-x-1\nend\n', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-x-1`]);
  const all = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices`]);
  t.same((JSON.parse(all.body) as { device: string }[]).map((d) => d.device), ['lab-1', 'rtr-x-1']);
});
