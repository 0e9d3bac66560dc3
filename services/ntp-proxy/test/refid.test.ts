import t from 'tap';
import { createHash } from 'node:crypto';
import { ipv6Bytes, kissCode, refIdFromAddress, refIdFromAscii, refIdToString } from '../src/packet/refid.js';

t.test('IPv4 upstream: the address itself', async (t) => {
  t.equal(refIdFromAddress('169.254.169.123'), 0xa9fea97b);
  t.equal(refIdToString(0xa9fea97b, 3), '169.254.169.123');
});

t.test('IPv6 upstream: the first 4 bytes of the MD5 of the address (RFC 5905 §7.3)', async (t) => {
  const bytes = Buffer.from('fd000ec2000000000000000000000123', 'hex');
  t.equal(refIdFromAddress('fd00:ec2::123'), createHash('md5').update(bytes).digest().readUInt32BE(0));
});

t.test('IPv6 text forms to bytes', async (t) => {
  t.equal(ipv6Bytes('::1').toString('hex'), '00000000000000000000000000000001');
  t.equal(ipv6Bytes('::').toString('hex'), '0'.repeat(32));
  t.equal(ipv6Bytes('fd00:ec2::123').toString('hex'), 'fd000ec2000000000000000000000123');
  t.equal(ipv6Bytes('2001:db8:0:0:1:0:0:1').toString('hex'), '20010db8000000000001000000000001');
  t.equal(ipv6Bytes('::ffff:192.0.2.1').toString('hex'), '00000000000000000000ffffc0000201');
  t.equal(ipv6Bytes('1:2:3:4:5:6:1.2.3.4').toString('hex'), '00010002000300040005000601020304');
  t.equal(ipv6Bytes('fe80::1%eth0').toString('hex'), 'fe800000000000000000000000000001');
});

t.test('ASCII codes: LOCL, RATE and kiss codes', async (t) => {
  t.equal(refIdFromAscii('LOCL'), 0x4c4f434c);
  t.equal(refIdFromAscii('RATE'), 0x52415445);
  t.equal(refIdFromAscii('GPS'), 0x47505300, 'padded with zeros');
  t.equal(kissCode(0x52415445), 'RATE');
  t.equal(kissCode(0x44454e59), 'DENY');
  t.equal(kissCode(0), null, 'chrony unsynchronised: stratum 0, refid 0 is no kiss code');
  t.equal(kissCode(0xa9fea97b), null);
  t.equal(refIdToString(0x47505300, 1), 'GPS');
});

t.test('not an address', async (t) => {
  t.throws(() => refIdFromAddress('time.aws.com'));
});
