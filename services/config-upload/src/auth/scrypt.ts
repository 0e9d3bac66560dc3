import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes for the users file: scrypt N=2^14, r=8, p=1 (OWASP's minimum for scrypt), 32-byte
 * key, 16-byte random salt. About 50 ms and 16 MiB per verification, which is why verified
 * credentials are cached (authenticator.ts).
 */
export const scryptParams: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keyLength, scryptParams, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, salt: Buffer = randomBytes(16)): Promise<{ salt: string; hash: string }> {
  return { salt: salt.toString('base64'), hash: (await derive(password, salt)).toString('base64') };
}

export async function verifyPassword(password: string, salt: Buffer, hash: Buffer): Promise<boolean> {
  const key = await derive(password, salt);
  return key.length === hash.length && timingSafeEqual(key, hash);
}
