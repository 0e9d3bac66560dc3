// Redaction per vendor, on fixtures composed from vendor documentation with planted secrets: every
// planted value is gone, the keywords and the harmless neighbours stay, and each value became the
// keyed tag of exactly that value.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor, Tagger, detectVendor, type Vendor } from '@netsidecar/config-upload';
import { fixturesDir } from './support/harness.js';

const tagger = new Tagger(Buffer.from('redaction-test-key-0123456789'));
const redactor = new Redactor(tagger);
const tag = (v: string) => tagger.tag(v);

interface Case {
  file: string;
  vendor: Vendor;
  count: number;
  /** Lines that must appear in the redacted text exactly. */
  lines: string[];
  freeText: string[];
}

const cases: Case[] = [
  {
    file: 'cisco-ios-archive.cfg',
    vendor: 'cisco-ios',
    count: 29,
    lines: [
      `enable secret 9 ${tag('$9$PlantIosEnable9a$PlantIosEnable9b')}`,
      `username netadmin privilege 15 secret 9 ${tag('$9$PlantIosUser9a$PlantIosUser9b')}`,
      `snmp-server community ${tag('PlantIosCommunityRO')} RO`,
      `snmp-server user v3user v3group v3 auth sha ${tag('PlantIosSnmpAuth')} priv aes 128 ${tag('PlantIosSnmpPriv')}`,
      `snmp-server host 10.0.0.40 version 2c ${tag('PlantIosTrapCommunity')}`,
      ` key 7 ${tag('PlantIosTacacsKey7')}`,
      ' key 1',
      `  key-string 7 ${tag('PlantIosKeyString7')}`,
      `crypto isakmp key ${tag('PlantIosIsakmpKey')} address 203.0.113.9`,
      `ntp authentication-key 1 md5 ${tag('PlantIosNtpKey')} 7`,
      'ntp trusted-key 1',
      ` path http://archiver:${tag('PlantIosUrlPass')}@10.0.0.50/configs/$h-$t`,
      ` standby 1 authentication md5 key-string ${tag('PlantIosHsrpMd5')}`,
      ' description uplink to core',
      'service password-encryption',
    ],
    freeText: ['banner motd'],
  },
  {
    file: 'cisco-iosxr.cfg',
    vendor: 'cisco-iosxr',
    count: 10,
    lines: [
      ` secret 10 ${tag('$6$PlantXrSalt$PlantXrSecretHash')}`,
      `  key-string password ${tag('PlantXrKeyString')}`,
      ` authentication-key 1 md5 encrypted ${tag('PlantXrNtpKey')}`,
      `  password encrypted ${tag('PlantXrBgpPass')}`,
    ],
    freeText: [],
  },
  {
    file: 'cisco-nxos.cfg',
    vendor: 'cisco-nxos',
    count: 8,
    lines: [
      `username admin password 5 ${tag('$5$PlantNxSalt$PlantNxHash')}  role network-admin`,
      `tacacs-server key 7 ${tag('"PlantNxTacacsKey"')}`,
      'username admin passphrase  lifetime 99999 warntime 14 gracetime 3',
    ],
    freeText: [],
  },
  {
    file: 'junos.conf',
    vendor: 'junos',
    count: 11,
    lines: [
      `        encrypted-password ${tag('"$6$PlantJunosRootSalt$PlantJunosRootHash"')}; ## SECRET-DATA`,
      `        authentication-key 1 type md5 value ${tag('"$9$PlantJunosNtpKey"')}; ## SECRET-DATA`,
      `    community ${tag('PlantJunosCommunity')} {`,
      '    community CUST-100 members 65001:100;',
    ],
    freeText: ['login message'],
  },
  {
    file: 'arista-eos.cfg',
    vendor: 'arista-eos',
    count: 11,
    lines: [
      `aaa root secret sha512 ${tag('$6$PlantEosRootSalt$PlantEosRootHash')}`,
      `ntp authentication-key 1 md5 7 ${tag('PlantEosNtpKey')}`,
      `   neighbor 192.0.2.1 password 7 ${tag('PlantEosBgpPass')}`,
    ],
    freeText: ['banner motd'],
  },
  {
    file: 'mikrotik.rsc',
    vendor: 'mikrotik',
    count: 9,
    lines: [
      `add addresses=10.0.0.0/8 name=${tag('PlantMtCommunity')}`,
      'set name=mt-tyo-1',
      'set [ find default=yes ] supplicant-identity=MikroTik',
      `add name=vpnuser password=${tag('PlantMtPppPass')} profile=default-encryption`,
    ],
    freeText: [],
  },
  {
    file: 'fortios.conf',
    vendor: 'fortios',
    count: 8,
    lines: [
      `        set password ${tag('ENC SH2PlantFortiAdminHash')}`,
      `        set name ${tag('"PlantFortiCommunity"')}`,
      '        set certificate "-----BEGIN CERTIFICATE-----',
      '    set hostname "fw-tyo-1"',
    ],
    freeText: ['replacemsg'],
  },
];

for (const c of cases) {
  t.test(c.file, async (t) => {
    const text = await readFile(join(fixturesDir, c.file), 'utf8');
    t.equal(detectVendor(text), c.vendor);
    const out = redactor.redact(text, c.vendor);
    t.notOk(/Plant/.test(out.text), 'no planted secret left');
    t.equal(out.count, c.count, 'redactions counted');
    t.equal(
      Object.values(out.byKind).reduce((a, b) => a + b, 0),
      out.count,
    );
    const lines = new Set(out.text.split('\n'));
    for (const line of c.lines) t.ok(lines.has(line), line);
    t.same(out.freeText, c.freeText);
    t.same(out.unclassified, [], 'every planted value found by a vendor rule, none left to the safety net');
    t.notOk('unclassified' in out.byKind);
    const again = redactor.redact(out.text, c.vendor);
    t.equal(again.text, out.text, 'redacting twice changes nothing');
    t.equal(again.count, 0);
    const asUnknown = redactor.redact(text, 'unknown');
    t.notOk(/Plant/.test(asUnknown.text), 'an unrecognised config still loses every planted secret');
    t.ok(asUnknown.count >= c.count, 'and no fewer values');
  });
}

t.test('CRLF uploads are redacted the same', async (t) => {
  const out = redactor.redact('hostname r1\r\nenable secret 0 PlantCrlf\r\n', 'cisco-ios');
  t.equal(out.text, `hostname r1\nenable secret 0 ${tag('PlantCrlf')}\n`);
});
