/**
 * One upstream reply turned into a sample, or rejected with a reason (RFC 5905 §8 and the packet
 * sanity checks of §9.2 that apply to a client).
 *
 *   T1 our transmit   T2 server receive   T3 server transmit   T4 our receive
 *   offset = ((T2 − T1) + (T3 − T4)) / 2      delay = (T4 − T1) − (T3 − T2)
 *
 * T1 and T4 are read from the raw clock, so the offset is "upstream − raw": the served clock adds it.
 * Our request carries a random transmit timestamp (a nonce), not T1: the reply must echo it as its
 * origin, which proves it answers this request (an off-path attacker cannot guess 64 random bits),
 * and tells the server nothing about our clock.
 */
import { decodeHeader, leap as leapValues, modes } from '../packet/header.js';
import { ntpDiffNs, shortToSeconds, unixNsToNtp } from '../packet/ntp-time.js';
import { kissCode } from '../packet/refid.js';

/** RFC 5905 PHI: the frequency tolerance (15 ppm); a sample's dispersion grows by this per second. */
export const phi = 15e-6;
/** RFC 5905 MAXDIST: a server whose root distance is larger is not worth following (1 s). */
export const maxRootDistanceSeconds = 1;
/** We serve stratum upstream + 1, and 16 means unsynchronised: so stratum 15 upstream is useless. */
export const maxUpstreamStratum = 14;

export interface UpstreamSample {
  /** Raw-clock Unix ns when the reply arrived (T4). */
  atNs: bigint;
  /** upstream − raw clock. */
  offsetNs: bigint;
  delayNs: bigint;
  /** RFC 5905 §8 sample dispersion: both precisions plus PHI over the round trip, in seconds. */
  dispersionS: number;
  leap: number;
  stratum: number;
  precision: number;
  rootDelayS: number;
  rootDispersionS: number;
  refId: number;
  /** The upstream's reference timestamp (NTP format). */
  referenceTimestamp: bigint;
}

export const rejectReasons = [
  'too_short', // fewer than 48 bytes
  'bogus_origin', // the origin timestamp is not our nonce: not an answer to our request
  'bad_mode', // not mode 4 (server)
  'bad_version', // VN 0 or above 4
  'kiss', // stratum 0 with a kiss code (RATE, DENY, RSTR, ...): told to go away
  'unsynchronised', // LI = 3: the server says it has no good time
  'bad_stratum', // stratum 0 without a kiss code, or above 14 (we would serve 16)
  'zero_transmit', // a transmit timestamp of 0: not a time
  'bad_timestamps', // T3 before T2
  'bad_root_distance', // root distance above MAXDIST (1 s)
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export type Evaluation =
  { ok: true; sample: UpstreamSample } | { ok: false; reason: RejectReason; kissCode: string | null; stratum: number | null; leap: number | null };

export interface Exchange {
  /** The random transmit timestamp we sent. */
  nonce: bigint;
  /** Raw-clock Unix ns just before the request was sent. */
  t1Ns: bigint;
}

export function evaluateReply(reply: Buffer, exchange: Exchange, t4Ns: bigint, ourPrecision: number): Evaluation {
  const header = decodeHeader(reply);
  const reject = (reason: RejectReason, code: string | null = null): Evaluation => ({
    ok: false,
    reason,
    kissCode: code,
    stratum: header?.stratum ?? null,
    leap: header?.leap ?? null,
  });
  if (!header) return reject('too_short');
  if (header.originTimestamp !== exchange.nonce) return reject('bogus_origin');
  if (header.mode !== modes.server) return reject('bad_mode');
  if (header.version < 1 || header.version > 4) return reject('bad_version');
  if (header.stratum === 0) {
    const code = kissCode(header.refId);
    if (code !== null) return reject('kiss', code);
  }
  if (header.leap === leapValues.unsynchronised) return reject('unsynchronised');
  if (header.stratum === 0 || header.stratum > maxUpstreamStratum) return reject('bad_stratum');
  if (header.transmitTimestamp === 0n) return reject('zero_transmit');

  const t1 = unixNsToNtp(exchange.t1Ns);
  const t4 = unixNsToNtp(t4Ns);
  const serverTimeNs = ntpDiffNs(header.transmitTimestamp, header.receiveTimestamp);
  if (serverTimeNs < 0n) return reject('bad_timestamps');
  const offsetNs = (ntpDiffNs(header.receiveTimestamp, t1) + ntpDiffNs(header.transmitTimestamp, t4)) / 2n;
  // RFC 5905: the delay is at least our precision (a faster server clock can make it negative).
  const precisionNs = BigInt(Math.ceil(2 ** ourPrecision * 1e9));
  const rawDelayNs = t4Ns - exchange.t1Ns - serverTimeNs;
  const delayNs = rawDelayNs > precisionNs ? rawDelayNs : precisionNs;
  const delayS = Number(delayNs) / 1e9;
  const dispersionS = 2 ** header.precision + 2 ** ourPrecision + phi * delayS;
  const rootDelayS = shortToSeconds(header.rootDelay);
  const rootDispersionS = shortToSeconds(header.rootDispersion);
  if ((rootDelayS + delayS) / 2 + rootDispersionS + dispersionS > maxRootDistanceSeconds) return reject('bad_root_distance');

  return {
    ok: true,
    sample: {
      atNs: t4Ns,
      offsetNs,
      delayNs,
      dispersionS,
      leap: header.leap,
      stratum: header.stratum,
      precision: header.precision,
      rootDelayS,
      rootDispersionS,
      refId: header.refId,
      referenceTimestamp: header.referenceTimestamp,
    },
  };
}
