import t from 'tap';
import { createHash } from 'node:crypto';
import { AesCmac } from '../src/auth/aes-cmac.js';
import { parseKeyFile } from '../src/auth/key-file.js';
import { KeyRing } from '../src/auth/key-ring.js';
import { clientRequest, withDigestMac } from './support/packets.js';
import { responderHarness } from './support/responder-harness.js';

const aesKey = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
const keys = new KeyRing(
  parseKeyFile(['1 MD5 ASCII:router-md5', '2 SHA1 HEX:00112233445566778899aabbccddeeff00112233', `3 AES128 HEX:${aesKey.toString('hex')}`].join('\n')),
);
const withCmac = (packet: Buffer, keyId: number) => {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return Buffer.concat([packet, id, new AesCmac(aesKey).mac(packet)]);
};

t.test('MD5, SHA1 and AES128-CMAC requests get replies signed with the same key', async (t) => {
  const h = responderHarness({ keys });
  const md5 = h.ask(withDigestMac(clientRequest(), 1, 'md5', Buffer.from('router-md5')))!;
  t.equal(md5.length, 68);
  t.equal(md5.readUInt32BE(48), 1);
  t.equal(md5.subarray(52).toString('hex'), createHash('md5').update('router-md5').update(md5.subarray(0, 48)).digest('hex'), 'MD5(key ‖ reply header)');

  const shaSecret = Buffer.from('00112233445566778899aabbccddeeff00112233', 'hex');
  const sha1 = h.ask(withDigestMac(clientRequest(), 2, 'sha1', shaSecret))!;
  t.equal(sha1.length, 72);
  t.equal(sha1.readUInt32BE(48), 2);
  t.equal(sha1.subarray(52).toString('hex'), createHash('sha1').update(shaSecret).update(sha1.subarray(0, 48)).digest('hex'));

  const cmac = h.ask(withCmac(clientRequest(), 3))!;
  t.equal(cmac.length, 68);
  t.equal(cmac.subarray(52).toString('hex'), new AesCmac(aesKey).mac(cmac.subarray(0, 48)).toString('hex'));

  t.equal(await h.metric('netsidecar_ntp_auth_total', { result: 'ok' }), 3);
  t.match(h.clients.peek('192.0.2.1'), { authenticatedRequests: 3, keyId: 3 });
});

t.test('a wrong MAC or an unknown key gets a crypto-NAK (key ID 0, no digest)', async (t) => {
  const h = responderHarness({ keys });
  const wrongSecret = h.ask(withDigestMac(clientRequest(), 1, 'md5', Buffer.from('not-the-key')))!;
  t.equal(wrongSecret.length, 52);
  t.equal(wrongSecret.readUInt32BE(48), 0);
  const unknown = h.ask(withDigestMac(clientRequest(), 99, 'md5', Buffer.from('router-md5')))!;
  t.equal(unknown.length, 52);
  const wrongType = h.ask(withDigestMac(clientRequest(), 1, 'sha1', Buffer.from('router-md5')))!;
  t.equal(wrongType.length, 52, 'a 20-byte digest for an MD5 key');
  const tampered = withDigestMac(clientRequest(), 1, 'md5', Buffer.from('router-md5'));
  tampered[40]! ^= 1; // the transmit timestamp changed after signing
  t.equal(h.ask(tampered)!.readUInt32BE(48), 0);
  t.equal(await h.metric('netsidecar_ntp_auth_total', { result: 'bad_mac' }), 3);
  t.equal(await h.metric('netsidecar_ntp_auth_total', { result: 'unknown_key' }), 1);
  t.equal(await h.metric('netsidecar_ntp_replies_total', { kind: 'crypto_nak' }), 4);
  t.match(h.clients.peek('192.0.2.1'), { authFailures: 4, cryptoNakSent: 4, timeReplies: 0 });
});

t.test('no keys configured: a MAC is an unknown key (crypto-NAK); unauthenticated requests are served', async (t) => {
  const h = responderHarness({ keys: null });
  t.equal(h.ask(withDigestMac(clientRequest(), 1, 'md5', Buffer.from('x')))!.length, 52);
  t.equal(h.ask(clientRequest())!.length, 48);
});

t.test('REQUIRE_AUTH: unauthenticated requests are dropped, authenticated ones served', async (t) => {
  const h = responderHarness({ keys, requireAuth: true });
  t.equal(h.ask(clientRequest()), null);
  t.equal(await h.metric('netsidecar_ntp_dropped_total', { reason: 'auth_required' }), 1);
  t.equal(h.ask(withDigestMac(clientRequest(), 1, 'md5', Buffer.from('router-md5')))!.length, 68);
});

t.test('MACs after extension fields cover them (RFC 7822)', async (t) => {
  const h = responderHarness({ keys });
  const field = Buffer.alloc(28);
  field.writeUInt16BE(0x0104, 0);
  field.writeUInt16BE(28, 2);
  const signed = withDigestMac(Buffer.concat([clientRequest(), field]), 1, 'md5', Buffer.from('router-md5'));
  const reply = h.ask(signed)!;
  t.equal(reply.length, 68, 'the reply carries no extension field, only the MAC');
  t.equal(reply.readUInt32BE(48), 1);
});

t.test('a KoD to an authenticated client is signed; to an unauthenticated one it is not', async (t) => {
  const h = responderHarness({ keys, rateLimit: { enabled: true, burst: 1, leakLog2: 0 } });
  const request = () => withDigestMac(clientRequest(), 1, 'md5', Buffer.from('router-md5'));
  h.ask(request());
  const kod = h.ask(request())!;
  t.equal(kod.subarray(12, 16).toString('latin1'), 'RATE');
  t.equal(kod.length, 68);
  t.equal(kod.subarray(52).toString('hex'), createHash('md5').update('router-md5').update(kod.subarray(0, 48)).digest('hex'));
  h.ask(clientRequest(), '192.0.2.7');
  t.equal(h.ask(clientRequest(), '192.0.2.7')!.length, 48);
  const badKod = h.ask(withDigestMac(clientRequest(), 1, 'md5', Buffer.from('wrong')))!;
  t.equal(badKod.length, 48, 'a bad MAC gets an unsigned KoD while limited');
});
