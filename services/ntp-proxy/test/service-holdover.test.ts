// Holdover on a fake clock: no waiting an hour, and no timing luck.
import t from 'tap';
import { decodeHeader } from '../src/packet/header.js';
import { shortToSeconds } from '../src/packet/ntp-time.js';
import { FakeClock } from './support/fake-clock.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startTestNtp } from './support/harness.js';

t.test('synchronised → past the holdover: LI 3, stratum 0, not ready, a status event → a new sample recovers', async (t) => {
  const upstream = await startFakeUpstream(t);
  const raw = new FakeClock();
  const ntp = await startTestNtp(
    t,
    { NETSIDECAR_NTP_UPSTREAM: upstream.address, NETSIDECAR_NTP_HOLDOVER: '10m', NETSIDECAR_NTP_POLL_INTERVAL: '36h' },
    { rawClock: raw, burstCount: 1 },
  );
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  ntp.service.checkStatus();
  const fresh = decodeHeader((await ntp.query()).reply)!;
  t.match(fresh, { leap: 0, stratum: 2 });

  raw.advanceMs(5 * 60_000); // 5 minutes without a sample: still fine, dispersion grown by 4.5 ms
  const aged = decodeHeader((await ntp.query()).reply)!;
  t.match(aged, { leap: 0, stratum: 2 });
  const grownS = shortToSeconds(aged.rootDispersion) - shortToSeconds(fresh.rootDispersion);
  t.ok(Math.abs(grownS - 0.0045) < 0.0001, `root dispersion grew ${grownS} s in 300 s (15 µs/s)`);
  t.equal(ntp.readiness.status().ready, true);

  raw.advanceMs(5 * 60_000 + 1_000); // past 10 minutes
  const lost = decodeHeader((await ntp.query()).reply)!;
  t.match(lost, { leap: 3, stratum: 0, refId: 0 });
  t.match(ntp.readiness.status(), { ready: false, reasons: [/^upstream: no valid upstream sample for 601 s \(holdover 600 s\)$/] });
  ntp.service.checkStatus();
  const status = (await ntp.events('upstream')).filter((e) => e.type === 'status');
  t.match(status.at(-1), { synchronised: false, previousSynchronised: true, leap: 3, stratum: 0, holdoverS: 600, reason: /holdover/ });
  t.ok(ntp.logs.some((line) => line.level === 'warn' && /not synchronised/.test(String(line.msg))));

  await ntp.service.pollNow();
  t.match(decodeHeader((await ntp.query()).reply), { leap: 0, stratum: 2 });
  ntp.service.checkStatus();
  t.match((await ntp.events('upstream')).filter((e) => e.type === 'status').at(-1), { synchronised: true, previousSynchronised: false });
  t.equal(ntp.readiness.status().ready, true);
});
