// Compliance rules through the real service: corpus configurations uploaded with curl, the rules
// file named by NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE, the result read from the config/1 events,
// the read API and the metrics. Rules run on the redacted text: no secret may reach a result.
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxEventBytes } from '@netsidecar/config-upload';
import { curl, startTestUpload, users, type TestUpload } from './support/harness.js';

const corpus = new URL('./corpus/devices/', import.meta.url).pathname;
const router = `${users.router.name}:${users.router.password}`;
const auditor = `${users.auditor.name}:${users.auditor.password}`;
/** Every secret in the corpus holds a marker `Mk<file><n>Zq` (corpus/README.md). */
const marker = /Mk\d{5}Zq/;

const rules = {
  rules: [
    {
      id: 'ntp-server-authenticated',
      description: 'IOS routers follow the NLB time source, with a key',
      devices: 'rtr-*',
      vendors: ['cisco-ios'],
      require: ['ntp server (vrf \\S+ )?10\\.20\\.1\\.123 key \\d+( prefer)?'],
    },
    {
      id: 'ntp-no-other-source',
      description: 'no time source but the two approved servers',
      devices: ['rtr-*'],
      forbid: ['ntp server (?!(vrf \\S+ )?10\\.(20|30)\\.1\\.123 ).*', 'set system ntp server (?!10\\.(20|30)\\.1\\.123( |$)).*'],
    },
    {
      id: 'vty-ssh-only',
      description: 'remote logins over SSH only',
      devices: 'rtr-*',
      vendors: ['cisco-ios'],
      section: '^line vty',
      require: ['transport input ssh'],
      forbid: ['transport input (all|telnet.*)'],
    },
    {
      id: 'no-telnet-anywhere',
      description: 'the same without section context: the aux line counts too',
      devices: 'rtr-*',
      vendors: ['cisco-ios'],
      forbid: ['transport input (all|telnet.*)'],
    },
    {
      id: 'vty-no-type0-password',
      description: 'a vty password is stored encrypted (a tag right after `password` is a type-0 secret)',
      devices: 'rtr-*',
      vendors: ['cisco-ios', 'cisco-nxos', 'cisco-iosxr', 'arista-eos'],
      section: '^line vty',
      forbid: ['password <redacted:[0-9a-f]{8}>'],
    },
    {
      id: 'no-snmp-community',
      description: 'SNMPv3 only: no v1/v2c community (its value is a secret: the rule can only see that one is set)',
      devices: 'rtr-*',
      forbid: ['snmp-server community .*'],
    },
    {
      id: 'junos-ssh-no-root',
      description: 'root cannot log in over SSH',
      devices: 'rtr-*',
      vendors: ['junos'],
      section: '^system services ssh$',
      require: ['root-login deny'],
    },
    {
      id: 'junos-syslog-and-ntp',
      description: 'syslog to the collector, NTP with an authentication key set (present as a tag)',
      devices: 'rtr-*',
      vendors: ['junos'],
      require: [
        'set system syslog host 10\\.(20|30)\\.1\\.40 .*',
        'set system ntp server 10\\.20\\.1\\.123 key \\d+.*',
        'set system ntp authentication-key 1 type md5 value "?<redacted:[0-9a-f]{8}>"?',
      ],
    },
    {
      id: 'switches-only',
      description: 'a rule for other devices: neither passed nor failed on a router',
      devices: 'sw-*',
      require: ['hostname .*'],
    },
    {
      id: 'community-value-invisible',
      description: 'a rule on a secret value (here the corpus community itself) never matches: rules see tags',
      devices: 'rtr-tyo-core1',
      forbid: ['snmp-server community Mk01026Zq( .*)?'],
    },
  ],
};

async function rulesFile(t: { teardown(fn: () => unknown): void }, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-rules-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'compliance.json');
  await writeFile(file, content);
  return file;
}

async function upload(up: TestUpload, corpusFile: string, name: string) {
  const r = await curl([
    '--data-binary',
    `@${join(corpus, corpusFile)}`,
    '-H',
    'Content-Type: text/plain',
    `http://${router}@127.0.0.1:${up.service.port}/configs/${name}`,
  ]);
  if (r.status !== 201) throw new Error(`${name}: ${r.status} ${r.body}`);
  return r.json!;
}

type Compliance = { rulesSha256: string; passed: string[]; failed: { id: string; reason: string }[]; failedCount: number };

async function latestCompliance(up: TestUpload, device: string): Promise<Compliance | null> {
  const events = (await up.events(device)).filter((e) => e.schema === 'config/1');
  return events.at(-1)!.compliance as Compliance | null;
}

/** The 1-based number of the stored (redacted) line that `match` finds, as the read API serves it. */
async function lineOf(up: TestUpload, device: string, match: RegExp, from = 0): Promise<number> {
  const stored = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/${device}/versions/1`]);
  const index = stored.body.split('\n').findIndex((l, i) => i >= from && match.test(l));
  if (index === -1) throw new Error(`no line ${match} in ${device}`);
  return index + 1;
}

t.test('corpus routers: rules pass and fail per vendor, with section context and line numbers', async (t) => {
  const text = JSON.stringify(rules, null, 2);
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, text) });
  await upload(up, '01-ios-xe-rtr-tyo-core1.cfg', 'rtr-tyo-core1.cfg');
  await upload(up, '02-ios-rtr-osa-br1.cfg', 'rtr-osa-br1.cfg');
  await upload(up, '20-junos-rtr-osa-mx1.conf', 'rtr-osa-mx1.conf');
  await upload(up, '26-junos-set-rtr-tyo-mx2.set', 'rtr-tyo-mx2.set');
  const sha = createHash('sha256').update(text).digest('hex');

  const core1 = (await latestCompliance(up, 'rtr-tyo-core1'))!;
  t.equal(core1.rulesSha256, sha, 'the SHA-256 of the rules file');
  t.same(core1.passed, ['ntp-server-authenticated', 'ntp-no-other-source', 'vty-ssh-only', 'no-telnet-anywhere', 'community-value-invisible']);
  t.same(
    core1.failed.map((f) => f.id),
    ['vty-no-type0-password', 'no-snmp-community'],
  );
  t.equal(core1.failedCount, 2);
  const vty515 = await lineOf(up, 'rtr-tyo-core1', /^line vty 5 15$/);
  const plain = await lineOf(up, 'rtr-tyo-core1', /^ password <redacted:[0-9a-f]{8}>$/, vty515);
  t.match(
    core1.failed[0]!.reason,
    new RegExp(`^forbidden "password <redacted:\\[0-9a-f\\]\\{8\\}>" at line ${plain}: password <redacted:[0-9a-f]{8}>$`),
    'the type-0 vty password, by line number, as a tag',
  );
  const community = await lineOf(up, 'rtr-tyo-core1', /^snmp-server community /);
  t.match(
    core1.failed[1]!.reason,
    new RegExp(
      `^forbidden "snmp-server community \\.\\*" at line ${community}: snmp-server community <redacted:[0-9a-f]{8}> RO SNMP-RO; forbidden .* at line ${community + 1}: `,
    ),
  );

  const br1 = (await latestCompliance(up, 'rtr-osa-br1'))!;
  t.same(br1.passed, ['ntp-no-other-source', 'vty-ssh-only', 'vty-no-type0-password']);
  t.same(
    br1.failed.map((f) => f.id),
    ['ntp-server-authenticated', 'no-telnet-anywhere', 'no-snmp-community'],
  );
  t.equal(br1.failed[0]!.reason, 'missing "ntp server (vrf \\S+ )?10\\.20\\.1\\.123 key \\d+( prefer)?"', 'only 10.30.1.123 is configured');
  const aux = await lineOf(up, 'rtr-osa-br1', /^ transport input all$/);
  t.equal(
    br1.failed[1]!.reason,
    `forbidden "transport input (all|telnet.*)" at line ${aux}: transport input all`,
    'line aux: outside any vty section, so vty-ssh-only passes',
  );

  for (const device of ['rtr-osa-mx1', 'rtr-tyo-mx2']) {
    const junos = (await latestCompliance(up, device))!;
    t.same(
      junos,
      { rulesSha256: sha, passed: ['ntp-no-other-source', 'no-snmp-community', 'junos-ssh-no-root', 'junos-syslog-and-ntp'], failed: [], failedCount: 0 },
      `${device}: curly and set forms read alike`,
    );
  }

  const versions = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-osa-br1/versions`]);
  t.match(JSON.parse(versions.body), [{ version: 1, complianceFailed: 3 }], 'the read API carries the failed count');
  const devices = JSON.parse((await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices`])).body) as {
    device: string;
    complianceFailed: number;
  }[];
  t.same(
    devices.map((d) => [d.device, d.complianceFailed]).sort(),
    [
      ['rtr-osa-br1', 3],
      ['rtr-osa-mx1', 0],
      ['rtr-tyo-core1', 2],
      ['rtr-tyo-mx2', 0],
    ],
    'and the devices list, of each latest version',
  );
  const metric = await up.registry.getSingleMetricAsString('netsidecar_config_compliance_failures_total');
  t.match(metric, /^netsidecar_config_compliance_failures_total(\{service="config"\})? 5$/m, '2 + 3 failed rules');

  // No secret anywhere: the compliance fields, the events, the answers, the logs.
  const all = JSON.stringify([core1, br1]) + (await up.everythingWritten()) + versions.body + up.logText();
  t.notMatch(all, marker, 'no corpus secret in any result, event, answer or log');
  t.match(JSON.stringify(core1.failed), /<redacted:[0-9a-f]{8}>/, 'a secret shows as its tag');
});

t.test('section context: indented blocks, Junos paths, a section that is missing', async (t) => {
  const text = JSON.stringify({
    rules: [
      { id: 'vty-acl', description: 'every vty block has an ACL', devices: '*', section: '^line vty', require: ['access-class \\S+ in( .*)?'] },
      { id: 'no-telnet-section', description: 'forbid-only without any such section passes', devices: '*', section: '^line telnet', forbid: ['.*'] },
      { id: 'bgp-auth', description: 'every neighbor block has a password', devices: '*', section: '^router bgp', require: ['neighbor \\S+ password .*'] },
      {
        id: 'junos-lo0',
        description: 'Junos: the loopback filter',
        devices: 'lab-j*',
        section: '^interfaces lo0 unit 0$',
        require: ['family inet filter input \\S+'],
      },
      { id: 'junos-no-protect-re', description: 'a `delete` line is not a statement', devices: 'lab-j2', forbid: ['.*PROTECT-RE.*'] },
    ],
  });
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, text) });
  const lab = `${users.lab.name}:${users.lab.password}`;
  const put = async (name: string, body: string) => {
    const r = await curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${lab}@127.0.0.1:${up.service.port}/configs/${name}`], body);
    t.equal(r.status, 201, name);
  };
  await put(
    'lab-c1',
    ['hostname lab-c1', '!', 'line vty 0 4', ' access-class MGMT in', ' transport input ssh', 'line vty 5 15', ' transport input ssh', '!', 'end', ''].join(
      '\n',
    ),
  );
  const c1 = (await latestCompliance(up, 'lab-c1'))!;
  t.same(c1.passed, ['no-telnet-section']);
  t.same(c1.failed, [
    { id: 'vty-acl', reason: 'missing "access-class \\S+ in( .*)?" in "line vty 5 15" (line 6)' },
    { id: 'bgp-auth', reason: 'no section matches "^router bgp"' },
  ]);
  await put(
    'lab-j1',
    [
      '## Last commit: 2026-11-22 22:58:01 UTC by admin',
      'version 23.4R1;',
      'interfaces {',
      '    lo0 {',
      '        unit 0 {',
      '            family inet {',
      '                filter {',
      '                    input PROTECT-RE;',
      '                }',
      '            }',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  await put(
    'lab-j2',
    'set system host-name lab-j2\nset interfaces lo0 unit 0 family inet address 10.0.0.1/32\ndelete interfaces lo0 unit 0 family inet filter input PROTECT-RE\n',
  );
  const j1 = (await latestCompliance(up, 'lab-j1'))!;
  const j2 = (await latestCompliance(up, 'lab-j2'))!;
  t.ok(j1.passed.includes('junos-lo0'), 'curly: the filter is under interfaces lo0 unit 0');
  t.ok(j2.passed.includes('junos-no-protect-re'), 'set form: the delete line is not read as a statement');
  t.same(
    j2.failed.find((f) => f.id === 'junos-lo0'),
    { id: 'junos-lo0', reason: 'missing "family inet filter input \\S+" in "interfaces lo0 unit 0" (line 2)' },
  );
});

t.test('500 rules failing everywhere: the config/1 event stays under its size limit', async (t) => {
  const long = (i: number, j: number) => `${'x'.repeat(900)} required line ${i}.${j}`;
  const many = Array.from({ length: 500 }, (_, i) => ({
    id: `rule-${String(i).padStart(59, '0')}`,
    description: 'x',
    devices: '*',
    require: [0, 1, 2, 3, 4, 5].map((j) => long(i, j)),
  }));
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, JSON.stringify({ rules: many })) });
  await upload(up, '01-ios-xe-rtr-tyo-core1.cfg', 'rtr-tyo-core1.cfg');
  const raw = await readFile(join(up.dataDir, 'logs', 'netsidecar', 'config', 'rtr-tyo-core1.jsonl'), 'utf8');
  const main = raw.split('\n').find((l) => l.includes('"schema":"config/1"'))!;
  t.ok(Buffer.byteLength(main) <= maxEventBytes, `config/1 of ${Buffer.byteLength(main)} bytes`);
  const compliance = (JSON.parse(main) as { compliance: Compliance }).compliance;
  t.equal(compliance.failedCount, 500);
  t.same(
    compliance.failed.map((f) => f.id),
    many.map((r) => r.id),
    'every failed id, whole',
  );
  t.ok(
    compliance.failed.every((f) => f.reason.startsWith('missing "xxx') && f.reason.endsWith('...') && f.reason.length <= 131),
    'reasons cut to an equal share',
  );
});

t.test('no rules file: no compliance check', async (t) => {
  const up = await startTestUpload(t);
  await upload(up, '02-ios-rtr-osa-br1.cfg', 'rtr-osa-br1.cfg');
  t.equal(await latestCompliance(up, 'rtr-osa-br1'), null);
  const versions = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-osa-br1/versions`]);
  t.match(JSON.parse(versions.body), [{ version: 1, complianceFailed: null }]);
});

t.test('a bad rules file stops the service with one line naming the file, the rule and the problem', async (t) => {
  const rule = { id: 'ntp', description: 'ntp', devices: 'rtr-*', require: ['ntp server .*'] };
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"rules": [', /: is not valid JSON: /],
    ['no rules key', '{}', /: the file must have required property 'rules'$/],
    [
      'a rule without devices',
      JSON.stringify({ rules: [rule, { id: 'snmp', description: 'x', forbid: ['a'] }] }),
      /: rule "snmp" \(rules\[1\]\): the rule must have required property 'devices'$/,
    ],
    [
      'an unknown field',
      JSON.stringify({ rules: [{ ...rule, requires: ['x'] }] }),
      /: rule "ntp" \(rules\[0\]\): the rule must NOT have additional properties: requires$/,
    ],
    [
      'neither require nor forbid',
      JSON.stringify({ rules: [{ id: 'x', description: 'x', devices: '*' }] }),
      /: rule "x" \(rules\[0\]\): the rule must have require or forbid$/,
    ],
    [
      'a pattern that is not a string',
      JSON.stringify({ rules: [{ ...rule, require: ['ok', 5] }] }),
      /: rule "ntp" \(rules\[0\]\): require\[1\] must be string$/,
    ],
    [
      'an unknown vendor',
      JSON.stringify({ rules: [{ ...rule, vendors: ['ios'] }] }),
      /: rule "ntp" \(rules\[0\]\): vendors\[0\] must be equal to one of the allowed values: cisco-ios, /,
    ],
    [
      'a bad regular expression',
      JSON.stringify({ rules: [{ ...rule, forbid: ['ntp server (unclosed'] }] }),
      /: rule "ntp" \(rules\[0\]\): forbid\[0\] is not a valid regular expression: /,
    ],
    ['a bad section', JSON.stringify({ rules: [{ ...rule, section: '[line' }] }), /: rule "ntp" \(rules\[0\]\): section is not a valid regular expression: /],
    ['a duplicate id', JSON.stringify({ rules: [rule, rule] }), /: rule "ntp" \(rules\[1\]\): the id is used by an earlier rule$/],
  ];
  for (const [name, content, problem] of cases) {
    const file = await rulesFile(t, content);
    const error = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: file }).then(
      () => null,
      (err: unknown) => err as Error & { code?: string },
    );
    t.equal(error?.code, 'NETSIDECAR_ERR_CONFIG', `${name}: a configuration error (exit 2)`);
    t.ok(error?.message.startsWith(`NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: ${file}: `), `${name}: names the variable and the file`);
    t.match(error?.message, problem, `${name}: ${error?.message}`);
    t.notOk(error?.message.includes('\n'), `${name}: one line`);
  }
  const missing = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: '/nonexistent/rules.json' }).catch((err: Error) => err);
  t.match((missing as Error).message, /^NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: \/nonexistent\/rules\.json: cannot be read \(ENOENT\)$/);
});

t.test('the README example rules file loads and checks an upload', async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf('## Compliance rules');
  const start = readme.indexOf('```json\n', at) + 8;
  const example = readme.slice(start, readme.indexOf('```', start));
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, example) });
  const config = [
    'hostname rtr-doc-1',
    'logging host 10.20.0.80',
    'ntp server 10.20.0.80 key 1 prefer',
    'ntp server 192.0.2.1',
    'line vty 0 4',
    ' transport input ssh',
    'end',
    '',
  ].join('\n');
  const r = await curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-doc-1`], config);
  t.equal(r.status, 201);
  t.same(await latestCompliance(up, 'rtr-doc-1'), {
    rulesSha256: createHash('sha256').update(example).digest('hex'),
    passed: ['logging-to-nlb', 'vty-ssh-only', 'snmp-v3-only'],
    failed: [{ id: 'ntp-authenticated', reason: 'forbidden "ntp server (?!10\\.20\\.0\\.80 ).*" at line 4: ntp server 192.0.2.1' }],
    failedCount: 1,
  });
});

t.test('inline rules (NETSIDECAR_UPLOAD_COMPLIANCE_RULES, what the CDK app sets) check as the file does', async (t) => {
  const text = JSON.stringify(rules);
  const up = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES: text });
  await upload(up, '02-ios-rtr-osa-br1.cfg', 'rtr-osa-br1.cfg');
  const inline = (await latestCompliance(up, 'rtr-osa-br1'))!;
  const fromFile = await startTestUpload(t, { NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, text) });
  await upload(fromFile, '02-ios-rtr-osa-br1.cfg', 'rtr-osa-br1.cfg');
  t.same(inline, await latestCompliance(fromFile, 'rtr-osa-br1'), 'the same result, the same rulesSha256');
  t.equal(inline.rulesSha256, createHash('sha256').update(text).digest('hex'), 'the SHA-256 of the text as given');

  const failure = (env: Record<string, string>) =>
    startTestUpload(t, env).then(
      () => null,
      (err: unknown) => err as Error & { code?: string },
    );
  const both = await failure({ NETSIDECAR_UPLOAD_COMPLIANCE_RULES: text, NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: await rulesFile(t, text) });
  t.equal(both?.message, 'NETSIDECAR_UPLOAD_COMPLIANCE_RULES: set it or NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE, not both');
  const bad = await failure({
    NETSIDECAR_UPLOAD_COMPLIANCE_RULES: JSON.stringify({ rules: [{ id: 'x', description: 'x', devices: '*', forbid: ['(unclosed'] }] }),
  });
  t.equal(bad?.code, 'NETSIDECAR_ERR_CONFIG');
  t.match(bad?.message, /^NETSIDECAR_UPLOAD_COMPLIANCE_RULES: inline rules: rule "x" \(rules\[0\]\): forbid\[0\] is not a valid regular expression: [^\n]*$/);
  const large = await failure({
    NETSIDECAR_UPLOAD_COMPLIANCE_RULES: JSON.stringify({ rules: [{ id: 'x', description: 'x'.repeat(40_000), devices: '*', forbid: ['a'] }] }),
  });
  t.match(large?.message, /^NETSIDECAR_UPLOAD_COMPLIANCE_RULES: \d+ bytes, at most 32768: use NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE$/);
});
