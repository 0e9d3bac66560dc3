// The service against a loopback stand-in for Amazon Time Sync: what routers get when upstream is
// good, ahead, unsynchronised or silent.
import t from 'tap';
import { decodeHeader } from '../src/packet/header.js';
import { ntpDiffNs, ntpToUnixNs, shortToSeconds } from '../src/packet/ntp-time.js';
import { fakeUpstreamClock, startFakeUpstream } from './support/fake-upstream.js';
import { startTestNtp } from './support/harness.js';
import { clientRequest } from './support/packets.js';

t.test('synchronised to a stratum-1 upstream: stratum 2, refid = upstream IPv4, ready, events and metrics', async (t) => {
  const upstream = await startFakeUpstream(t, { stratum: 1, rootDispersionS: 0.0005 });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  ntp.service.checkStatus();
  t.same(ntp.readiness.status(), { ready: true, reasons: [] });

  const request = clientRequest({ version: 3, poll: 6, transmit: 0x1122334455667788n });
  const { reply } = await ntp.query(request);
  const header = decodeHeader(reply)!;
  t.match(header, { leap: 0, version: 3, mode: 4, stratum: 2, poll: 6, refId: 0x7f000001, originTimestamp: 0x1122334455667788n });
  t.ok(header.precision <= -10 && header.precision >= -30, `precision ${header.precision}`);
  const rootDelayS = shortToSeconds(header.rootDelay);
  const rootDispersionS = shortToSeconds(header.rootDispersion);
  // Upper bounds catch a misread 16.16 field (65,536× off), not load: the loopback path is measured.
  t.ok(rootDelayS > 0 && rootDelayS < 1, `root delay ${rootDelayS} s: the loopback path`);
  t.ok(rootDispersionS >= 0.0005 && rootDispersionS < 1, `root dispersion ${rootDispersionS} s: upstream's 0.5 ms and more`);
  t.ok(ntpDiffNs(header.transmitTimestamp, header.receiveTimestamp) >= 0n, 'T3 ≥ T2');
  const referenceAgeNs = ntpDiffNs(header.receiveTimestamp, header.referenceTimestamp);
  t.ok(referenceAgeNs >= 0n && referenceAgeNs < 60_000_000_000n, 'reference time: the last update, recent');

  const events = await ntp.events('upstream');
  t.match(
    events.find((e) => e.type === 'upstream_sample'),
    {
      schema: 'ntp/1',
      server: upstream.address,
      result: 'ok',
      stratum: 1,
      refId: 'GPS',
      selected: true,
      synchronised: true,
      servedStratum: 2,
      hostClockErrorBoundMs: null,
    },
  );
  t.match(
    events.find((e) => e.type === 'status'),
    { synchronised: true, previousSynchronised: false, selected: upstream.address, stratum: 2, refId: '127.0.0.1' },
  );
  t.equal(await ntp.metric('netsidecar_ntp_synchronised'), 1);
  t.equal(await ntp.metric('netsidecar_ntp_stratum'), 2);
  t.equal(await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'ok' }), 1);
  t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'time' }), 1);
  t.ok(ntp.logs.some((line) => line.msg === 'synchronised'));
});

t.test('an upstream 2 s ahead: the served clock follows it, within NTP’s own error bound', async (t) => {
  const upstream = await startFakeUpstream(t, { offsetMs: 2_000 });
  // The service's raw clock is the fake's own clock, so "2 s" is exact and only the path can blur it.
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1, rawClock: fakeUpstreamClock });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  const [sample] = await ntp.events('upstream');
  const halfDelayMs = Number(sample?.delayMs) / 2;
  const offsetMs = Number(ntp.service.served.offsetNs) / 1e6;
  t.ok(Math.abs(offsetMs - 2_000) <= halfDelayMs + 0.001, `offset ${offsetMs} ms, ±${halfDelayMs} ms`);
  // The gauge is ns / 1e9 and this is (ns / 1e6) / 1000: equal up to float rounding.
  t.ok(Math.abs((await ntp.metric('netsidecar_ntp_offset_seconds')) - offsetMs / 1000) < 1e-12, 'the offset gauge agrees');

  const before = fakeUpstreamClock.nowNs();
  const { reply } = await ntp.query();
  const after = fakeUpstreamClock.nowNs();
  const header = decodeHeader(reply)!;
  const t2 = ntpToUnixNs(header.receiveTimestamp, before);
  const t3 = ntpToUnixNs(header.transmitTimestamp, before);
  const applied = ntp.service.served.offsetNs;
  t.ok(t2 >= before + applied && t3 <= after + applied && t2 <= t3, 'T2 and T3 are the served clock, read between our send and our receive');
});

t.test('an unsynchronised upstream (LI 3): we answer LI 3, stratum 0, and are not ready', async (t) => {
  const upstream = await startFakeUpstream(t, { leap: 3, stratum: 0, refId: 0 });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
  await ntp.until(
    async () => (await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'unsynchronised' })) === 1,
    'a rejected sample',
  );
  const { reply } = await ntp.query();
  t.match(decodeHeader(reply), { leap: 3, stratum: 0, refId: 0, referenceTimestamp: 0n });
  t.same(ntp.readiness.status(), { ready: false, reasons: ['upstream: no valid upstream sample yet'] });
  t.equal(await ntp.metric('netsidecar_ntp_synchronised'), 0);
  t.equal(await ntp.metric('netsidecar_ntp_replies_total', { kind: 'unsynchronised' }), 1);
  t.match((await ntp.events('upstream'))[0], {
    type: 'upstream_sample',
    result: 'unsynchronised',
    leap: 3,
    stratum: 0,
    offsetMs: null,
    selected: false,
    synchronised: false,
  });
});

t.test('a silent upstream: timeouts, counted and reported', async (t) => {
  const upstream = await startFakeUpstream(t, { silent: true });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1, upstreamTimeoutMs: 50 });
  await ntp.until(async () => (await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'timeout' })) === 1, 'a timeout');
  t.match((await ntp.events('upstream'))[0], { type: 'upstream_sample', result: 'timeout', stratum: null, synchronised: false });
  t.equal(ntp.readiness.status().ready, false);
});

t.test('a KoD from upstream is a rejected sample with its code', async (t) => {
  const upstream = await startFakeUpstream(t, { leap: 3, stratum: 0, refId: 0x52415445 });
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
  await ntp.until(async () => (await ntp.metric('netsidecar_ntp_upstream_samples_total', { server: upstream.address, result: 'kiss' })) === 1, 'a kiss');
  t.match((await ntp.events('upstream'))[0], { result: 'kiss', kissCode: 'RATE' });
});
