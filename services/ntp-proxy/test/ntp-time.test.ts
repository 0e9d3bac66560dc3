import t from 'tap';
import { ntpDiffNs, ntpToUnixNs, secondsToShort, shortToSeconds, unixNsToNtp } from '../src/packet/ntp-time.js';

const ms = (value: number) => BigInt(value) * 1_000_000n;
const era1StartMs = Date.UTC(2036, 1, 7, 6, 28, 16); // 2^32 s after 1900-01-01

t.test('the Unix epoch is 2208988800 s after the NTP epoch', async (t) => {
  t.equal(unixNsToNtp(0n), 2_208_988_800n << 32n);
  t.equal(unixNsToNtp(500_000_000n), (2_208_988_800n << 32n) | 0x80000000n, 'half a second is fraction 2^31');
});

t.test('a known date', async (t) => {
  // 2026-11-22T12:00:00Z = 1795348800 Unix (date -u -d @1795348800) = 4004337600 NTP (era 0)
  const unixMs = Date.UTC(2026, 10, 22, 12, 0, 0);
  t.equal(unixMs / 1000, 1_795_348_800);
  t.equal(unixNsToNtp(ms(unixMs)) >> 32n, 4_004_337_600n);
  t.equal(ntpToUnixNs(4_004_337_600n << 32n, ms(unixMs)), ms(unixMs));
});

t.test('era 1 starts on 2036-02-07T06:28:16Z: the seconds field wraps to 0', async (t) => {
  t.equal(unixNsToNtp(ms(era1StartMs)), 0n);
  t.equal(unixNsToNtp(ms(era1StartMs) - 1_000_000_000n) >> 32n, 0xffffffffn);
  // Timestamp 0 means 1900 or 2036: the pivot decides.
  t.equal(ntpToUnixNs(0n, ms(Date.UTC(2035, 0, 1))), ms(era1StartMs), 'near 2036: era 1');
  t.equal(ntpToUnixNs(0n, ms(Date.UTC(1950, 0, 1))), -2_208_988_800n * 1_000_000_000n, 'near 1950: era 0');
  // Just before the wrap, with a pivot just after it.
  const before = unixNsToNtp(ms(era1StartMs - 1000));
  t.equal(ntpToUnixNs(before, ms(era1StartMs + 1000)), ms(era1StartMs - 1000));
});

t.test('differences are signed and cross the era boundary', async (t) => {
  const justBefore = unixNsToNtp(ms(era1StartMs) - 1_000_000n); // 1 ms before the wrap
  const justAfter = unixNsToNtp(ms(era1StartMs) + 2_000_000n); // 2 ms after
  t.equal(ntpDiffNs(justAfter, justBefore), 3_000_000n);
  t.equal(ntpDiffNs(justBefore, justAfter), -3_000_000n);
  t.equal(ntpDiffNs(unixNsToNtp(123_456_789n), unixNsToNtp(123_456_789n)), 0n);
});

t.test('nanoseconds survive a round trip (2^-32 s resolution, rounded)', async (t) => {
  const pivot = ms(Date.UTC(2026, 0, 1));
  for (const ns of [1n, 999_999_999n, 123_456_789n, 500_000_001n]) {
    const unix = pivot + ns;
    t.equal(ntpToUnixNs(unixNsToNtp(unix), pivot), unix, `+${ns} ns`);
  }
});

t.test('short format: 16.16 seconds, saturating', async (t) => {
  t.equal(secondsToShort(1), 0x00010000);
  t.equal(secondsToShort(0.5), 0x00008000);
  t.equal(secondsToShort(1e-9), 1, 'rounded up: an error bound is never understated');
  t.equal(secondsToShort(0.0020000001), 132);
  t.equal(secondsToShort(-1), 0);
  t.equal(secondsToShort(Number.NaN), 0);
  t.equal(secondsToShort(1e9), 0xffffffff);
  t.equal(shortToSeconds(0x00018000), 1.5);
  t.equal(shortToSeconds(0xffffffff), 65535 + 65535 / 65536);
});
