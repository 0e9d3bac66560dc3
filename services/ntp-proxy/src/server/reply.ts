/**
 * Server replies (mode 4) written straight into a buffer, RFC 5905 §7.3 / §9:
 *
 * - LI from the reference (3 when unsynchronised); VN = the request's, capped at 4 (a v3 router
 *   gets v3); stratum = upstream + 1 (0 when unsynchronised, as chrony); poll echoed; our precision;
 *   root delay and root dispersion from the reference (dispersion grows with the sample's age);
 *   reference ID and time from the reference;
 * - origin = the request's transmit timestamp, copied byte for byte (the client's check that this
 *   answers its request: never decoded, so a random nonce comes back intact);
 * - receive = T2; transmit = T3, written last by `writeTransmit`, just before the send.
 */
import { headerLength, leap as leapValues, modes, offsets } from '../packet/header.js';
import { secondsToShort } from '../packet/ntp-time.js';
import { refIdFromAscii } from '../packet/refid.js';
import type { ReferenceState } from '../upstream/reference.js';

export const maxServedVersion = 4;

export function servedVersion(requestVersion: number): number {
  return Math.min(requestVersion, maxServedVersion);
}

export function writeTimeReply(out: Buffer, request: Buffer, version: number, state: ReferenceState, precision: number, t2: bigint): void {
  out[0] = (state.leap << 6) | (version << 3) | modes.server;
  out[1] = state.stratum;
  out[2] = request[2]!; // poll: echoed as sent (RFC 5905 §7.3: the server copies it)
  out.writeInt8(precision, 3);
  out.writeUInt32BE(secondsToShort(state.rootDelayS), 4);
  out.writeUInt32BE(secondsToShort(state.rootDispersionS), 8);
  out.writeUInt32BE(state.refId >>> 0, 12);
  out.writeBigUInt64BE(state.referenceTimestamp, offsets.referenceTimestamp);
  request.copy(out, offsets.originTimestamp, offsets.transmitTimestamp, headerLength);
  out.writeBigUInt64BE(t2, offsets.receiveTimestamp);
  out.writeBigUInt64BE(0n, offsets.transmitTimestamp);
}

export function writeTransmit(out: Buffer, t3: bigint): void {
  out.writeBigUInt64BE(t3, offsets.transmitTimestamp);
}

const rateCode = refIdFromAscii('RATE');

/**
 * Kiss-o'-Death RATE (RFC 5905 §7.4): LI 3, stratum 0, reference ID "RATE", poll raised to the
 * rate-limit interval (the least a client should wait). Origin is the request's transmit timestamp
 * so the client accepts it as the answer; receive and transmit repeat it too, so a KoD carries no
 * usable time (as ntpd does).
 */
export function writeRateKiss(out: Buffer, request: Buffer, version: number, precision: number, minPollLog2: number): void {
  out.fill(0, 0, headerLength);
  out[0] = (leapValues.unsynchronised << 6) | (version << 3) | modes.server;
  out[1] = 0;
  out.writeInt8(Math.max(request.readInt8(2), Math.min(17, minPollLog2)), 2);
  out.writeInt8(precision, 3);
  out.writeUInt32BE(rateCode, 12);
  for (const at of [offsets.originTimestamp, offsets.receiveTimestamp, offsets.transmitTimestamp]) {
    request.copy(out, at, offsets.transmitTimestamp, headerLength);
  }
}
