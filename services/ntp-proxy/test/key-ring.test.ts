import t from 'tap';
import { createHash } from 'node:crypto';
import { AesCmac } from '../src/auth/aes-cmac.js';
import type { SymmetricKey } from '../src/auth/key-file.js';
import { KeyRing } from '../src/auth/key-ring.js';

const md5: SymmetricKey = { id: 1, type: 'MD5', secret: Buffer.from('md5-secret') };
const sha1: SymmetricKey = { id: 2, type: 'SHA1', secret: Buffer.from('sha1-secret') };
const aes: SymmetricKey = { id: 3, type: 'AES128', secret: Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex') };
const ring = new KeyRing(new Map([md5, sha1, aes].map((key) => [key.id, key])));
const packet = Buffer.alloc(48, 0x5a);

t.test('MD5 and SHA1 are digest(key ‖ packet), the NTP keyed digest (not HMAC)', async (t) => {
  t.equal(
    ring.digest(md5, packet).toString('hex'),
    createHash('md5')
      .update(Buffer.concat([md5.secret, packet]))
      .digest('hex'),
  );
  t.equal(
    ring.digest(sha1, packet).toString('hex'),
    createHash('sha1')
      .update(Buffer.concat([sha1.secret, packet]))
      .digest('hex'),
  );
  t.equal(ring.digestLength(md5), 16);
  t.equal(ring.digestLength(sha1), 20);
});

t.test('AES128 is AES-128-CMAC over the packet (RFC 8573)', async (t) => {
  t.equal(ring.digest(aes, packet).toString('hex'), new AesCmac(aes.secret).mac(packet).toString('hex'));
  t.equal(ring.digestLength(aes), 16);
});

t.test('verify: right digest, wrong digest, wrong length', async (t) => {
  for (const key of [md5, sha1, aes]) {
    const good = ring.digest(key, packet);
    t.ok(ring.verify(key, packet, good), `${key.type} accepts its own digest`);
    const bad = Buffer.from(good);
    bad[0]! ^= 1;
    t.notOk(ring.verify(key, packet, bad), `${key.type} rejects a flipped bit`);
    t.notOk(ring.verify(key, packet, good.subarray(0, good.length - 1)), `${key.type} rejects a short digest`);
    t.notOk(ring.verify(key, Buffer.alloc(48, 0x5b), good), `${key.type} rejects another packet`);
  }
});

t.test('sign appends key ID and digest after the packet', async (t) => {
  const out = Buffer.alloc(48 + 24);
  packet.copy(out);
  const length = ring.sign(sha1, out, 48);
  t.equal(length, 72);
  t.equal(out.readUInt32BE(48), 2);
  t.equal(out.subarray(52, 72).toString('hex'), ring.digest(sha1, packet).toString('hex'));
});

t.test('summary counts types, never keys', async (t) => {
  t.same(ring.summary(), { MD5: 1, SHA1: 1, AES128: 1 });
  t.equal(ring.size, 3);
  t.notMatch(JSON.stringify(ring.summary()), /secret/);
});
