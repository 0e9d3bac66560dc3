// The small pieces: filename conventions, gzip detection, the users file, keyed tags, vendor
// detection, volatile lines, and the error table against the README.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError } from '@netsidecar/config';
import {
  checkFilename,
  decodeBody,
  detectVendor,
  deviceFromFilename,
  normalise,
  parseUsers,
  Tagger,
  uploadErrors,
  uploadVariables,
} from '@netsidecar/config-upload';
import { fixturesDir } from './support/harness.js';

t.test('device names from the senders filename conventions', async (t) => {
  t.match(deviceFromFilename('rtr-osa-1-re0_juniper.conf.gz_20261122_225801'), { device: 'rtr-osa-1', when: '2026-11-22T22:58:01.000Z' });
  t.match(deviceFromFilename('rtr-osa-1-re1_juniper.conf.3.gz_20261122_225801'), { device: 'rtr-osa-1' });
  t.match(deviceFromFilename('edge1_juniper.conf_20261122_000000'), { device: 'edge1', when: '2026-11-22T00:00:00.000Z' });
  t.match(deviceFromFilename('R4-Feb-20-2018-21-57-46.530-UTC-5'), { device: 'R4', when: null, whenRaw: 'Feb-20-2018-21-57-46.530-UTC' });
  t.match(deviceFromFilename('rtr-tyo-1-Jan-11-15-44-33.695-0'), { device: 'rtr-tyo-1' }, 'older IOS: no year');
  t.match(deviceFromFilename('rtr-tyo-1-3', { ciscoArchive: true }), { device: 'rtr-tyo-1' }, '$h-N from IOS');
  t.match(deviceFromFilename('rtr-tyo-1'), { device: 'rtr-tyo-1' }, 'from anyone else, digits are part of the name');
  t.match(deviceFromFilename('sw-tyo-1.cfg'), { device: 'sw-tyo-1' });
  t.match(deviceFromFilename('sw-tyo-1_running-config.txt'), { device: 'sw-tyo-1' });
  t.match(deviceFromFilename('mt-tyo-1.rsc'), { device: 'mt-tyo-1' });
  t.match(deviceFromFilename('fw-tyo-pa1.xml'), { device: 'fw-tyo-pa1' }, 'PAN-OS exports its configuration as XML');
  t.match(deviceFromFilename('rtr-1-confg'), { device: 'rtr-1' });
  t.match(deviceFromFilename('rtr-osa-1.set'), { device: 'rtr-osa-1' }, 'Junos set files');
  t.match(deviceFromFilename('rtr-osa-1.SET.GZ'), { device: 'rtr-osa-1' }, 'case-insensitive, .gz on top');
  t.match(deviceFromFilename('sw-tyo-1.config'), { device: 'sw-tyo-1' });
  t.match(deviceFromFilename('sw-tyo-1_running-config.txt.gz'), { device: 'sw-tyo-1' });
  for (const bad of ['../x', '..', '.', 'a/b', 'a\\b', 'a\0b', '/etc/passwd', 'C:evil', 'x'.repeat(300)]) {
    t.throws(() => checkFilename(bad), { code: 'invalid_filename' }, JSON.stringify(bad.slice(0, 20)));
  }
});

t.test('gzip by header, by name, by magic; limits on the decoded size', async (t) => {
  const text = 'hostname rtr-1\nend\n';
  const gz = gzipSync(text);
  t.match(decodeBody(gz, { maxBytes: 1024 }), { text, gzip: true, bytes: gz.length, decodedBytes: text.length });
  t.match(decodeBody(Buffer.from(text), { maxBytes: 1024 }), { text, gzip: false });
  t.throws(() => decodeBody(Buffer.from(text), { contentEncoding: 'gzip', maxBytes: 1024 }), { code: 'corrupt_gzip' }, 'declared gzip that is not');
  t.throws(() => decodeBody(Buffer.from(text), { filename: 'x.conf.gz_20261122_000000', maxBytes: 1024 }), { code: 'corrupt_gzip' }, 'a .gz name');
  t.match(decodeBody(gzipSync(gzipSync(text)), { contentEncoding: 'gzip', maxBytes: 1024 }), { text }, 'a .gz file sent with Content-Encoding: gzip');
  t.throws(() => decodeBody(gzipSync(gzipSync('a'.repeat(5000))), { maxBytes: 4096 }), { code: 'too_large' }, 'the limit holds for the inner layer');
  t.throws(() => decodeBody(gzipSync('a'.repeat(5000)), { maxBytes: 4096 }), { code: 'too_large' }, 'decoded beyond the limit');
  t.throws(() => decodeBody(Buffer.alloc(5000, 'a'), { maxBytes: 4096 }), { code: 'too_large' });
  t.throws(() => decodeBody(Buffer.alloc(0), { maxBytes: 4096 }), { code: 'empty_body' });
  t.throws(() => decodeBody(gzipSync(''), { maxBytes: 4096 }), { code: 'empty_body' });
  t.throws(() => decodeBody(Buffer.from('abc\0def'), { maxBytes: 4096 }), { code: 'binary_content' });
  t.match(decodeBody(Buffer.from('banner motd ^C caf\xe9 ^C\n', 'latin1'), { maxBytes: 4096 }).text, 'café', 'Latin-1 text is text');
  t.match(decodeBody(Buffer.from('banner motd ^C\u0003x\u0003\n'), { maxBytes: 4096 }).text, 'banner', 'IOS ^C delimiters are fine');
});

t.test('the users file', async (t) => {
  const hash = Buffer.alloc(32, 1).toString('base64');
  const users = parseUsers(
    `# comment\n\nrouter:scrypt:AAEC:${hash}:rtr-*,fw-?\nauditor:scrypt:AAEC:${hash}:*:read\nboth:scrypt:AAEC:${hash}:lab-*:upload,read\n`,
  );
  t.same([...users.keys()], ['router', 'auditor', 'both']);
  t.same([...users.get('router')!.roles], ['upload']);
  t.same([...users.get('both')!.roles], ['upload', 'read']);
  t.ok(users.get('router')!.devices.some((re) => re.test('fw-1')));
  t.notOk(users.get('router')!.devices.some((re) => re.test('fw-12')));
  t.notOk(
    users.get('router')!.devices.some((re) => re.test('xrtr-1')),
    'globs match the whole name',
  );
  const bad: [string, RegExp][] = [
    [`r:bcrypt:AAEC:${hash}:*`, /line 1: the only scheme/],
    [`r:scrypt:AAEC:c2hvcnQ=:*`, /32-byte hash/],
    [`r:scrypt:AAEC:${hash}:`, /device glob/],
    [`r:scrypt:AAEC:${hash}:*:admin`, /unknown role/],
    [`\nr:scrypt:AAEC:${hash}:*\nr:scrypt:AAEC:${hash}:*`, /line 3: principal listed twice/],
    ['r:scrypt:AAEC', /expected principal/],
  ];
  for (const [text, message] of bad) {
    let caught: unknown;
    try {
      parseUsers(text);
    } catch (err) {
      caught = err;
    }
    t.ok(caught instanceof ConfigError, String(message));
    t.match((caught as Error).message, message);
    t.notOk((caught as Error).message.includes(hash), 'the hash is never echoed');
  }
});

t.test('tags are keyed: the same secret, another key, another tag', async (t) => {
  const a = new Tagger(Buffer.from('key-one-0123456789'));
  const b = new Tagger(Buffer.from('key-two-0123456789'));
  t.match(a.tag('s3cret'), /^<redacted:[0-9a-f]{8}>$/);
  t.equal(a.tag('s3cret'), a.tag('s3cret'));
  t.not(a.tag('s3cret'), a.tag('s3cret2'));
  t.not(a.tag('s3cret'), b.tag('s3cret'));
  t.ok(Tagger.isTag(a.tag('x')));
});

t.test('vendors from the content of each fixture', async (t) => {
  const expected: Record<string, string> = {
    'cisco-ios-archive.cfg': 'cisco-ios',
    'cisco-iosxr.cfg': 'cisco-iosxr',
    'cisco-nxos.cfg': 'cisco-nxos',
    'junos.conf': 'junos',
    'arista-eos.cfg': 'arista-eos',
    'mikrotik.rsc': 'mikrotik',
    'fortios.conf': 'fortios',
  };
  for (const [file, vendor] of Object.entries(expected)) t.equal(detectVendor(await readFile(join(fixturesDir, file), 'utf8')), vendor, file);
  t.equal(detectVendor('just some text\n'), 'unknown');
});

t.test('volatile lines and their who/when', async (t) => {
  const n = normalise('! Last configuration change at 22:58:01 UTC Sun Nov 22 2026 by alice\r\n!\r\nhostname r1   \r\nntp clock-period 123\r\n\r\nend\r\n');
  t.same(n, { text: 'hostname r1\nend\n', who: 'alice', when: '2026-11-22T22:58:01.000Z', whenZone: 'explicit', whenRaw: '22:58:01 UTC Sun Nov 22 2026' });
  t.match(normalise('#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=fadmin\n#conf_file_ver=1\nconfig system global\nend\n'), {
    who: 'fadmin',
    text: 'config system global\nend\n',
  });
});

t.test('every error code is in the README table, with its status', async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  for (const [code, { status }] of Object.entries(uploadErrors)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| ${status} |`));
    t.ok(row?.includes(`\`${code}\``), `${code} documented under ${status}`);
  }
  for (const name of Object.keys(uploadVariables)) t.ok(readme.includes(`| \`${name}\` |`), `${name} documented`);
});

t.test('a missing intended directory stops the service at start', async (t) => {
  const { startTestUpload } = await import('./support/harness.js');
  await t.rejects(startTestUpload(t, { NETSIDECAR_UPLOAD_INTENDED_DIR: '/nonexistent/netsidecar-intended' }), {
    code: 'NETSIDECAR_ERR_CONFIG',
    variable: 'NETSIDECAR_UPLOAD_INTENDED_DIR',
  });
});
