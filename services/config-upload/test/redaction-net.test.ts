// Fail closed: what no vendor rule knows is still redacted, by the fail-closed rules of pass 1 (a
// known command in an unknown form) or by the safety net (an unknown command, a secret encoding),
// counted `unclassified`, and reported as a command shape that never holds a value.
import t, { type Test } from 'tap';
import { redactor, tagger } from './support/redact-case.js';
import type { Vendor } from '@netsidecar/config-upload';

const tagRe = /^<redacted:[0-9a-f]{8}>$/;

/** `shape` null: a vendor rule of pass 1 knows the form (the value must still be gone). */
function check(t: Test, vendor: Vendor, line: string, secrets: string[], shape: string | null) {
  const out = redactor.redact(`hostname r1\n${line}\n`, vendor);
  for (const s of secrets) t.notOk(out.text.includes(s), `${s} gone from: ${out.text.split('\n')[1]}`);
  for (const u of out.unclassified) for (const s of secrets) t.notOk(u.includes(s), 'no value in a shape');
  if (shape === null) return out;
  t.ok(out.unclassified.includes(shape), `shape ${shape} in ${JSON.stringify(out.unclassified)}`);
  t.ok((out.byKind.unclassified ?? 0) >= 1, 'counted unclassified');
  t.equal(out.text.split('\n')[0], 'hostname r1', 'the rest untouched');
  return out;
}

t.test('an unknown command with a secret word: everything after it is redacted', async (t) => {
  check(t, 'cisco-ios', 'frobnicate widget password PlantUnknownPw', ['PlantUnknownPw'], '* * password *');
  check(t, 'cisco-ios', 'frobnicate widget secret 7 PlantUnknown7', ['PlantUnknown7'], '* * secret * *');
  check(t, 'junos', 'set system frob widget-secret "PlantJunosUnknown"', ['PlantJunosUnknown'], 'set * * widget-secret *');
  check(t, 'arista-eos', 'frob community PlantEosUnknownComm vrf MGMT', ['PlantEosUnknownComm', 'MGMT'], '* community * vrf *');
  const out = check(t, 'cisco-ios', 'frob auth-key md5', ['md5 '], '* auth-key *');
  t.match(out.text, /^frob auth-key <redacted:[0-9a-f]{8}>$/m, 'a value that looks like an option word is still the value');
});

t.test('a known command in a form no rule declares: pass 1 redacts every non-keyword after its head', async (t) => {
  const out = check(
    t,
    'cisco-ios',
    'snmp-server host 10.0.0.9 vrf MGMT newoption X1 version 2c PlantNewFormComm',
    ['PlantNewFormComm', 'X1'],
    'snmp-server host * vrf * * * version 2c *',
  );
  t.match(out.text, /^snmp-server host \S+ vrf \S+ \S+ \S+ version 2c <redacted:[0-9a-f]{8}>$/m, 'keywords stay');
  check(t, 'cisco-ios', 'snmp-server user u1 g1 v3 auth sha PlantA priv aes512 PlantP', ['PlantA', 'PlantP'], 'snmp-server user * * v3 auth sha * priv * *');
});

t.test('secret encodings are redacted wherever they stand', async (t) => {
  check(t, 'cisco-ios', 'frob widget $1$PlantSalt$PlantMd5Crypt', ['PlantSalt', 'PlantMd5Crypt'], '* * *');
  check(t, 'cisco-ios', 'frob widget 7 0822455D0A16', ['0822455D0A16'], '* * 7 *');
  check(t, 'unknown', 'frob widget ENC PlantFortiEncValue', ['PlantFortiEncValue'], '* * * *');
  check(t, 'cisco-ios', 'frob widget "$9$PlantJunosReversible";', ['PlantJunosReversible'], '* * *');
  check(t, 'unknown', 'frob widget -AQ==PlantPanosEnc', ['PlantPanosEnc'], '* * *');
  check(t, 'unknown', 'frob widget 0x0123456789abcdef0123', ['0x0123456789abcdef0123'], '* * *');
  const pem = redactor.redact('hostname r1\nfrob "-----BEGIN RSA PRIVATE KEY-----\nPlantPemLine1\nPlantPemLine2\n-----END RSA PRIVATE KEY-----"\n', 'unknown');
  t.notOk(/PlantPem/.test(pem.text), 'a private key block anywhere');
  t.ok(pem.unclassified.includes('rsa private key block'));
});

t.test('values inside words: name=value, program options, XML, URLs, quoted commands', async (t) => {
  check(t, 'cisco-ios', 'frob widget-secret=PlantPairValue mode=fast', ['PlantPairValue'], '* * *');
  check(t, 'unknown', 'frob widget-secret=PlantPairUnknown mode=fast', ['PlantPairUnknown'], null);
  check(t, 'unknown', '<config><phash>PlantXmlHash</phash></config>', ['PlantXmlHash'], '*');
  check(t, 'cisco-ios', 'frob copy ftp://user:PlantUrlPass@10.0.0.9/x', ['PlantUrlPass'], null);
  check(t, 'cisco-ios', '/system script add name=s1 source="/tool fetch url=http://10.0.0.9/x user=u password=PlantScriptPw"', ['PlantScriptPw'], '* * * * *');
  // RouterOS's own reader knows scripts (pass 1)
  check(t, 'mikrotik', '/system script add name=s1 source="/tool fetch url=http://10.0.0.9/x user=u password=PlantScriptPw"', ['PlantScriptPw'], null);
  check(t, 'cisco-ios', ' action 1.0 cli command "enable secret 0 PlantEemSecret"', ['PlantEemSecret'], '* * * * *');
  check(t, 'arista-eos', '   exec /opt/agent --api-key PlantAgentKey --verbose', ['PlantAgentKey'], 'exec * --api-key * *');
});

t.test('compound secret words are read by their last part; algorithm words announce keys', async (t) => {
  // the leak corpus' net misses, each generalised: a `*_pass` name, `key` after `key-id N`,
  // `*-key`, a key after `ah-md5 3`, the ESP key after `aes-cbc 128` as well as the one after `sha1`
  check(t, 'cisco-ios', 'frob environment _backup_pass PlantCompoundPass', ['PlantCompoundPass'], '* environment _backup_pass *');
  check(t, 'cisco-ios', 'frob bfd keyed-sha1 key-id 1 key PlantKeyAfterId', ['PlantKeyAfterId'], '* bfd keyed-sha1 key-id 1 key *');
  const hex = check(t, 'cisco-ios', 'frob bfd keyed-md5 key-id 2 hex-key PlantHexKey99', ['PlantHexKey99'], '* bfd keyed-md5 key-id * hex-key *');
  t.match(hex.text, /^frob bfd keyed-md5 key-id 2 hex-key <redacted:[0-9a-f]{8}>$/m, 'the key id stays, the key goes');
  check(t, 'cisco-ios', 'frob pim hello-authentication ah-md5 3 c0ffee11022bd2d18', ['c0ffee11022bd2d18'], '* pim hello-authentication * * *');
  check(t, 'cisco-ios', 'frob pim hello-authentication ah-md5 PlantAhMd5', ['PlantAhMd5'], '* pim hello-authentication * *');
  check(t, 'cisco-ios', 'frob esp aes-cbc 128 PlantAesKey sha1 PlantShaKey', ['PlantAesKey', 'PlantShaKey'], '* esp aes-cbc * * * *');
  check(t, 'cisco-ios', 'frob widget-pwd PlantPwdSuffix', ['PlantPwdSuffix'], '* widget-pwd *');
  check(t, 'cisco-ios', 'frob auth-password-encrypted PlantModifierSuffix', ['PlantModifierSuffix'], '* auth-password-encrypted *');
});

t.test('an option string: a dotted option name says what its value is', async (t) => {
  const out = check(t, 'cisco-ios', 'frob -cvopt DC1.auth=key,PlantOptKey -cvopt DC1.vrf=MGMT', ['PlantOptKey'], '* * * * *');
  t.match(out.text, /^frob -cvopt DC1\.auth=key,<redacted:[0-9a-f]{8}> -cvopt DC1\.vrf=MGMT$/m, 'the selector and the other options stay');
});

t.test('secret encodings inside words and strings', async (t) => {
  check(t, 'unknown', '<authpwd>-AQ==PlantXmlEnc=</authpwd>', ['PlantXmlEnc'], '*');
  check(t, 'unknown', 'frob value="x-AQ==PlantInQuotes"', ['PlantInQuotes'], '* *');
  const basic = Buffer.from('u:PlantBasicPw').toString('base64');
  const out = check(t, 'cisco-ios', `frob send "GET / HTTP/1.1\\r\\nAuthorization: Basic ${basic}\\r\\n"`, [basic], '* send *');
  t.match(out.text, /Authorization: Basic <redacted:[0-9a-f]{8}>\\r\\n"$/m, 'an HTTP Basic credential in a request string');
  check(t, 'cisco-ios', 'frob header "X: y\\r\\nAuthorization: Bearer PlantBearerToken0123456789\\r\\n"', ['PlantBearerToken0123456789'], '* * *');
  const bare = Buffer.from('admin:PlantBareBasic').toString('base64');
  check(t, 'cisco-ios', `frob header Basic ${bare}`, [bare], '* * * *');
  t.equal(
    redactor.redact('hostname r1\nfrob uses basic compression everywhere\n', 'cisco-ios').count,
    0,
    'a word after "basic" that is no user:password in base64 stays',
  );
});

t.test('a script one quoting level down: its escapes are undone, a variable named for a secret holds one', async (t) => {
  const out = check(t, 'cisco-ios', 'frob source=":local pass \\"PlantVarPass\\"\\r\\n/tool fetch password=\\$pass"', ['PlantVarPass'], '* *');
  t.match(
    out.text,
    /:local pass \\"<redacted:[0-9a-f]{8}>\\"\\r\\n\/tool fetch password=\\\$pass"$/m,
    'the quotes stay around the tag; `$pass` is a reference, not a value',
  );
});

t.test('what follows a secret word but is no value: toggles, references, settings, prose, XML text, method lists', async (t) => {
  const lines = [
    'frob widget-password disable',
    'frob authentication md5 key-chain HSRP-KC level-2',
    'frob lsp-password keychain ISIS-HELLO level 2',
    'frob session shared-secret profile BGP-PROFILE',
    'frob macsec psk-keychain MACSEC-CORE fallback-psk-keychain MACSEC-CORE policy MACSEC-256',
    'frob isis authentication-type md5 level-2',
    'frob neighbor 192.0.2.10 route-map SECRET-ROUTES-IN in',
    'frob route-policy PASS in',
    'frob rsakeypair CORP-CA-KEY 2048',
    'frob widget password-memory 6',
    'frob passwd-time 2026-11-01 00:00:00',
    'description server-lan secret-zone (name only)',
    'set interfaces ge-0/0/9 description "key customer link"',
    '<login-banner>Do not share passwords or keys.</login-banner>',
    '<comment>trust - secret-lab VLAN lives elsewhere</comment>',
    '<password-change-period-block>1</password-change-period-block>',
    'add authentication=chap,mschap2 comment="key customers" require-message-auth=yes-for-request-resp name=x',
  ];
  const text = `hostname r1\n${lines.join('\n')}\n`;
  const out = redactor.redact(text, 'cisco-ios');
  t.equal(out.text, text, 'unchanged');
  t.same(out.unclassified, [], 'nothing redacted blindly');
  // a toggle is only a toggle alone: with anything after it, it may be the value
  check(t, 'cisco-ios', 'frob widget-password disable PlantAfterToggle', ['PlantAfterToggle'], '* widget-password * *');
});

t.test("two secret words in a row: the second is the first one's value, and what follows it is taken too", async (t) => {
  const out = check(t, 'cisco-ios', 'zzpwd password version level 2', ['version'], 'zzpwd * * level *');
  t.match(
    out.text,
    /^zzpwd <redacted:[0-9a-f]{8}> <redacted:[0-9a-f]{8}> level <redacted:[0-9a-f]{8}>$/m,
    'an option word right after the value is taken as a value',
  );
  // a name after a naming word is no keyword, however it reads
  const named = `hostname r1\nfrob server a-key secret ${tagger.tag('x')}\nfrob username u1 view A-key secret 0 ${tagger.tag('y')}\n`;
  t.equal(redactor.redact(named, 'cisco-ios').text, named, 'a server or view named like a key');
});

t.test('a tag followed by a word no grammar knows: the value a rule left behind', async (t) => {
  const planted = 'PlantLeftBehind9';
  const out = check(t, 'cisco-ios', `frob key ${tagger.tag('x')} ${planted}`, [planted], '* key * *');
  t.match(out.text, new RegExp(`^frob key ${tagger.tag('x')} <redacted:[0-9a-f]{8}>$`, 'm'));
});

t.test('SNMP by role: the word after version 1|2c, snmp-server host without a tag', async (t) => {
  check(t, 'unknown', 'snmp host 10.0.0.9 enable version 2c PlantSnmpRole', ['PlantSnmpRole'], 'snmp host * enable version 2c *');
});

t.test('redacting the output again changes nothing', async (t) => {
  const first = redactor.redact('hostname r1\nfrob widget password PlantAgainPw\nsnmp-server host 10.0.0.9 weird PlantAgainComm\n', 'cisco-ios');
  const again = redactor.redact(first.text, 'cisco-ios');
  t.equal(again.text, first.text);
  t.equal(again.count, 0);
  t.ok(first.text.split('\n').every((l) => l === '' || l === 'hostname r1' || l.split(' ').some((w) => tagRe.test(w))));
});
