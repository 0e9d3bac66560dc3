import t from 'tap';
import { readVarint, varintLength, writeVarint } from '../src/spool/varint.js';
import { decodePayload, encodeAck, encodeEventInto, eventFrameBytes, FRAME_HEADER_BYTES, toRanges } from '../src/spool/record-format.js';
import { crc32 } from '../src/spool/crc32.js';

t.test('varints round-trip up to 2^53', async (t) => {
  for (const value of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
    const buf = new Uint8Array(varintLength(value));
    t.equal(writeVarint(buf, 0, value), buf.length);
    t.same(readVarint(buf, 0), { value, next: buf.length }, String(value));
  }
  t.equal(readVarint(Uint8Array.of(0x80, 0x80), 0), undefined, 'truncated varint');
});

t.test('crc32 is the IEEE CRC', async (t) => {
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

t.test('an event frame round-trips, multi-byte text included', async (t) => {
  const event = { logGroup: '/netsidecar/syslog', logStream: 'rtr-東京-1', timestamp: 1_700_000_000_123, message: '{"m":"é😀"}' };
  const messageBytes = Buffer.byteLength(event.message);
  const buf = Buffer.alloc(eventFrameBytes(event));
  t.equal(encodeEventInto(buf, 0, 2 ** 40, event), buf.length);
  t.equal(buf.readUInt32LE(0), buf.length - FRAME_HEADER_BYTES);
  t.equal(buf.readUInt32LE(4), crc32(buf.subarray(FRAME_HEADER_BYTES)));
  t.same(decodePayload(buf.subarray(FRAME_HEADER_BYTES)), { type: 'event', event: { ...event, seq: 2 ** 40, bytes: messageBytes + 26 } });
});

t.test('ack ranges round-trip; toRanges merges, sorts and dedups', async (t) => {
  const ranges = toRanges([9, 3, 4, 5, 5, 2 ** 33, 10, 2 ** 33 + 1, 1]);
  t.same(ranges, [
    [1, 1],
    [3, 5],
    [9, 10],
    [2 ** 33, 2 ** 33 + 1],
  ]);
  const buf = encodeAck(ranges);
  t.same(decodePayload(buf.subarray(FRAME_HEADER_BYTES)), { type: 'ack', ranges });
});

t.test('malformed payloads decode as unknown, never throw', async (t) => {
  for (const payload of [Buffer.of(1, 2, 3), Buffer.of(2, 0x80), Buffer.of(9), Buffer.of(0, 1)]) {
    t.same(decodePayload(payload), { type: 'unknown' });
  }
});
