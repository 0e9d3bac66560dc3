/**
 * Computes and checks NTP symmetric-key MACs (RFC 5905 §7.3, RFC 8573).
 *
 * MD5 and SHA1 are the classic NTP "keyed digests", digest(key ‖ packet) — not HMAC — as ntpd,
 * chrony and router NTP clients compute them. AES128 is AES-128-CMAC over the packet (RFC 8573).
 * The digest is 16 bytes (MD5, CMAC) or 20 (SHA1); on the wire it follows a 4-byte key ID.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AesCmac } from './aes-cmac.js';
import type { KeyType, SymmetricKey } from './key-file.js';

export const digestLength: Record<KeyType, number> = { MD5: 16, SHA1: 20, AES128: 16 };

export class KeyRing {
  private readonly cmacs = new Map<number, AesCmac>();

  constructor(private readonly keys: ReadonlyMap<number, SymmetricKey>) {
    // Subkeys once per key, not per packet.
    for (const key of keys.values()) if (key.type === 'AES128') this.cmacs.set(key.id, new AesCmac(key.secret));
  }

  get size(): number {
    return this.keys.size;
  }

  /** Bytes of this key's digest on the wire (after the 4-byte key ID). */
  digestLength(key: SymmetricKey): number {
    return digestLength[key.type];
  }

  get(id: number): SymmetricKey | undefined {
    return this.keys.get(id);
  }

  /** How many keys of each type, for the start-up log (never the keys). */
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const key of this.keys.values()) counts[key.type] = (counts[key.type] ?? 0) + 1;
    return counts;
  }

  digest(key: SymmetricKey, data: Uint8Array): Buffer {
    if (key.type === 'AES128') return this.cmacs.get(key.id)!.mac(data);
    return createHash(key.type === 'MD5' ? 'md5' : 'sha1')
      .update(key.secret)
      .update(data)
      .digest();
  }

  /** Constant-time comparison, so a forger learns nothing from how long a rejection took. */
  verify(key: SymmetricKey, data: Uint8Array, digest: Uint8Array): boolean {
    if (digest.length !== digestLength[key.type]) return false;
    return timingSafeEqual(this.digest(key, data), digest);
  }

  /** `packet` followed by key ID and digest: the trailer of an authenticated packet. */
  sign(key: SymmetricKey, packet: Buffer, length: number): number {
    packet.writeUInt32BE(key.id, length);
    const digest = this.digest(key, packet.subarray(0, length));
    digest.copy(packet, length + 4);
    return length + 4 + digest.length;
  }
}
