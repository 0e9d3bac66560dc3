import t from 'tap';
import { writeRateKiss, writeTimeReply, writeTransmit, servedVersion } from '../src/server/reply.js';
import type { ReferenceState } from '../src/upstream/reference.js';
import { clientRequest } from './support/packets.js';

const state: ReferenceState = {
  synchronised: true,
  leap: 0,
  stratum: 2,
  refId: 0xa9fea97b,
  refIdText: '169.254.169.123',
  referenceTimestamp: 0xeb0000000000000an,
  rootDelayS: 0.25,
  rootDispersionS: 0.0625,
  offsetNs: 0n,
  selected: '169.254.169.123:123',
  lastSampleAgeS: 1,
  reason: null,
};

t.test('a time reply, field by field', async (t) => {
  const request = clientRequest({ version: 3, poll: -3, transmit: 0xdeadbeefcafebaben });
  const out = Buffer.alloc(48, 0xff);
  writeTimeReply(out, request, 3, state, -22, 0x1111111122222222n);
  t.equal(out[0], 0b00_011_100, 'LI 0, VN 3 (echoed), mode 4');
  t.equal(out[1], 2, 'stratum');
  t.equal(out.readInt8(2), -3, 'poll echoed, negative too');
  t.equal(out.readInt8(3), -22, 'precision');
  t.equal(out.readUInt32BE(4), 0x00004000, 'root delay 0.25 s');
  t.equal(out.readUInt32BE(8), 0x00001000, 'root dispersion 0.0625 s');
  t.equal(out.readUInt32BE(12), 0xa9fea97b);
  t.equal(out.readBigUInt64BE(16), 0xeb0000000000000an, 'reference time');
  t.same(out.subarray(24, 32), request.subarray(40, 48), 'origin = the request’s transmit bytes');
  t.equal(out.readBigUInt64BE(32), 0x1111111122222222n, 'receive = T2');
  t.equal(out.readBigUInt64BE(40), 0n, 'transmit left for T3');
  writeTransmit(out, 0x3333333344444444n);
  t.equal(out.readBigUInt64BE(40), 0x3333333344444444n);
});

t.test('unsynchronised: LI 3 and stratum 0 go out as the state says', async (t) => {
  const out = Buffer.alloc(48);
  writeTimeReply(out, clientRequest(), 4, { ...state, synchronised: false, leap: 3, stratum: 0, refId: 0 }, -20, 1n);
  t.equal(out[0]! >> 6, 3);
  t.equal(out[1], 0);
  t.equal(out.readUInt32BE(12), 0);
});

t.test('versions: echoed up to 4', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7].map(servedVersion), [1, 2, 3, 4, 4, 4, 4]);
});

t.test('KoD RATE: LI 3, stratum 0, refid RATE, poll at least the limit, no usable time', async (t) => {
  const request = clientRequest({ version: 4, poll: 1, transmit: 0x0102030405060708n });
  const out = Buffer.alloc(48, 0xee);
  writeRateKiss(out, request, 4, -20, 3);
  t.equal(out[0], 0b11_100_100);
  t.equal(out[1], 0);
  t.equal(out.readInt8(2), 3, 'poll raised to the rate-limit interval');
  t.equal(out.subarray(12, 16).toString('latin1'), 'RATE');
  t.equal(out.readUInt32BE(4), 0);
  t.equal(out.readBigUInt64BE(16), 0n);
  for (const at of [24, 32, 40]) t.equal(out.readBigUInt64BE(at), 0x0102030405060708n, `bytes ${at}..${at + 8} = the request’s transmit`);
  const slow = Buffer.alloc(48);
  writeRateKiss(slow, clientRequest({ poll: 10 }), 4, -20, 3);
  t.equal(slow.readInt8(2), 10, 'a client already polling slower keeps its poll');
});
