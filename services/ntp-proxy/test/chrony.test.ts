// Routers' real NTP clients accept us when synchronised and reject us when not. chronyd stands in for
// the client (its selection logic is as strict as any router's) and, on a high port, for the upstream.
import t from 'tap';
import { decodeHeader } from '../src/packet/header.js';
import { chronyQuery, startChronyServer } from './support/chrony.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { clientOffsetToleranceS, startTestNtp, startTestNtpWithIo, udpIoModes, type TestNtp } from './support/harness.js';

async function pollUntilSynchronised(ntp: TestNtp): Promise<void> {
  await ntp.until(async () => {
    if (!ntp.service.reference.state().synchronised) await ntp.service.pollNow();
    return ntp.service.reference.state().synchronised;
  }, 'synchronised to the upstream chronyd');
}

// A real client's verdict under each way of reading and answering UDP (NETSIDECAR_NTP_UDP_IO).
for (const io of udpIoModes) {
  t.test(`${io}: upstream chronyd (local stratum 10) → us (stratum 11) → chronyd -Q accepts, offset ~0`, async (t) => {
    const upstream = await startChronyServer(t, { local: true });
    const ntp = await startTestNtpWithIo(t, io, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1, upstreamTimeoutMs: 200 });
    await pollUntilSynchronised(ntp);
    t.match(decodeHeader((await ntp.query()).reply), { leap: 0, stratum: 11, refId: 0x7f000001 });

    const verdict = await chronyQuery(t, { port: ntp.service.port });
    t.equal(verdict.code, 0, verdict.output);
    t.ok(verdict.wrongByS !== null && Math.abs(verdict.wrongByS) < clientOffsetToleranceS, `chronyd: system clock wrong by ${verdict.wrongByS} s`);
    t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'kod_rate' }), 0, 'within the default rate limit');
  });
}

t.test('our served clock 1.5 s ahead: chronyd sees exactly that', async (t) => {
  const upstream = await startFakeUpstream(t, { offsetMs: 1_500 });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
  await pollUntilSynchronised(ntp);
  const verdict = await chronyQuery(t, { port: ntp.service.port });
  t.equal(verdict.code, 0, verdict.output);
  // chronyd's "system clock wrong by +X" means the server is X ahead of this machine.
  t.ok(verdict.wrongByS !== null && Math.abs(verdict.wrongByS - 1.5) < clientOffsetToleranceS, `wrong by ${verdict.wrongByS} s`);
});

t.test('an unsynchronised upstream chronyd → we answer LI 3 → chronyd -Q rejects us', async (t) => {
  const upstream = await startChronyServer(t, { local: false });
  // Rate limiting off, so that the only reason for the rejection is LI 3 (chronyd polls 16/s here).
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address, NETSIDECAR_NTP_RATE_LIMIT: 'false' }, { burstCount: 1 });
  await ntp.until(
    async () => (await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'unsynchronised' })) >= 1,
    'an LI=3 sample',
  );
  t.match(decodeHeader((await ntp.query()).reply), { leap: 3, stratum: 0 });

  const verdict = await chronyQuery(t, { port: ntp.service.port });
  t.equal(verdict.code, 1, 'chronyd gives up');
  t.match(verdict.output, /No suitable source for synchronisation/);
  t.equal(verdict.wrongByS, null);
  t.ok((await ntp.metric('netsidecar_ntp_replies_total', { kind: 'unsynchronised' })) >= 2, 'it did get our (LI 3) replies');
  t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 0);
});
