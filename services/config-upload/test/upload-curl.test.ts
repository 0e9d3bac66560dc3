// curl doing what each router does, against the real service: Junos transfer-on-commit (PUT gzip,
// Basic auth in the URL), Cisco IOS archive (PUT raw, the server's IP in the Host header), Arista
// (PUT), MikroTik /tool fetch (POST), a script (multipart POST). Then the stored versions, the
// events, the logs, and that no planted secret is anywhere.
import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { curl, fixturesDir, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;
const fixture = (name: string) => readFile(join(fixturesDir, name), 'utf8');
const planted = (text: string) => [...new Set(text.match(/Plant[A-Za-z0-9]+/g) ?? [])];

t.test('each router upload is stored, emitted once, and every planted secret is gone', async (t) => {
  const up = await startTestUpload(t);
  const port = up.service.port;
  // Request bodies live outside the service's data dir, which is searched for secrets below.
  const work = await mkdtemp(join(tmpdir(), 'netsidecar-upload-bodies-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const all: string[] = [];

  // Junos: PUT, gzip body, user:pass@ in the URL, the transfer-on-commit file name.
  const junos = await fixture('junos.conf');
  all.push(...planted(junos));
  await writeFile(join(work, 'junos.gz'), gzipSync(junos));
  const junosName = 'rtr-osa-1-re0_juniper.conf.gz_20261122_225801';
  let r = await curl(['-T', join(work, 'junos.gz'), `http://${router}@127.0.0.1:${port}/configs/${junosName}`]);
  t.equal(r.status, 201, 'junos PUT gzip');
  t.match(r.json, { device: 'rtr-osa-1', version: 1, changed: true, drift: null });
  t.equal(r.json?.redactions, 11, 'url password, 9 $N$ values, 1 community');

  // Cisco IOS archive: raw PUT, Host is the server's IP, the $h-$t-N name, IOS's own user agent.
  const ios = await fixture('cisco-ios-archive.cfg');
  all.push(...planted(ios));
  await writeFile(join(work, 'ios.cfg'), ios);
  r = await curl([
    '-T',
    join(work, 'ios.cfg'),
    '-H',
    'Host: 10.20.0.80',
    '-A',
    'cisco-IOS',
    '-u',
    router,
    `http://127.0.0.1:${port}/configs/rtr-tyo-1-Nov-22-2026-22-58-01.123-UTC-0`,
  ]);
  t.equal(r.status, 201, 'cisco PUT raw');
  t.match(r.json, { device: 'rtr-tyo-1', version: 1 });

  // Cisco again with `path .../$h` only: the -N suffix is the archive counter.
  r = await curl(['-T', join(work, 'ios.cfg'), '-H', 'Host: 10.20.0.80', '-A', 'cisco-IOS', '-u', router, `http://127.0.0.1:${port}/configs/rtr-tyo-1-1`]);
  t.match(r.json, { device: 'rtr-tyo-1', version: 2, changed: false }, 'same config again: a version, not a change');

  // Arista: PUT of running-config.
  const eos = await fixture('arista-eos.cfg');
  all.push(...planted(eos));
  await writeFile(join(work, 'eos.cfg'), eos);
  r = await curl(['-T', join(work, 'eos.cfg'), `http://${router}@127.0.0.1:${port}/configs/sw-tyo-1.cfg`]);
  t.match(r.json, { device: 'sw-tyo-1', version: 1 }, 'arista PUT');

  // MikroTik /tool fetch http-method=post: form-urlencoded content type, raw body.
  const mt = await fixture('mikrotik.rsc');
  all.push(...planted(mt));
  await writeFile(join(work, 'mt.rsc'), mt);
  r = await curl(['--data-binary', `@${join(work, 'mt.rsc')}`, `http://${router}@127.0.0.1:${port}/configs/mt-tyo-1.rsc`]);
  t.match(r.json, { device: 'mt-tyo-1', version: 1 }, 'mikrotik POST');

  // A script: multipart POST, the device from the part's filename.
  const forti = await fixture('fortios.conf');
  all.push(...planted(forti));
  await writeFile(join(work, 'fw-tyo-1.conf'), forti);
  r = await curl(['-F', `config=@${join(work, 'fw-tyo-1.conf')}`, `http://${router}@127.0.0.1:${port}/configs`]);
  t.match(r.json, { device: 'fw-tyo-1', version: 1 }, 'multipart POST');

  for (const name of ['cisco-iosxr.cfg', 'cisco-nxos.cfg']) {
    const text = await fixture(name);
    all.push(...planted(text));
    await writeFile(join(work, name), text);
    const device = name === 'cisco-iosxr.cfg' ? 'xr-tyo-1' : 'nx-tyo-1';
    r = await curl(['-T', join(work, name), `http://${router}@127.0.0.1:${port}/configs/${device}-confg`]);
    t.match(r.json, { device, version: 1 }, name);
  }

  t.ok(all.length >= 80, `${all.length} planted secrets`);
  const written = await up.everythingWritten();
  const logs = up.logText();
  for (const secret of all) {
    t.notOk(written.includes(secret), `${secret} not stored nor emitted`);
    t.notOk(logs.includes(secret), `${secret} not logged`);
  }
  t.notOk(/Plant/.test(written + logs), 'no trace of any planted secret');
  t.notOk((written + logs).includes(users.router.password), 'the upload password is nowhere');

  const events = (await up.events()).filter((e) => e.schema === 'config/1');
  t.equal(events.length, 8, 'one config/1 event per upload');
  const junosEvent = (await up.events('rtr-osa-1'))[0]!;
  t.match(junosEvent, {
    schema: 'config/1',
    device: 'rtr-osa-1',
    deviceFrom: 'filename',
    vendor: 'junos',
    version: 1,
    who: 'jadmin',
    when: '2026-11-22T22:58:01.000Z',
    source: { method: 'PUT', filename: junosName, principal: users.router.name, gzip: true, ip: '127.0.0.1' },
    changed: true,
    driftStatus: 'no_intended',
    freeText: ['login message'],
  });
  // The README is the schema other people query against: every field of a real event is in it.
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## The event: `config/1`'), readme.indexOf('### Logs Insights queries'));
  for (const key of Object.keys(junosEvent)) t.ok(section.includes(`\`${key}\``) || section.includes(`\`${key}.`), `README documents ${key}`);
  for (const key of Object.keys(junosEvent.source as object)) t.ok(section.includes(`\`source.${key}\``), `README documents source.${key}`);
  t.match(junosEvent.config, /community <redacted:[0-9a-f]{8}> \{/);
  t.match(junosEvent.config, /community CUST-100 members/, 'a policy community is not a secret');
  const cisco = await up.events('rtr-tyo-1');
  t.match(cisco[0], { vendor: 'cisco-ios', who: 'netadmin', when: '2026-11-22T22:58:01.000Z', freeText: ['banner motd'] });
  t.match(cisco[1], { version: 2, changed: false, diff: null, previousSha256: cisco[0]!.sha256 });
  t.equal((cisco[0]!.source as { path: string }).path, '/configs/rtr-tyo-1-Nov-22-2026-22-58-01.123-UTC-0');
  t.same(
    (await up.storedFiles()).filter((f) => f.startsWith('rtr-tyo-1/')),
    ['rtr-tyo-1/00000001.cfg', 'rtr-tyo-1/00000001.json', 'rtr-tyo-1/00000002.cfg', 'rtr-tyo-1/00000002.json'],
  );
  const stored = up.logs.filter((l) => l.msg === 'config stored').length;
  t.equal(stored, 8, 'one log line per stored upload');
});

t.test('bound to :: (the default), IPv4 clients appear as plain IPv4 addresses', async (t) => {
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_BIND_ADDRESS: '::' });
  const body = ['--data-binary', 'hostname rtr-v6-1\nend\n', '-H', 'Content-Type: text/plain'];
  t.equal((await curl([...body, `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-v6-1`])).status, 201);
  const v6 = await curl([...body, `http://${router}@[::1]:${up.service.port}/configs/rtr-v6-1`]).catch(() => null);
  const events = await up.events('rtr-v6-1');
  t.equal((events[0]!.source as { ip: string }).ip, '127.0.0.1', 'not ::ffff:127.0.0.1');
  if (v6?.status === 201) t.equal((events[1]!.source as { ip: string }).ip, '::1');
});
