import t from 'tap';
import { AesCmac } from '../src/auth/aes-cmac.js';

// RFC 4493 §4 test vectors (also checked against `openssl mac -cipher AES-128-CBC ... CMAC`).
const key = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
const message = Buffer.from(
  '6bc1bee22e409f96e93d7e117393172a' + 'ae2d8a571e03ac9c9eb76fac45af8e51' + '30c81c46a35ce411e5fbc1191a0a52ef' + 'f69f2445df4f9b17ad2b417be66c3710',
  'hex',
);

t.test('subkeys K1 and K2 (RFC 4493 §4, subkey generation)', async (t) => {
  const { k1, k2 } = new AesCmac(key).subkeys();
  t.equal(k1.toString('hex'), 'fbeed618357133667c85e08f7236a8de');
  t.equal(k2.toString('hex'), 'f7ddac306ae266ccf90bc11ee46d513b');
});

t.test('examples 1-4: empty, one block, a partial last block, four blocks', async (t) => {
  const cmac = new AesCmac(key);
  t.equal(cmac.mac(message.subarray(0, 0)).toString('hex'), 'bb1d6929e95937287fa37d129b756746', 'length 0');
  t.equal(cmac.mac(message.subarray(0, 16)).toString('hex'), '070a16b46b4d4144f79bdd9dd04a287c', 'length 16');
  t.equal(cmac.mac(message.subarray(0, 40)).toString('hex'), 'dfa66747de9ae63030ca32611497c827', 'length 40');
  t.equal(cmac.mac(message).toString('hex'), '51f0bebf7e3b9d92fc49741779363cfe', 'length 64');
});

t.test('an NTP header (48 bytes: three complete blocks) and the key object is reusable', async (t) => {
  const cmac = new AesCmac(key);
  const header = Buffer.alloc(48, 7);
  t.same(cmac.mac(header), cmac.mac(Buffer.from(header)), 'deterministic');
  t.not(cmac.mac(header).toString('hex'), cmac.mac(Buffer.alloc(48, 8)).toString('hex'));
  t.equal(cmac.mac(header).length, 16);
});

t.test('a key of the wrong size is refused', async (t) => {
  t.throws(() => new AesCmac(Buffer.alloc(15)));
  t.throws(() => new AesCmac(Buffer.alloc(32)));
});
