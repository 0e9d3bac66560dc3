import t from 'tap';
import { unixNsToNtp } from '../src/packet/ntp-time.js';
import { estimateClientOffset } from '../src/server/client-offset.js';

const ms = (value: number) => BigInt(Math.round(value * 1e6));
const base = BigInt(Date.UTC(2026, 10, 22, 12)) * 1_000_000n; // our (true) time at the first request
const ntp = (ns: bigint) => unixNsToNtp(ns);

/**
 * A client `offsetMs` off, polling every 64 s over a path of `oneWayMs` each way; our processing 0.1 ms.
 * Returns the NTP timestamps of two successive exchanges as each side sees them.
 */
function twoExchanges(offsetMs: number, oneWayMs: number) {
  const previous = {
    t1: ntp(base - ms(oneWayMs) + ms(offsetMs)), // client clock at its send
    t2: ntp(base), // our receive
    t3: ntp(base + ms(0.1)), // our send
  };
  const t4 = ntp(base + ms(0.1 + oneWayMs) + ms(offsetMs)); // client clock at its receive
  const nextSend = base + 64_000_000_000n;
  const next = { transmit: ntp(nextSend - ms(oneWayMs) + ms(offsetMs)), t2: ntp(nextSend) };
  return { previous, t4, next };
}

t.test('exchange: an ntpd-style client echoes our T3 and its T4; the full on-wire estimate', async (t) => {
  const { previous, t4, next } = twoExchanges(2_500, 20);
  const estimate = estimateClientOffset({ origin: previous.t3, receive: t4, transmit: next.transmit }, next.t2, previous, ntpDiffGap(previous));
  t.equal(estimate?.method, 'exchange');
  t.equal(estimate?.offsetNs, ms(2_500), 'exact for a symmetric path');
  t.equal(estimate?.boundNs, ms(20), '± half the 40 ms round trip');
});

t.test('exchange: a client behind', async (t) => {
  const { previous, t4, next } = twoExchanges(-90_000, 5);
  const estimate = estimateClientOffset({ origin: previous.t3, receive: t4, transmit: next.transmit }, next.t2, previous, ntpDiffGap(previous));
  t.equal(estimate?.offsetNs, ms(-90_000));
});

t.test('transmit: no echo, but two requests whose T1 − T2 agree', async (t) => {
  const { previous, next } = twoExchanges(1_500, 10);
  const estimate = estimateClientOffset({ origin: 0n, receive: 0n, transmit: next.transmit }, next.t2, previous, ntpDiffGap(previous));
  t.equal(estimate?.method, 'transmit');
  t.equal(estimate?.offsetNs, ms(1_500 - 10), 'low by the one-way delay');
  t.equal(estimate?.boundNs, null);
});

t.test('random transmit timestamps (chrony, ntpd-rs) never agree: no estimate', async (t) => {
  const previous = { t1: 0x9e3779b97f4a7c15n, t2: ntp(base), t3: ntp(base + ms(0.1)) };
  const gap = 12_345_678_901_234n;
  t.equal(estimateClientOffset({ origin: 0n, receive: 0n, transmit: 0x5851f42d4c957f2dn }, ntp(base + 64_000_000_000n), previous, gap), null);
});

t.test('a constant transmit timestamp is not a clock either', async (t) => {
  const constant = 0x0123456789abcdefn;
  const previous = { t1: constant, t2: ntp(base), t3: ntp(base + ms(0.1)) };
  const gap = BigInt.asIntN(64, constant - previous.t2);
  const gapNs = (gap * 1_000_000_000n) >> 32n;
  for (const elapsedMs of [5, 2_000, 64_000]) {
    t.equal(estimateClientOffset({ origin: 0n, receive: 0n, transmit: constant }, ntp(base + ms(elapsedMs)), previous, gapNs), null, `${elapsedMs} ms later`);
  }
});

t.test('nothing to go on: first request, zero transmit, or an echo of something else', async (t) => {
  const { previous, t4, next } = twoExchanges(0, 1);
  t.equal(estimateClientOffset({ origin: 0n, receive: 0n, transmit: next.transmit }, next.t2, null, null), null, 'first request');
  t.equal(estimateClientOffset({ origin: 0n, receive: 0n, transmit: 0n }, next.t2, previous, ntpDiffGap(previous)), null, 'zero transmit');
  const other = estimateClientOffset({ origin: previous.t3 + 1n, receive: t4, transmit: next.transmit }, next.t2, previous, ntpDiffGap(previous));
  t.equal(other?.method, 'transmit', 'an origin that is not our T3 falls back to the transmit method');
  const negative = estimateClientOffset({ origin: previous.t3, receive: previous.t1 - (1n << 32n), transmit: 0n }, next.t2, previous, null);
  t.equal(negative, null, 'an echo implying a negative round trip is ignored');
});

/** T1 − T2 of the previous request, in ns. */
function ntpDiffGap(previous: { t1: bigint; t2: bigint }): bigint {
  const difference = BigInt.asIntN(64, previous.t1 - previous.t2);
  return (difference * 1_000_000_000n) >> 32n;
}
