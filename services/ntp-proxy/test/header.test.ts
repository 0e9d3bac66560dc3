import t from 'tap';
import { decodeHeader, encodeHeader, firstByte, type NtpHeader } from '../src/packet/header.js';

const header: NtpHeader = {
  leap: 3,
  version: 4,
  mode: 4,
  stratum: 2,
  poll: -6,
  precision: -25,
  rootDelay: 0x00010203,
  rootDispersion: 0xfffefdfc,
  refId: 0xa9fea97b, // 169.254.169.123
  referenceTimestamp: 0x1111111122222222n,
  originTimestamp: 0x3333333344444444n,
  receiveTimestamp: 0x5555555566666666n,
  transmitTimestamp: 0xffffffffffffffffn,
};

t.test('the 48-byte layout of RFC 5905 §7.3', async (t) => {
  const bytes = encodeHeader(header);
  t.equal(bytes.length, 48);
  t.equal(bytes[0], 0b11_100_100, 'LI 3, VN 4, mode 4');
  t.equal(bytes[1], 2);
  t.equal(bytes[2], 0xfa, 'poll -6 as int8');
  t.equal(bytes[3], 0xe7, 'precision -25 as int8');
  t.equal(bytes.subarray(4, 16).toString('hex'), '00010203fffefdfca9fea97b');
  t.equal(bytes.subarray(16, 48).toString('hex'), '1111111122222222' + '3333333344444444' + '5555555566666666' + 'ffffffffffffffff');
  t.same(decodeHeader(bytes), header, 'decodes back');
});

t.test('encodes into a larger buffer at an offset', async (t) => {
  const target = Buffer.alloc(60, 0xaa);
  encodeHeader(header, target, 6);
  t.equal(target[5], 0xaa);
  t.equal(target[54], 0xaa);
  t.same(decodeHeader(target.subarray(6, 54)), header);
});

t.test('a packet shorter than 48 bytes decodes to null, never throws', async (t) => {
  t.equal(decodeHeader(Buffer.alloc(47)), null);
  t.equal(decodeHeader(Buffer.alloc(0)), null);
  t.ok(decodeHeader(Buffer.alloc(68)), 'a trailer is not the header’s business');
});

t.test('first byte: LI, VN and mode', async (t) => {
  t.same(firstByte(Buffer.from([0x1b])), { leap: 0, version: 3, mode: 3 }, '0x1b: the classic SNTP v3 request');
  t.same(firstByte(Buffer.from([0x23])), { leap: 0, version: 4, mode: 3 });
  t.same(firstByte(Buffer.from([0xe4])), { leap: 3, version: 4, mode: 4 });
  t.same(firstByte(Buffer.alloc(0)), { leap: 0, version: 0, mode: 0 });
});
