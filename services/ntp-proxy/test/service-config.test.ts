import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@netsidecar/config';
import { startTestNtp } from './support/harness.js';

async function keyFile(t: { teardown(fn: () => unknown): void }, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ntp-keys-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'keys');
  await writeFile(file, text, { mode: 0o600 });
  return file;
}

t.test('a bad key file stops the start, naming the variable and the line, never the key', async (t) => {
  const file = await keyFile(t, '1 MD5 ASCII:supersecret\n2 SHA256 HEX:00112233\n');
  const err = (await startTestNtp(t, { NETSIDECAR_NTP_KEYS_FILE: file }).catch((e: unknown) => e)) as ConfigError;
  t.type(err, ConfigError);
  t.equal(err.variable, 'NETSIDECAR_NTP_KEYS_FILE');
  t.match(err.message, /line 2: key type SHA256 is not supported/);
  t.notMatch(err.message, /supersecret|00112233/);
});

t.test('an unreadable key file', async (t) => {
  const err = (await startTestNtp(t, { NETSIDECAR_NTP_KEYS_FILE: '/nonexistent/keys' }).catch((e: unknown) => e)) as ConfigError;
  t.match(err.message, /NETSIDECAR_NTP_KEYS_FILE: cannot read \/nonexistent\/keys: ENOENT/);
});

t.test('keys from NETSIDECAR_NTP_KEYS (an ECS secret variable), one per line or separated by ;', async (t) => {
  const ntp = await startTestNtp(t, {
    NETSIDECAR_NTP_KEYS: '1 MD5 ASCII:supersecret;2 SHA1 HEX:00112233445566778899aabbccddeeff00112233',
    NETSIDECAR_NTP_REQUIRE_AUTH: 'true',
  });
  t.match(
    ntp.logs.find((line) => line.msg === 'listening'),
    { keys: { MD5: 1, SHA1: 1 }, requireAuth: true },
  );
  t.notMatch(JSON.stringify(ntp.logs), /supersecret|0011223344/);
});

t.test('a bad NETSIDECAR_NTP_KEYS names the variable and the line, never the key', async (t) => {
  const err = (await startTestNtp(t, { NETSIDECAR_NTP_KEYS: '1 MD5 ASCII:supersecret\n2 AES128 HEX:0011' }).catch((e: unknown) => e)) as ConfigError;
  t.type(err, ConfigError);
  t.equal(err.variable, 'NETSIDECAR_NTP_KEYS');
  t.match(err.message, /line 2: an AES128 key must be 16 bytes/);
  t.notMatch(err.message, /supersecret|0011/);
});

t.test('the keys as a file and as a variable at once are refused', async (t) => {
  const file = await keyFile(t, '1 MD5 ASCII:supersecret\n');
  const err = (await startTestNtp(t, { NETSIDECAR_NTP_KEYS_FILE: file, NETSIDECAR_NTP_KEYS: '1 MD5 ASCII:other' }).catch((e: unknown) => e)) as ConfigError;
  t.equal(err.variable, 'NETSIDECAR_NTP_KEYS');
  t.match(err.message, /not both/);
});

t.test('REQUIRE_AUTH without keys is refused', async (t) => {
  const err = (await startTestNtp(t, { NETSIDECAR_NTP_REQUIRE_AUTH: 'true' }).catch((e: unknown) => e)) as ConfigError;
  t.equal(err.variable, 'NETSIDECAR_NTP_REQUIRE_AUTH');
});

t.test('keys are loaded and summarised by type in the start log, never the secrets', async (t) => {
  const file = await keyFile(t, '1 MD5 ASCII:supersecret\n2 AES128 HEX:000102030405060708090a0b0c0d0e0f\n');
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_KEYS_FILE: file, NETSIDECAR_NTP_REQUIRE_AUTH: 'true' });
  t.match(
    ntp.logs.find((line) => line.msg === 'listening'),
    { keys: { MD5: 1, AES128: 1 }, requireAuth: true },
  );
  t.notMatch(JSON.stringify(ntp.logs), /supersecret|0001020304/);
});
