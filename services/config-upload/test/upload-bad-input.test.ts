// Bad input through real curl: each gets its status and error code, nothing is stored, no secret
// appears in answers or logs, and the service goes on answering.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eventually } from '@netsidecar/test-support/eventually';
import { curl, startTestUpload, users, type TestUpload } from './support/harness.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}
type Tap = Test;

const router = `${users.router.name}:${users.router.password}`;
const config = 'hostname rtr-bad-1\nenable secret 0 PlantBadEnable\nend\n';

async function bodies(t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-upload-bad-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function stillUp(t: Tap, up: TestUpload, device = 'rtr-alive-1') {
  const r = await curl(['--data-binary', config, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/${device}`]);
  t.equal(r.status, 201, 'the service still takes a good upload');
}

t.test('credentials and roles', async (t) => {
  const up = await startTestUpload(t);
  const url = `http://127.0.0.1:${up.service.port}/configs/rtr-tyo-9`;
  const cases: [string, string[], number, string][] = [
    ['no credentials', [url], 401, 'unauthorized'],
    ['wrong password', ['-u', `${users.router.name}:Wr0ng-PlantGuess`, url], 401, 'unauthorized'],
    ['unknown principal', ['-u', 'PlantNobody:PlantNobodyPass', url], 401, 'unauthorized'],
    ['malformed header', ['-H', 'Authorization: Basic !!!', url], 401, 'unauthorized'],
    ['device outside the globs', ['-u', `${users.lab.name}:${users.lab.password}`, url], 403, 'device_not_allowed'],
    ['read role uploading', ['-u', `${users.auditor.name}:${users.auditor.password}`, url], 403, 'role_not_allowed'],
  ];
  for (const [what, args, status, code] of cases) {
    const r = await curl(['--data-binary', config, '-H', 'Content-Type: text/plain', ...args]);
    t.equal(r.status, status, what);
    t.equal(r.json?.error, code, what);
    if (status === 401) t.match(r.headers, /www-authenticate: Basic realm="netsidecar"/i, `${what}: challenge`);
    t.notOk(r.body.includes('Plant'), `${what}: the answer echoes nothing`);
  }
  const read = await curl(['-u', router, `http://127.0.0.1:${up.service.port}/api/devices`]);
  t.match(read, { status: 403, json: { error: 'role_not_allowed' } }, 'upload role reading');
  t.same(await up.storedFiles(), [], 'nothing stored');
  t.notOk(/Plant/.test(up.logText()), 'no guessed password or unknown name in the logs');
  t.ok(
    up.logs.some((l) => l.msg === 'authentication failed'),
    'failures are logged',
  );
  await stillUp(t, up);
});

t.test('bodies that are not a configuration', async (t) => {
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_MAX_BODY: '16MiB' });
  const dir = await bodies(t);
  const url = (name: string) => `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`;

  // 64 MiB of text in about 64 KiB of gzip: refused once the decoded size passes 16 MiB.
  await writeFile(join(dir, 'bomb.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'), { level: 9 }));
  const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), randomBytes(2000)]);
  await writeFile(join(dir, 'corrupt.gz'), corrupt);
  const truncated = gzipSync(Buffer.from(config.repeat(200))).subarray(0, 100);
  await writeFile(join(dir, 'truncated.gz'), truncated);
  const junk = randomBytes(64 * 1024);
  junk[0] = 0x00; // never gzip magic
  await writeFile(join(dir, 'junk.bin'), junk);
  await writeFile(join(dir, 'empty'), '');
  await writeFile(join(dir, 'blank'), '\n\n  \n');
  await writeFile(join(dir, 'big'), Buffer.alloc(50 * 1000 * 1000, 'x'));
  await writeFile(join(dir, 'ok.cfg'), config);

  const cases: [string, string[], number, string][] = [
    ['gzip bomb', ['-T', join(dir, 'bomb.gz'), url('rtr-bomb-1.gz')], 413, 'too_large'],
    ['gzip bomb by magic only', ['-T', join(dir, 'bomb.gz'), url('rtr-bomb-2')], 413, 'too_large'],
    ['corrupt gzip', ['-T', join(dir, 'corrupt.gz'), url('rtr-corrupt-1')], 400, 'corrupt_gzip'],
    ['truncated gzip', ['-T', join(dir, 'truncated.gz'), '-H', 'Content-Encoding: gzip', url('rtr-corrupt-2')], 400, 'corrupt_gzip'],
    ['binary junk', ['-T', join(dir, 'junk.bin'), url('rtr-junk-1')], 400, 'binary_content'],
    ['empty body', ['-T', join(dir, 'empty'), url('rtr-empty-1')], 400, 'empty_body'],
    ['blank body', ['-T', join(dir, 'blank'), url('rtr-empty-2')], 400, 'empty_body'],
    ['50 MB body', ['-T', join(dir, 'big'), url('rtr-big-1')], 413, 'too_large'],
    ['50 MB body, chunked', ['-T', join(dir, 'big'), '-H', 'Transfer-Encoding: chunked', url('rtr-big-2')], 413, 'too_large'],
    ['50 MB multipart', ['-F', `f=@${join(dir, 'big')}`, url('rtr-big-3')], 413, 'too_large'],
    ['JSON is not a config', ['-T', join(dir, 'ok.cfg'), '-H', 'Content-Type: application/json', url('rtr-json-1')], 415, 'unsupported_media_type'],
    ['an image is not a config', ['-T', join(dir, 'ok.cfg'), '-H', 'Content-Type: image/png', url('rtr-png-1')], 415, 'unsupported_media_type'],
    ['multipart without a file', ['-F', 'a=b', url('')], 400, 'bad_multipart'],
  ];
  for (const [what, args, status, code] of cases) {
    const r = await curl(args);
    t.equal(r.status, status, what);
    t.equal(r.json?.error, code, what);
  }
  t.same(await up.storedFiles(), [], 'nothing stored');
  t.same(await up.events(), [], 'no event');
  await stillUp(t, up);
});

t.test('filenames are data, never paths', async (t) => {
  const up = await startTestUpload(t);
  const dir = await bodies(t);
  await writeFile(join(dir, 'ok.cfg'), config);
  const base = `http://${router}@127.0.0.1:${up.service.port}`;
  const cases: [string, string[], number, string][] = [
    ['../ in the path', ['--path-as-is', '-T', join(dir, 'ok.cfg'), `${base}/configs/../../etc/passwd`], 400, 'invalid_filename'],
    ['encoded ../', ['-T', join(dir, 'ok.cfg'), `${base}/configs/..%2F..%2Fetc%2Fpasswd`], 400, 'invalid_filename'],
    ['encoded absolute path', ['-T', join(dir, 'ok.cfg'), `${base}/configs/%2Fetc%2Fpasswd`], 400, 'invalid_filename'],
    ['backslashes', ['-T', join(dir, 'ok.cfg'), `${base}/configs/..%5C..%5Cwindows`], 400, 'invalid_filename'],
    ['NUL', ['-T', join(dir, 'ok.cfg'), `${base}/configs/rtr-1%00.cfg`], 400, 'invalid_filename'],
    ['two segments', ['-T', join(dir, 'ok.cfg'), `${base}/configs/site/rtr-1`], 400, 'invalid_filename'],
    ['multipart ../ name', ['-F', `f=@${join(dir, 'ok.cfg')};filename=../../../tmp/rtr-x`, `${base}/configs`], 400, 'invalid_filename'],
    ['a device name that is not one', ['-T', join(dir, 'ok.cfg'), `${base}/configs/rtr%20tyo%3B1`], 400, 'invalid_device'],
  ];
  for (const [what, args, status, code] of cases) {
    const r = await curl(args);
    t.equal(r.status, status, what);
    t.equal(r.json?.error, code, what);
  }
  t.same(await up.storedFiles(), [], 'nothing stored');
  await stillUp(t, up);
});

t.test('a flood gets 429 with Retry-After, and the service stays up', async (t) => {
  let now = 1_000_000;
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_RATE_LIMIT: '5' }, { now: () => now });
  const url = `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-flood-1`;
  const statuses: number[] = [];
  let retryAfter = '';
  for (let i = 0; i < 12; i++) {
    const r = await curl(['--data-binary', `hostname rtr-flood-1\n! ${i}\n`, '-H', 'Content-Type: text/plain', url]);
    statuses.push(r.status);
    if (r.status === 429) {
      t.equal(r.json?.error, 'rate_limited');
      retryAfter = /retry-after: (\d+)/i.exec(r.headers)?.[1] ?? '';
    }
  }
  t.same(statuses, [201, 201, 201, 201, 201, 429, 429, 429, 429, 429, 429, 429], 'a burst of 5, then refused');
  t.equal(retryAfter, '12', 'one token every 12 s at 5 a minute');
  t.equal((await up.storedFiles()).length, 10, 'only the 5 accepted uploads are stored (2 files each)');
  now += 12_000;
  await stillUp(t, up, 'rtr-flood-1');
});

t.test('the source allowlist', async (t) => {
  const refused = await startTestUpload(t, { NETSIDECAR_UPLOAD_ALLOWED_CIDRS: '10.0.0.0/8, 2001:db8::/32' });
  let r = await curl(['--data-binary', config, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${refused.service.port}/configs/rtr-cidr-1`]);
  t.match(r, { status: 403, json: { error: 'source_not_allowed' } });
  t.same(await refused.storedFiles(), []);
  const allowed = await startTestUpload(t, { NETSIDECAR_UPLOAD_ALLOWED_CIDRS: '10.0.0.0/8,127.0.0.0/8' });
  r = await curl(['--data-binary', config, '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${allowed.service.port}/configs/rtr-cidr-1`]);
  t.equal(r.status, 201);
});

t.test('more uploads at once than NETSIDECAR_UPLOAD_MAX_CONCURRENT: 503 busy', async (t) => {
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_MAX_CONCURRENT: '1' });
  const dir = await bodies(t);
  const url = (device: string) => `http://${router}@127.0.0.1:${up.service.port}/configs/${device}`;
  // Two uploads whose bodies come from FIFOs: curl sends each chunked as it comes, so both stay in
  // progress until the test closes the pipes. Whichever reaches the service second is refused while
  // the first is held open; no timing is involved in which one that is.
  const held = await Promise.all(
    ['rtr-slow-1', 'rtr-slow-2'].map(async (device) => {
      const fifo = join(dir, device);
      execFileSync('mkfifo', [fifo]);
      const answer = curl(['-T', fifo, '-H', 'Content-Type: text/plain', url(device)]).then((r) => ({ device, r }));
      const writer = await open(fifo, 'w');
      await writer.write(`hostname ${device}\n`);
      return { device, answer, writer };
    }),
  );
  // The refused one has its answer but curl waits for its body's end; the service's warning says
  // when the refusal happened, so both pipes are closed only after it.
  const refusal = await eventually(() => up.logs.find((l) => l['code'] === 'busy'), { timeoutMs: 20_000, what: 'the busy refusal in the log' });
  t.match(refusal, { msg: 'request refused', code: 'busy', principal: 'rtr-upload' }, 'the refusal is logged');
  for (const h of held) {
    await h.writer.write('end\n');
    await h.writer.close();
  }
  const answers = (await Promise.all(held.map((h) => h.answer))).sort((a, b) => a.r.status - b.r.status);
  t.match(answers[0]?.r, { status: 201, json: { device: answers[0]?.device } }, 'the upload in progress completes');
  t.match(answers[1]?.r, { status: 503, json: { error: 'busy' } }, 'the other upload was refused while the first was in progress');
  await stillUp(t, up);
});
