/**
 * How far a client's clock is from ours, from what its requests carry, without asking it anything.
 *
 * - `exchange`: clients built on ntpd (Cisco IOS, Junos, ...) put our previous reply's transmit
 *   timestamp in their origin field and the time they received it in their receive field (RFC 5905
 *   peer_xmit). With what we remember of that exchange that is a full on-wire measurement, seen from
 *   our side: client offset = −((T2 − T1) + (T3 − T4)) / 2, within ± delay / 2.
 * - `transmit`: otherwise T1 (the request's transmit timestamp) against T2 (our receive time):
 *   T1 − T2 = client offset − one-way delay, so it reads low by the one-way delay (ms on Direct
 *   Connect). It counts only when two successive requests agree, T1 having advanced as T2 did: chrony
 *   and ntpd-rs put a random value there to hide their clock, some SNTP clients a constant, and
 *   neither advances with time.
 * - null: nothing to go on yet, or a client that hides its clock.
 */
import { ntpDiffNs } from '../packet/ntp-time.js';

export type OffsetMethod = 'exchange' | 'transmit';

export interface ClientOffset {
  /** Client clock − our clock, ns. */
  offsetNs: bigint;
  /** ± this many ns (half the round-trip delay) for `exchange`; unknown (null) for `transmit`. */
  boundNs: bigint | null;
  method: OffsetMethod;
}

/** What we remember of the last exchange with a client (NTP timestamps). */
export interface ExchangeMemory {
  /** The client's transmit timestamp in its request. */
  t1: bigint;
  /** Our receive timestamp. */
  t2: bigint;
  /** Our transmit timestamp in the reply: the client echoes it as its next origin. */
  t3: bigint;
}

export interface RequestTimestamps {
  origin: bigint;
  receive: bigint;
  transmit: bigint;
}

const agreementNs = 1_000_000_000n; // two successive T1 − T2 within 1 s of each other...
// ...and within a quarter of the time between the requests, so that a constant T1 (which falls behind
// by all of that time) never passes for a clock, while path jitter and drift (ms) always do.
const maxExchangeDelayNs = 10_000_000_000n; // 10 s: a longer "round trip" is not an NTP exchange

/**
 * `previous`: the last exchange, or null; `previousTransmitGap`: T1 − T2 of the previous request (ns),
 * or null when it had no transmit timestamp.
 */
export function estimateClientOffset(
  request: RequestTimestamps,
  t2: bigint,
  previous: ExchangeMemory | null,
  previousTransmitGapNs: bigint | null,
): ClientOffset | null {
  if (previous && request.origin === previous.t3 && request.receive !== 0n) {
    const t4 = request.receive;
    const delayNs = ntpDiffNs(t4, previous.t1) - ntpDiffNs(previous.t3, previous.t2);
    if (delayNs >= 0n && delayNs < maxExchangeDelayNs) {
      const serverOffsetNs = (ntpDiffNs(previous.t2, previous.t1) + ntpDiffNs(previous.t3, t4)) / 2n;
      return { offsetNs: -serverOffsetNs, boundNs: delayNs / 2n, method: 'exchange' };
    }
  }
  if (request.transmit === 0n || previousTransmitGapNs === null || !previous) return null;
  const gapNs = ntpDiffNs(request.transmit, t2);
  const elapsedNs = ntpDiffNs(t2, previous.t2);
  const quarterNs = elapsedNs / 4n;
  const toleranceNs = quarterNs < agreementNs ? quarterNs : agreementNs;
  const change = gapNs - previousTransmitGapNs;
  if (change > toleranceNs || change < -toleranceNs) return null;
  return { offsetNs: gapNs, boundNs: null, method: 'transmit' };
}
