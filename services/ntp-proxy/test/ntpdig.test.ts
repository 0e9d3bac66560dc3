// NTPsec's SNTP client, ntpdig, accepts us when synchronised and drops us when we answer LI 3. ntpdig
// only talks to port 123, so this file runs itself a second time inside a private user + network
// namespace (`unshare -rn`, only `lo`, which nothing can leave), where the service may bind port 123:
// outside, it checks the tools and spawns itself; inside (NETSIDECAR_NTPDIG_NETNS=1) it runs the
// tests, whose TAP output tap reads back as a subtest. ntpdig runs query-only: neither -S (step) nor
// -s (slew), so it never touches a clock.
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeHeader } from '../src/packet/header.js';
import { FakeClock } from './support/fake-clock.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { clientOffsetToleranceS, startTestNtp } from './support/harness.js';
import { findTool, inNetns, netnsTools } from './support/netns.js';

const insideVariable = 'NETSIDECAR_NTPDIG_NETNS';

if (process.env[insideVariable] === '1') runInside();
else runOutside();

function runOutside(): void {
  t.test('ntpdig against the service on port 123, in a private network namespace', async (t) => {
    // Missing tools fail the test: CI installs them (Debian: ntpsec-ntpdig, util-linux, iproute2).
    const ntpdig = findTool('ntpdig');
    const { tools, missing } = netnsTools();
    if (!ntpdig) missing.push('ntpsec-ntpdig (ntpdig)');
    if (!tools || !ntpdig) {
      t.fail(`missing tools; install the Debian packages: ${missing.join(', ')}`);
      return;
    }
    const self = fileURLToPath(import.meta.url);
    // The same node flags tap gave this process (its TypeScript loader), so the inner run is this source.
    const { command, args } = inNetns(tools, process.execPath, [...process.execArgv, self]);
    await t.spawn(command, args, { env: { ...process.env, [insideVariable]: '1' }, timeout: 60_000 }, 'inside unshare -rn');
  });
}

interface NtpdigRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runInside(): void {
  const ntpdig = findTool('ntpdig');

  /** ntpdig, query only, one sample, against 127.0.0.1 (port 123: it has no port option). */
  const dig = async (...args: string[]): Promise<NtpdigRun> => {
    const child = spawn(ntpdig!, ['-t', '2', ...args, '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  };
  const digJson = async (...args: string[]) => {
    const run = await dig('-j', ...args);
    const json = run.code === 0 ? (JSON.parse(run.stdout) as { offset: number; stratum: number; leap: string; ip: string; adjusted: boolean }) : null;
    return { ...run, json };
  };
  const port123 = { NETSIDECAR_NTP_PORT: '123' };

  t.test('the namespace: loopback only, ntpdig present', async (t) => {
    t.strictSame(Object.keys(networkInterfaces()), ['lo'], 'no interface but lo: nothing can leave');
    t.ok(ntpdig, 'ntpdig is on the PATH');
  });

  t.test('synchronised: ntpdig accepts us and prints our stratum and offset', async (t) => {
    // The upstream is 250 ms ahead of this machine, so the offset ntpdig prints is ours, not zero by chance.
    const upstream = await startFakeUpstream(t, { offsetMs: 250 });
    const ntp = await startTestNtp(t, { ...port123, NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
    t.equal(ntp.service.port, 123);
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');

    const run = await digJson();
    t.equal(run.code, 0, run.stderr);
    t.match(run.json, { stratum: 2, leap: 'no-leap', ip: '127.0.0.1', adjusted: false });
    t.ok(run.json && Math.abs(run.json.offset - 0.25) < clientOffsetToleranceS, `ntpdig offset ${run.json?.offset} s (upstream +0.25 s)`);

    // The plain output a person reads: date, time, zone, offset +/- error, host, stratum, leap.
    const plain = await dig();
    t.equal(plain.code, 0, plain.stderr);
    t.match(plain.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \([+-]\d{4}\) \+0\.2[45]\d* \+\/- [\d.]+ 127\.0\.0\.1 s2 no-leap\n$/);
    t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 2, 'both ntpdig runs got a time reply');
  });

  t.test('started against an unsynchronised upstream: we answer LI 3, ntpdig drops us', async (t) => {
    const upstream = await startFakeUpstream(t, { leap: 3 });
    const ntp = await startTestNtp(t, { ...port123, NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
    await ntp.until(
      async () => (await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'unsynchronised' })) >= 1,
      'an LI 3 sample',
    );
    t.match(decodeHeader((await ntp.query()).reply), { leap: 3, stratum: 0, refId: 0 });

    const run = await digJson();
    t.equal(run.code, 1, 'ntpdig fails');
    t.equal(run.stdout, '', 'and prints no time');
    // ntpdig tests stratum 0 before LI 3; our unsynchronised reply has both (as chrony's).
    t.match(run.stderr, /127\.0\.0\.1: Response dropped: stratum 0/);
    t.match(run.stderr, /no eligible servers/);
    t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'unsynchronised' }), 2, 'it did get an LI 3 reply (as did our own query)');
    t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 0);
  });

  t.test('holdover: accepted while synchronised, dropped once the holdover has run out', async (t) => {
    const upstream = await startFakeUpstream(t);
    const raw = new FakeClock(Date.now());
    const ntp = await startTestNtp(
      t,
      { ...port123, NETSIDECAR_NTP_UPSTREAM: upstream.address, NETSIDECAR_NTP_HOLDOVER: '10m', NETSIDECAR_NTP_POLL_INTERVAL: '36h' },
      { rawClock: raw, burstCount: 1 },
    );
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
    const before = await digJson();
    t.equal(before.code, 0, before.stderr);
    t.match(before.json, { stratum: 2, leap: 'no-leap' });

    raw.advanceMs(10 * 60_000 + 1_000); // upstream silent (no poll for 36 h) past the 10-minute holdover
    t.equal(ntp.readiness.status().ready, false, '/healthz not ready');
    const after = await digJson();
    t.equal(after.code, 1, 'ntpdig fails');
    t.match(after.stderr, /Response dropped: stratum 0/);
    t.match(after.stderr, /no eligible servers/);
    t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'unsynchronised' }), 1);
  });

  t.test('authenticated: ntpdig -a with MD5, SHA1 and AES-128-CMAC keys verifies our MAC', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'netsidecar-ntpdig-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const aesHex = '000102030405060708090a0b0c0d0e0f';
    // The same keys in both formats: chrony's for us, NTPsec's ntp.keys for ntpdig (an ASCII secret of
    // at most 20 characters, or hex).
    await writeFile(join(dir, 'service.keys'), `10 MD5 ASCII:netsidecar-md5\n20 SHA1 ASCII:netsidecar-sha1\n30 AES128 HEX:${aesHex}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'ntp.keys'), `10 MD5 netsidecar-md5\n20 SHA1 netsidecar-sha1\n30 AES-128 ${aesHex}\n`, { mode: 0o600 });
    const ntp = await startTestNtp(t, {
      ...port123,
      NETSIDECAR_NTP_UPSTREAM: 'local',
      NETSIDECAR_NTP_KEYS_FILE: join(dir, 'service.keys'),
      NETSIDECAR_NTP_REQUIRE_AUTH: 'true',
    });
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');

    for (const keyId of ['10', '20', '30']) {
      // ntpdig checks the reply's MAC with the key it sent; a reply without a valid MAC fails the run.
      const run = await digJson('-a', keyId, '-k', join(dir, 'ntp.keys'));
      t.equal(run.code, 0, `key ${keyId}: ${run.stderr}`);
      t.match(run.json, { stratum: 10, leap: 'no-leap' }, `key ${keyId}`);
    }
    t.equal(await ntp.metric('netsidecar_ntp_auth_total', { result: 'ok' }), 3, 'three requests verified');
    // Without a key, the same ntpdig is not answered at all (authentication required).
    const unauthenticated = await dig('-j', '-t', '1');
    t.equal(unauthenticated.code, 1);
    t.match(unauthenticated.stderr, /no eligible servers/);
    t.equal(await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'auth_required' }), 1);
  });
}
