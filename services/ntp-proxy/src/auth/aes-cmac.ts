/**
 * AES-128-CMAC (RFC 4493), the MAC of RFC 8573 for NTP. Node has AES but no CMAC, so the mode is
 * built here on AES-128-ECB (one block, for the subkeys) and AES-128-CBC with a zero IV (the chain):
 * CMAC is CBC-MAC whose last block is first XORed with subkey K1 (complete block) or K2 (padded).
 */
import { createCipheriv } from 'node:crypto';

const blockSize = 16;
const rb = 0x87; // the constant of RFC 4493 §2.3 for a 128-bit block
const zeroBlock = Buffer.alloc(blockSize);

export class AesCmac {
  private readonly k1: Buffer;
  private readonly k2: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length !== 16) throw new Error('AES-128-CMAC needs a 16-byte key');
    const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    const l = cipher.update(zeroBlock);
    this.k1 = double(l);
    this.k2 = double(this.k1);
  }

  /** The subkeys, for the RFC 4493 §4 test vectors. */
  subkeys(): { k1: Buffer; k2: Buffer } {
    return { k1: Buffer.from(this.k1), k2: Buffer.from(this.k2) };
  }

  mac(message: Uint8Array): Buffer {
    const blocks = Math.max(1, Math.ceil(message.length / blockSize));
    const complete = message.length > 0 && message.length % blockSize === 0;
    const input = Buffer.alloc(blocks * blockSize);
    input.set(message);
    const lastStart = (blocks - 1) * blockSize;
    if (!complete) input[message.length] = 0x80; // 10* padding
    const subkey = complete ? this.k1 : this.k2;
    for (let i = 0; i < blockSize; i++) input[lastStart + i]! ^= subkey[i]!;
    const cipher = createCipheriv('aes-128-cbc', this.key, zeroBlock).setAutoPadding(false);
    const out = cipher.update(input);
    return Buffer.from(out.subarray(out.length - blockSize));
  }
}

/** Left shift by one bit, XOR Rb into the last byte when the bit shifted out was 1 (RFC 4493 §2.3). */
function double(block: Buffer): Buffer {
  const out = Buffer.alloc(blockSize);
  for (let i = 0; i < blockSize; i++) out[i] = ((block[i]! << 1) | ((block[i + 1] ?? 0) >> 7)) & 0xff;
  if (block[0]! & 0x80) out[blockSize - 1]! ^= rb;
  return out;
}
