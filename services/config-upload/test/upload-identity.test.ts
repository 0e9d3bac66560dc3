// Which history an upload joins, and its who/when, through the real service with curl: config
// extensions never split a device's history, a principal bound to one router always writes that
// router's history, and local time stamps are read with the zone the configuration declares.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { curl, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;
const solo = `${users.solo.name}:${users.solo.password}`;
const auditor = `${users.auditor.name}:${users.auditor.password}`;

t.test('every config extension, with .gz on top, is stripped from the device name', async (t) => {
  const intendedDir = await mkdtemp(join(tmpdir(), 'netsidecar-intended-'));
  t.teardown(() => rm(intendedDir, { recursive: true, force: true }));
  // A Junos team keeps `set` files in Git: found under the device name with the same extensions.
  await writeFile(join(intendedDir, 'rtr-ext-1.set'), 'set system host-name rtr-ext-1\nset interfaces xe-0/0/0 description uplink\n');
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir });
  const names = [
    'rtr-ext-1.set',
    'rtr-ext-1.SET.GZ',
    'rtr-ext-1.conf',
    'rtr-ext-1.config',
    'rtr-ext-1.cfg.gz',
    'rtr-ext-1.txt',
    'rtr-ext-1.rsc',
    'rtr-ext-1.Cfg',
    'rtr-ext-1',
  ];
  for (const [i, name] of names.entries()) {
    const text = `set system host-name rtr-ext-1\nset interfaces xe-0/0/${i} description uplink\n`;
    const body = /\.gz$/i.test(name) ? gzipSync(text) : Buffer.from(text);
    const r = await curl(
      ['--data-binary', '@-', '-H', 'Content-Type: application/octet-stream', `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`],
      body,
    );
    t.match(r, { status: 201, json: { device: 'rtr-ext-1', version: i + 1, drift: i !== 0 } }, name);
  }
  t.same(new Set((await up.storedFiles()).map((f) => f.split('/')[0])), new Set(['rtr-ext-1']), 'one history');
  const events = await up.events('rtr-ext-1');
  t.same(
    events.map((e) => e.deviceFrom),
    names.map(() => 'filename'),
  );
});

t.test('a PAN-OS export named .xml is the device without .xml, and its intended config may be .xml too', async (t) => {
  const intendedDir = await mkdtemp(join(tmpdir(), 'netsidecar-intended-'));
  t.teardown(() => rm(intendedDir, { recursive: true, force: true }));
  const panos = (hostname: string) =>
    `<?xml version="1.0"?>\n<config version="11.1.0">\n  <devices>\n    <entry name="localhost.localdomain">\n      <deviceconfig>\n        <system>\n          <hostname>${hostname}</hostname>\n        </system>\n      </deviceconfig>\n    </entry>\n  </devices>\n</config>\n`;
  await writeFile(join(intendedDir, 'fw-ext-1.xml'), panos('fw-ext-1'));
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir });
  const put = (name: string, body: Buffer) =>
    curl(['--data-binary', '@-', '-H', 'Content-Type: application/octet-stream', `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`], body);
  t.match(
    await put('fw-ext-1.xml', Buffer.from(panos('fw-ext-1'))),
    { status: 201, json: { device: 'fw-ext-1', version: 1, drift: false } },
    'fw-ext-1.xml, as its intended fw-ext-1.xml',
  );
  t.match(
    await put('fw-ext-1.XML.gz', gzipSync(panos('fw-ext-1-renamed'))),
    { status: 201, json: { device: 'fw-ext-1', version: 2, drift: true } },
    'case-insensitive, .gz on top',
  );
  t.same(new Set((await up.storedFiles()).map((f) => f.split('/')[0])), new Set(['fw-ext-1']), 'one history');
  const events = await up.events('fw-ext-1');
  t.same(
    events.map((e) => [e.vendor, e.deviceFrom, e.driftStatus]),
    [
      ['panos', 'filename', 'in_sync'],
      ['panos', 'filename', 'drifted'],
    ],
  );
});

t.test('a principal bound to one device never gets a second history from a filename', async (t) => {
  const up = await startTestUpload(t);
  const url = (name: string) => `http://${solo}@127.0.0.1:${up.service.port}/configs${name === '' ? '' : `/${name}`}`;
  const put = (name: string, userAgent = 'curl') =>
    curl([
      '--data-binary',
      `hostname rtr-solo-1\ninterface Loopback0\n description ${name || 'none'}\nend\n`,
      '-H',
      'Content-Type: text/plain',
      '-A',
      userAgent,
      url(name),
    ]);
  const same = [
    'rtr-solo-1',
    'rtr-solo-1.set',
    'rtr-solo-1.cfg.gz',
    'rtr-solo-1-3',
    'rtr-solo-1.cfg.7',
    'rtr-solo-1_running-config.txt',
    'rtr-solo-1-Nov-22-2026-22-58-01.123-UTC-4',
    '',
  ];
  let version = 0;
  for (const name of same) {
    const r = name.endsWith('.gz')
      ? await curl(['--data-binary', '@-', '-H', 'Content-Type: application/gzip', url(name)], gzipSync('hostname rtr-solo-1\nend\n'))
      : await put(name);
    t.match(r, { status: 201, json: { device: 'rtr-solo-1', version: ++version } }, `${name || '(no filename)'} is the bound device`);
  }
  for (const name of ['rtr-solo-2.cfg', 'rtr-solo-10', 'rtr-other-1.set', 'rtr-solo-1x']) {
    t.match(await put(name), { status: 403, json: { error: 'device_not_allowed' } }, `${name} names another device`);
  }
  t.same(new Set((await up.storedFiles()).map((f) => f.split('/')[0])), new Set(['rtr-solo-1']), 'one history');
  const events = await up.events('rtr-solo-1');
  t.equal(events.length, same.length);
  t.same(new Set(events.map((e) => e.deviceFrom)), new Set(['principal']), 'the binding decided');
  t.same(
    events.map((e) => (e.source as { filename: string | null }).filename),
    same.map((n) => (n === '' ? null : n)),
    'the filename as sent is kept',
  );

  // A principal of several devices still gets the device its filename names.
  const r = await curl([
    '--data-binary',
    'hostname rtr-solo-1-3\nend\n',
    '-H',
    'Content-Type: text/plain',
    `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-solo-1-3`,
  ]);
  t.match(r.json, { device: 'rtr-solo-1-3', version: 1 }, 'not bound: rtr-solo-1-3 is its own device');
});

t.test('who/when: local stamps converted with the declared zone, and whenZone in events and the read API', async (t) => {
  const up = await startTestUpload(t);
  const put = (name: string, body: string, userAgent = 'curl/8') =>
    curl(['--data-binary', body, '-H', 'Content-Type: text/plain', '-A', userAgent, `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`]);

  // IOS with a JST clock: before, `when` was null.
  const jst = [
    'Building configuration...',
    '!',
    '! Last configuration change at 07:58:01 JST Mon Nov 23 2026 by alice',
    '!',
    'hostname rtr-jst-1',
    'clock timezone JST 9 0',
    'end',
    '',
  ].join('\n');
  t.equal((await put('rtr-jst-1.cfg', jst)).status, 201);
  // The same router, no stamp in the text: the IOS archive file name's stamp, read with the same zone.
  const noStamp = jst.replace(/^! Last configuration change.*\n/m, '').replace('hostname', 'ip domain-name example.net\nhostname');
  t.equal((await put('rtr-jst-1-Nov-23-2026-08-10-00.000-JST-1', noStamp, 'Cisco-IOS/17.9')).status, 201);
  // MikroTik without a zone: the header read as UTC, and said so.
  t.equal((await put('mt-utc-1.rsc', '# 2026-11-22 22:58:01 by RouterOS 7.15.3\n/system identity\nset name=mt-utc-1\n')).status, 201);
  // Junos: a JST stamp and no zone declared, but the archive file name is UTC.
  t.equal(
    (await put('rtr-osa-2_juniper.conf_20261122_225805', '## Last commit: 2026-11-23 07:58:01 JST by jadmin\nsystem {\n    host-name rtr-osa-2;\n}\n')).status,
    201,
  );
  // Nothing to go on.
  t.equal((await put('rtr-none-1', '! Last configuration change at 07:58:01 JST Mon Nov 23 2026 by bob\nhostname rtr-none-1\nend\n')).status, 201);

  const event = async (device: string, index = 0) => (await up.events(device))[index] as Record<string, unknown>;
  t.match(await event('rtr-jst-1'), { who: 'alice', when: '2026-11-22T22:58:01.000Z', whenRaw: '07:58:01 JST Mon Nov 23 2026', whenZone: 'declared' });
  t.match(await event('rtr-jst-1', 1), { who: null, when: '2026-11-22T23:10:00.000Z', whenRaw: 'Nov-23-2026-08-10-00.000-JST', whenZone: 'declared' });
  t.match(await event('mt-utc-1'), { when: '2026-11-22T22:58:01.000Z', whenRaw: '2026-11-22 22:58:01', whenZone: 'assumed-utc' });
  t.match(
    await event('rtr-osa-2'),
    { who: 'jadmin', when: '2026-11-22T22:58:05.000Z', whenRaw: '20261122_225805', whenZone: 'explicit' },
    'the stamp that fixes the time wins',
  );
  t.match(await event('rtr-none-1'), { who: 'bob', when: null, whenRaw: '07:58:01 JST Mon Nov 23 2026', whenZone: null });

  const versions = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-jst-1/versions`]);
  t.match(versions.json, [
    { version: 1, who: 'alice', when: '2026-11-22T22:58:01.000Z', whenRaw: '07:58:01 JST Mon Nov 23 2026', whenZone: 'declared' },
    { version: 2, when: '2026-11-22T23:10:00.000Z', whenRaw: 'Nov-23-2026-08-10-00.000-JST', whenZone: 'declared' },
  ]);
  const none = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-none-1/versions`]);
  t.match(none.json, [{ when: null, whenRaw: '07:58:01 JST Mon Nov 23 2026', whenZone: null }]);
});
