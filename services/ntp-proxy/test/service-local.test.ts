// `npm start` off AWS: the machine's own clock, said loudly, stratum 10, refid LOCL.
import t from 'tap';
import { decodeHeader } from '../src/packet/header.js';
import { ntpToUnixNs } from '../src/packet/ntp-time.js';
import { startTestNtp } from './support/harness.js';

t.test('local: a loud warning, stratum 10, refid LOCL, the system clock', async (t) => {
  const ntp = await startTestNtp(t, {});
  const warning = ntp.logs.find((line) => line.level === 'warn');
  t.match(warning?.msg, /NETSIDECAR_NTP_UPSTREAM is 'local': serving THIS MACHINE'S OWN CLOCK as stratum 10 \(refid LOCL\)/);
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised to the local clock');
  const before = Date.now();
  const { reply } = await ntp.query();
  const after = Date.now();
  const header = decodeHeader(reply)!;
  t.match(header, { leap: 0, stratum: 10 });
  t.equal(reply.subarray(12, 16).toString('latin1'), 'LOCL');
  const servedMs = Number(ntpToUnixNs(header.transmitTimestamp, BigInt(before) * 1_000_000n) / 1_000_000n);
  t.ok(servedMs >= before - 1 && servedMs <= after + 1, `served ${servedMs} within [${before}, ${after}]`);
  t.match(
    (await ntp.events('upstream')).find((e) => e.type === 'upstream_sample'),
    { server: 'local', result: 'ok', refId: 'LOCL', stratum: 9, servedStratum: 10 },
  );
  t.match(
    ntp.logs.find((line) => line.msg === 'listening'),
    { upstream: 'local', keys: null, requireAuth: false },
  );
});

t.test('NETSIDECAR_NTP_LOCAL_STRATUM', async (t) => {
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_LOCAL_STRATUM: '7' });
  await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
  t.equal(decodeHeader((await ntp.query()).reply)?.stratum, 7);
});
