import t from 'tap';
import { parseTrailer } from '../src/packet/trailer.js';

const header = Buffer.alloc(48, 0x11);
const keyId = (id: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(id);
  return bytes;
};
const extension = (type: number, length: number) => {
  const field = Buffer.alloc(length, 0x22);
  field.writeUInt16BE(type, 0);
  field.writeUInt16BE(length, 2);
  return field;
};

t.test('no trailer', async (t) => {
  t.same(parseTrailer(header), { kind: 'none', extensionFields: 0 });
});

t.test('MAC: key ID and a 16-byte digest (MD5, AES-CMAC) or 20-byte (SHA1)', async (t) => {
  const md5 = parseTrailer(Buffer.concat([header, keyId(7), Buffer.alloc(16, 0xab)]));
  t.match(md5, { kind: 'mac', keyId: 7, macOffset: 48, extensionFields: 0 });
  t.equal(md5.kind === 'mac' && md5.digest.toString('hex'), 'ab'.repeat(16));
  const sha1 = parseTrailer(Buffer.concat([header, keyId(0xffffffff), Buffer.alloc(20, 0xcd)]));
  t.match(sha1, { kind: 'mac', keyId: 0xffffffff, macOffset: 48 });
  t.equal(sha1.kind === 'mac' && sha1.digest.length, 20);
});

t.test('crypto-NAK: a lone key ID of 0', async (t) => {
  t.same(parseTrailer(Buffer.concat([header, keyId(0)])), { kind: 'crypto-nak', extensionFields: 0 });
  t.same(parseTrailer(Buffer.concat([header, keyId(5)])), { kind: 'malformed', reason: 'bad_mac_length' });
});

t.test('extension fields, then a MAC (RFC 7822)', async (t) => {
  const packet = Buffer.concat([header, extension(0x0104, 36), extension(0x0204, 16), keyId(9), Buffer.alloc(16)]);
  t.match(parseTrailer(packet), { kind: 'mac', keyId: 9, macOffset: 48 + 36 + 16, extensionFields: 2 });
  t.match(parseTrailer(Buffer.concat([header, extension(0x0104, 28)])), { kind: 'none', extensionFields: 1 });
});

t.test('malformed lengths are reasons, not exceptions', async (t) => {
  t.same(
    parseTrailer(Buffer.concat([header, extension(1, 16).fill(0, 2, 4), Buffer.alloc(12)])),
    { kind: 'malformed', reason: 'bad_extension_field' },
    'length 0',
  );
  const odd = extension(1, 32);
  odd.writeUInt16BE(30, 2);
  t.same(parseTrailer(Buffer.concat([header, odd])), { kind: 'malformed', reason: 'bad_extension_field' }, 'not a multiple of 4');
  const long = extension(1, 28);
  long.writeUInt16BE(400, 2);
  t.same(parseTrailer(Buffer.concat([header, long])), { kind: 'malformed', reason: 'bad_extension_field' }, 'runs past the end');
  for (const size of [1, 3, 8, 12, 16, 19, 21, 23]) {
    t.same(parseTrailer(Buffer.concat([header, Buffer.alloc(size)])), { kind: 'malformed', reason: 'bad_mac_length' }, `${size} trailing bytes`);
  }
});
