// What a real client makes of our replies, field by field: chronyd polls us as a router would and
// `chronyc ntpdata` prints every header field it decoded and every RFC 5905 test it applied.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@netsidecar/test-support/eventually';
import { startChronyClient, startChronyServer, type ChronyClient } from './support/chrony.js';
import { startTestNtp, type TestNtp } from './support/harness.js';

/** Polls chronyc until chronyd has taken `samples` valid replies from us (it polls 16 times a second). */
function afterValidReplies(client: ChronyClient, samples: number): Promise<Map<string, string>> {
  return eventually(
    async () => {
      const data = await client.ntpdata();
      const valid = Number(data.get('Total valid RX') ?? 0);
      if (valid < samples) throw new Error(`${valid} valid replies`);
      return data;
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `chronyd to take ${samples} valid replies` },
  );
}

async function synchronisedToChronyd(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}): Promise<TestNtp> {
  const upstream = await startChronyServer(t, { local: true });
  const ntp = await startTestNtp(
    t,
    { NETSIDECAR_NTP_UPSTREAM: upstream.address, NETSIDECAR_NTP_RATE_LIMIT: 'false', ...env },
    { burstCount: 1, upstreamTimeoutMs: 200, precision: -20 },
  );
  await ntp.until(async () => {
    if (!ntp.service.reference.state().synchronised) await ntp.service.pollNow();
    return ntp.service.reference.state().synchronised;
  }, 'synchronised to the upstream chronyd');
  return ntp;
}
t.test('chronyc ntpdata: every field of our reply as chronyd decoded it, and every test passed', async (t) => {
  const ntp = await synchronisedToChronyd(t);
  const client = await startChronyClient(t, { port: ntp.service.port });
  const data = await afterValidReplies(client, 4);
  t.equal(data.get('Remote port'), String(ntp.service.port));
  t.equal(data.get('Leap status'), 'Normal');
  t.equal(data.get('Version'), '4', 'the request version echoed');
  t.equal(data.get('Mode'), 'Server');
  t.equal(data.get('Stratum'), '11', 'upstream (local stratum 10) + 1');
  t.match(data.get('Poll interval'), /^-4 /, 'the client poll echoed');
  t.match(data.get('Precision'), /^-20 \(/, 'our precision');
  t.equal(data.get('Reference ID'), '7F000001 ()', 'refid = the upstream IPv4 address');
  const rootDelay = Number(/^([\d.]+) seconds$/.exec(data.get('Root delay') ?? '')?.[1]);
  const rootDispersion = Number(/^([\d.]+) seconds$/.exec(data.get('Root dispersion') ?? '')?.[1]);
  // Upper bounds catch a misread field (16.16 fixed point read as integer seconds is 65,536× off),
  // not load: the path delay to the upstream is measured, and a busy 2-core CI machine gave 15–54 ms.
  t.ok(rootDelay > 0 && rootDelay < 1, `root delay ${rootDelay} s: the upstream path, not 0`);
  t.ok(rootDispersion > 0 && rootDispersion < 1, `root dispersion ${rootDispersion} s: grows with the sample's age, never 0`);
  const referenceTime = Date.parse(data.get('Reference time') + ' UTC');
  t.ok(Math.abs(referenceTime - Date.now()) < 60_000, `reference time ${data.get('Reference time')} is the last upstream sample`);
  t.equal(data.get('NTP tests'), '111 111 1111', 'chronyd applied every RFC 5905 test and all passed');
  t.equal(data.get('Authenticated'), 'No');
  t.equal(data.get('Total RX'), data.get('Total valid RX'), 'no reply was invalid');
});

t.test('chronyc ntpdata with an AES128 key: authenticated, all tests passed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ntp-keys-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const keys = '30 AES128 HEX:000102030405060708090a0b0c0d0e0f\n';
  await writeFile(join(dir, 'ntp.keys'), keys, { mode: 0o600 });
  const ntp = await synchronisedToChronyd(t, { NETSIDECAR_NTP_KEYS_FILE: join(dir, 'ntp.keys') });
  const client = await startChronyClient(t, { port: ntp.service.port, keyId: 30, keys });
  const data = await afterValidReplies(client, 4);
  t.equal(data.get('Authenticated'), 'Yes');
  t.equal(data.get('NTP tests'), '111 111 1111');
  t.equal(data.get('Stratum'), '11');
});
