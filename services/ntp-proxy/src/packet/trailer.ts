/**
 * What follows the 48-byte header: NTPv4 extension fields (RFC 7822) and/or a MAC (RFC 5905 §7.3).
 *
 * RFC 7822 §7.5 tells them apart by length: while more than 24 bytes remain (the largest MAC: a
 * 4-byte key ID and a 20-byte SHA-1 digest) the next thing is an extension field (type, length ≥ 16,
 * multiple of 4); what remains after them is the MAC: 0 bytes (none), 4 (a crypto-NAK: key ID 0),
 * 20 (key ID + 16-byte MD5 or AES-CMAC) or 24 (key ID + 20-byte SHA-1). Anything else is malformed.
 * Parsing never throws.
 */
import { headerLength } from './header.js';

export const maxMacLength = 24;

export type Trailer =
  | { kind: 'none'; extensionFields: number }
  /** `macOffset`: the MAC covers packet[0, macOffset) (header and extension fields). */
  | { kind: 'mac'; keyId: number; digest: Buffer; macOffset: number; extensionFields: number }
  | { kind: 'crypto-nak'; extensionFields: number }
  | { kind: 'malformed'; reason: 'bad_extension_field' | 'bad_mac_length' };

export function parseTrailer(packet: Buffer): Trailer {
  let position = headerLength;
  let extensionFields = 0;
  while (packet.length - position > maxMacLength) {
    const fieldLength = packet.readUInt16BE(position + 2);
    if (fieldLength < 16 || fieldLength % 4 !== 0 || position + fieldLength > packet.length) {
      return { kind: 'malformed', reason: 'bad_extension_field' };
    }
    position += fieldLength;
    extensionFields++;
  }
  const remaining = packet.length - position;
  if (remaining === 0) return { kind: 'none', extensionFields };
  if (remaining === 4) {
    return packet.readUInt32BE(position) === 0 ? { kind: 'crypto-nak', extensionFields } : { kind: 'malformed', reason: 'bad_mac_length' };
  }
  if (remaining === 20 || remaining === 24) {
    return {
      kind: 'mac',
      keyId: packet.readUInt32BE(position),
      digest: packet.subarray(position + 4),
      macOffset: position,
      extensionFields,
    };
  }
  return { kind: 'malformed', reason: 'bad_mac_length' };
}
