import t from 'tap';
import { KeyFileError, parseKeyFile } from '../src/auth/key-file.js';

t.test("chrony's keyfile format", async (t) => {
  const keys = parseKeyFile(
    [
      '# router keys',
      '1 MD5 HEX:0102030405060708090a0b0c0d0e0f10',
      '2 SHA1 ASCII:s3cret#with-hash',
      '3 AES128 HEX:2b7e151628aed2a6abf7158809cf4f3c',
      '',
      '   ! another comment style',
      '4 plainpassword',
      '5 md5 ASCII:lowercase-type',
      '4294967295 SHA1 HEX:00ff',
    ].join('\n'),
  );
  t.same([...keys.keys()], [1, 2, 3, 4, 5, 4294967295]);
  t.same(keys.get(1), { id: 1, type: 'MD5', secret: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex') });
  t.same(keys.get(2), { id: 2, type: 'SHA1', secret: Buffer.from('s3cret#with-hash') }, "an ASCII key may contain '#'");
  t.equal(keys.get(3)?.type, 'AES128');
  t.same(keys.get(4), { id: 4, type: 'MD5', secret: Buffer.from('plainpassword') }, 'no type: MD5, no prefix: ASCII');
  t.equal(keys.get(5)?.type, 'MD5');
});

t.test('errors name the line and never echo the key', async (t) => {
  const cases: [string, RegExp][] = [
    ['0 MD5 ASCII:topsecret', /line 1: the key ID must be a number from 1 to 4294967295/],
    ['4294967296 MD5 ASCII:topsecret', /line 1: the key ID/],
    ['x MD5 ASCII:topsecret', /line 1: the key ID/],
    ['1 SHA256 HEX:00112233', /line 1: key type SHA256 is not supported \(use MD5, SHA1, AES128\)/],
    ['1 MD5 HEX:0g', /line 1: HEX: must be followed by an even number of hexadecimal digits/],
    ['1 MD5 HEX:abc', /line 1: HEX: must be followed/],
    ['1 AES128 HEX:00112233445566778899aabbccddeeff00', /line 1: an AES128 key must be 16 bytes \(32 hex digits\), got 17 bytes/],
    ['1 MD5 ASCII:', /line 1: the key is empty/],
    ['1', /line 1: expected 'ID \[TYPE\] KEY'/],
    ['1 MD5 ASCII:a extra', /line 1: expected/],
    ['# c\n1 MD5 ASCII:topsecret\n1 SHA1 ASCII:topsecret', /line 3: key ID 1 is defined twice/],
  ];
  for (const [text, message] of cases) {
    const err = t.throws(() => parseKeyFile(text)) as Error;
    t.type(err, KeyFileError);
    t.match(err.message, message, text);
    t.notMatch(err.message, /topsecret|0g|00112233/, 'no key material in the message');
  }
});
