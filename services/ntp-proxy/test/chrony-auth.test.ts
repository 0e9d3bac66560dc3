// Authentication as routers use it, with chronyd as the client: MD5, SHA1 and AES128 (CMAC) keys
// accepted; a wrong key gets a crypto-NAK and chronyd does not synchronise; REQUIRE_AUTH shuts out
// unauthenticated clients.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chronyQuery } from './support/chrony.js';
import { clientOffsetToleranceS, startTestNtp, type TestNtp } from './support/harness.js';

const serverKeys = ['10 MD5 HEX:7b1d9e6f2a5c3e8d4f0a1b2c3d4e5f60', '20 SHA1 ASCII:router-sha1-secret', '30 AES128 HEX:000102030405060708090a0b0c0d0e0f'].join(
  '\n',
);

async function authenticatedServer(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}): Promise<TestNtp> {
  const dir = await mkdtemp(join(tmpdir(), 'ntp-keys-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'ntp.keys');
  await writeFile(file, serverKeys + '\n', { mode: 0o600 });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_KEYS_FILE: file, NETSIDECAR_NTP_RATE_LIMIT: 'false', ...env });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  return ntp;
}

t.test('chronyd with MD5, SHA1 and AES128 keys is served, authenticated', async (t) => {
  const ntp = await authenticatedServer(t);
  for (const keyId of [10, 20, 30]) {
    const verdict = await chronyQuery(t, { port: ntp.service.port, keyId, keys: serverKeys + '\n' });
    t.equal(verdict.code, 0, `key ${keyId}: ${verdict.output}`);
    t.ok(verdict.wrongByS !== null && Math.abs(verdict.wrongByS) < clientOffsetToleranceS, `key ${keyId}: wrong by ${verdict.wrongByS} s`);
  }
  t.ok((await ntp.metric('netsidecar_ntp_auth_total', { result: 'ok' })) >= 3);
  t.equal(await ntp.metric('netsidecar_ntp_auth_total', { result: 'bad_mac' }), 0);
  ntp.service.flushClientSummaries();
  t.match(
    (await ntp.events('127.0.0.1')).find((e) => e.type === 'client_summary'),
    { authenticated: true, keyId: 30, authFailures: 0 },
  );
});

t.test('a wrong key: crypto-NAKs, and chronyd does not synchronise', async (t) => {
  const ntp = await authenticatedServer(t);
  const verdict = await chronyQuery(t, { port: ntp.service.port, keyId: 10, keys: '10 MD5 HEX:00000000000000000000000000000000\n', timeoutS: 2 });
  t.not(verdict.code, 0, 'chronyd did not accept us');
  t.equal(verdict.wrongByS, null);
  t.ok((await ntp.metric('netsidecar_ntp_auth_total', { result: 'bad_mac' })) >= 1);
  t.ok((await ntp.metric('netsidecar_ntp_replies_total', { kind: 'crypto_nak' })) >= 1);
  t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 0);
});

t.test('REQUIRE_AUTH: chronyd without a key gets nothing; with one it is served', async (t) => {
  const ntp = await authenticatedServer(t, { NETSIDECAR_NTP_REQUIRE_AUTH: 'true' });
  const refused = await chronyQuery(t, { port: ntp.service.port, timeoutS: 1 });
  t.not(refused.code, 0);
  t.ok((await ntp.metric('netsidecar_ntp_dropped_total', { reason: 'auth_required' })) >= 1);
  const served = await chronyQuery(t, { port: ntp.service.port, keyId: 20, keys: serverKeys + '\n' });
  t.equal(served.code, 0, served.output);
});
