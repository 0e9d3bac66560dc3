// Building NTP packets in tests, independently of the code under test where it matters: the byte
// layout is written out by hand (RFC 5905 §7.3), not through encodeHeader.
import { createHash } from 'node:crypto';

export interface RequestFields {
  leap?: number;
  version?: number;
  mode?: number;
  stratum?: number;
  poll?: number;
  precision?: number;
  origin?: bigint;
  receive?: bigint;
  transmit?: bigint;
}

export function clientRequest(fields: RequestFields = {}): Buffer {
  const packet = Buffer.alloc(48);
  packet[0] = ((fields.leap ?? 0) << 6) | ((fields.version ?? 4) << 3) | (fields.mode ?? 3);
  packet[1] = fields.stratum ?? 0;
  packet.writeInt8(fields.poll ?? 6, 2);
  packet.writeInt8(fields.precision ?? -20, 3);
  packet.writeBigUInt64BE(fields.origin ?? 0n, 24);
  packet.writeBigUInt64BE(fields.receive ?? 0n, 32);
  packet.writeBigUInt64BE(fields.transmit ?? 0x0123456789abcdefn, 40);
  return packet;
}

/** packet ‖ key ID ‖ digest(secret ‖ packet): the classic NTP MD5/SHA1 MAC, written out independently. */
export function withDigestMac(packet: Buffer, keyId: number, algorithm: 'md5' | 'sha1', secret: Buffer): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return Buffer.concat([packet, id, createHash(algorithm).update(secret).update(packet).digest()]);
}

/** NTP timestamp of a Unix time in ms (independent of ntp-time.ts: plain arithmetic). */
export function ntpOfMs(ms: number): bigint {
  const seconds = BigInt(Math.floor(ms / 1000)) + 2_208_988_800n;
  const fraction = BigInt(Math.round(((ms % 1000) / 1000) * 2 ** 32));
  return (seconds << 32n) | fraction;
}
