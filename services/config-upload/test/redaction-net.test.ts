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
  const out = check(t, 'cisco-ios', 'snmp-server host 10.0.0.9 vrf MGMT newoption X1 version 2c PlantNewFormComm', ['PlantNewFormComm', 'X1'], 'snmp-server host * vrf * * * version 2c *');
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
  check(t, 'mikrotik', '/system script add name=s1 source="/tool fetch url=http://10.0.0.9/x user=u password=PlantScriptPw"', ['PlantScriptPw'], '* * * * *');
  check(t, 'cisco-ios', ' action 1.0 cli command "enable secret 0 PlantEemSecret"', ['PlantEemSecret'], '* * * * *');
  check(t, 'arista-eos', '   exec /opt/agent --api-key PlantAgentKey --verbose', ['PlantAgentKey'], 'exec * --api-key * *');
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
