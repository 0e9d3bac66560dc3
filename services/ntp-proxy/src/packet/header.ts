/**
 * The 48-byte NTP header (RFC 5905 §7.3), big-endian:
 *
 *   0  LI(2) VN(3) Mode(3) | Stratum | Poll (int8) | Precision (int8)
 *   4  Root Delay (short format)
 *   8  Root Dispersion (short format)
 *  12  Reference ID
 *  16  Reference Timestamp   24  Origin Timestamp   32  Receive Timestamp   40  Transmit Timestamp
 *
 * Root delay, root dispersion and the reference ID stay raw 32-bit words here; ntp-time.ts and
 * refid.ts convert them. Decoding never throws: a short packet is `null`.
 */
export const headerLength = 48;

export const modes = {
  reserved: 0,
  symmetricActive: 1,
  symmetricPassive: 2,
  client: 3,
  server: 4,
  broadcast: 5,
  control: 6, // ntpq (mode 6): never answered, it is an amplification and information-leak vector
  private: 7, // ntpdc monlist (mode 7): never answered (CVE-2013-5211)
} as const;

export const leap = {
  none: 0,
  insertSecond: 1,
  deleteSecond: 2,
  unsynchronised: 3,
} as const;

/** Byte offsets of the fields the hot path reads or writes directly. */
export const offsets = {
  referenceTimestamp: 16,
  originTimestamp: 24,
  receiveTimestamp: 32,
  transmitTimestamp: 40,
} as const;

export interface NtpHeader {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  poll: number;
  precision: number;
  /** Short format, raw 32-bit. */
  rootDelay: number;
  /** Short format, raw 32-bit. */
  rootDispersion: number;
  /** Raw 32-bit: an IPv4 address, an ASCII code (stratum 0/1) or an IPv6 hash. */
  refId: number;
  referenceTimestamp: bigint;
  originTimestamp: bigint;
  receiveTimestamp: bigint;
  transmitTimestamp: bigint;
}

export function decodeHeader(packet: Buffer): NtpHeader | null {
  if (packet.length < headerLength) return null;
  const first = packet[0]!;
  return {
    leap: first >> 6,
    version: (first >> 3) & 7,
    mode: first & 7,
    stratum: packet[1]!,
    poll: packet.readInt8(2),
    precision: packet.readInt8(3),
    rootDelay: packet.readUInt32BE(4),
    rootDispersion: packet.readUInt32BE(8),
    refId: packet.readUInt32BE(12),
    referenceTimestamp: packet.readBigUInt64BE(16),
    originTimestamp: packet.readBigUInt64BE(24),
    receiveTimestamp: packet.readBigUInt64BE(32),
    transmitTimestamp: packet.readBigUInt64BE(40),
  };
}

/** Writes the 48 header bytes into `target` at `offset` (a new buffer by default). */
export function encodeHeader(header: NtpHeader, target: Buffer = Buffer.alloc(headerLength), offset = 0): Buffer {
  target[offset] = ((header.leap & 3) << 6) | ((header.version & 7) << 3) | (header.mode & 7);
  target[offset + 1] = header.stratum & 0xff;
  target.writeInt8(clampInt8(header.poll), offset + 2);
  target.writeInt8(clampInt8(header.precision), offset + 3);
  target.writeUInt32BE(header.rootDelay >>> 0, offset + 4);
  target.writeUInt32BE(header.rootDispersion >>> 0, offset + 8);
  target.writeUInt32BE(header.refId >>> 0, offset + 12);
  target.writeBigUInt64BE(header.referenceTimestamp, offset + 16);
  target.writeBigUInt64BE(header.originTimestamp, offset + 24);
  target.writeBigUInt64BE(header.receiveTimestamp, offset + 32);
  target.writeBigUInt64BE(header.transmitTimestamp, offset + 40);
  return target;
}

/** LI, VN and mode of a packet's first byte without decoding the rest (the hot path's first look). */
export function firstByte(packet: Buffer): { leap: number; version: number; mode: number } {
  const first = packet[0] ?? 0;
  return { leap: first >> 6, version: (first >> 3) & 7, mode: first & 7 };
}

function clampInt8(value: number): number {
  return Math.max(-128, Math.min(127, Math.trunc(value)));
}
