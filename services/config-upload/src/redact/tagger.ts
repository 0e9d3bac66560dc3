import { createHmac } from 'node:crypto';

export const tagPrefix = '<redacted:';
const tagRe = /^<redacted:[0-9a-f]{8}>$/;

/**
 * `<redacted:xxxxxxxx>`: the first 8 hex digits of HMAC-SHA256(key, value). Equal secrets give
 * equal tags (a diff shows which lines share a secret, and a rotated one shows as a change); without
 * the key nobody can confirm a guessed password from a tag. 32 bits are enough to tell versions
 * apart and too few to be a useful offline oracle even with the key.
 */
export class Tagger {
  constructor(private readonly key: Buffer) {}

  tag(value: string): string {
    return `${tagPrefix}${createHmac('sha256', this.key).update(value).digest('hex').slice(0, 8)}>`;
  }

  static isTag(value: string): boolean {
    return tagRe.test(value);
  }
}
