// The inputs: validated once with errors that name the key, and a minimal deployment (no
// certificate, no syslog TLS, no NTP keys, NLB addresses left to AWS) that still synthesizes clean.
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeployConfig } from '../src/config.js';
import { loadDeployConfig } from '../src/load-config.js';
import { container, environmentOf, statementsOf, taskDefinition } from './optional-inputs.js';
import { exampleConfig, problems, resourcesOfType, synthesize } from './support.js';

const minimal = {
  account: '210987654321',
  region: 'eu-west-1',
  vpcId: 'vpc-0123456789abcdef0',
  subnets: [
    { id: 'subnet-0123456789abcdef1', availabilityZone: 'eu-west-1a' },
    { id: 'subnet-0123456789abcdef2', availabilityZone: 'eu-west-1b' },
  ],
  onPremisesCidrs: ['10.0.0.0/8'],
  images: { tag: '1.2.3' },
  secrets: { uploadCredentials: 'ns/upload-users', redactionKey: 'ns/redaction-key', slackWebhook: 'ns/slack' },
  alarms: { topicArn: 'arn:aws:sns:eu-west-1:210987654321:pager' },
};

t.test('the example and the minimal inputs are valid; defaults are filled in and frozen', async (t) => {
  t.same(problems(exampleConfig()), []);
  const config = parseDeployConfig(minimal);
  t.equal(config.stackName, 'Netsidecar');
  t.equal(config.logRetentionDays, 400);
  t.equal(config.shutdownDeadlineSeconds, 90);
  t.equal(config.images.tags.ntp, '1.2.3');
  t.equal(config.services.syslog.desiredCount, 2);
  t.ok(Object.isFrozen(config) && Object.isFrozen(config.subnets[0]));
});

t.test('bad inputs: every problem at once, each naming its key', async (t) => {
  const bad = {
    ...minimal,
    account: '1234',
    vpcId: 'vpc-nope',
    subnets: [{ id: 'subnet-0123456789abcdef1', availabilityZone: 'eu-west-1a' }],
    onPremisesCidrs: ['0.0.0.0/0', '10.0.0.300/8'],
    logRetentionDays: 365,
    shutdownDeadlineSeconds: 119,
    ntpRequireAuth: true,
    alarms: {},
    colour: 'blue',
    services: { syslog: { desiredCount: 1 } },
  };
  const found = problems(bad);
  for (const expected of [
    /^config\.account: expected a 12-digit AWS account ID, got "1234"$/,
    /^config\.vpcId: /,
    /^config\.subnets: expected a list of at least 2/,
    /^config\.onPremisesCidrs\[0\]: .*other than 0\.0\.0\.0\/0/,
    /^config\.onPremisesCidrs\[1\]: /,
    /^config\.logRetentionDays: expected an integer from 400/,
    /^config\.shutdownDeadlineSeconds: expected an integer from 5 to 115/,
    /^config\.ntpRequireAuth: needs config\.secrets\.ntpKeys/,
    /^config\.alarms: give email or topicArn/,
    /^config\.colour: unknown key/,
    /^config\.services\.syslog\.desiredCount: expected an integer from 2/,
  ]) {
    t.ok(
      found.some((p) => expected.test(p)),
      `${expected}`,
    );
  }
  t.same(problems({ ...minimal, subnets: [{ ...minimal.subnets[0], nlbAddress: '10.0.0.5' }, minimal.subnets[1]] }), [
    'config.subnets: give nlbAddress for every subnet or for none',
  ]);
  t.match(problems({ ...minimal, subnets: [minimal.subnets[0], { ...minimal.subnets[1], availabilityZone: 'eu-west-1a' }] }), [/two availability zones/]);
  t.match(problems({ ...minimal, certificateArn: 'arn:aws:acm:us-east-1:210987654321:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' }), [
    /in the stack's region \(eu-west-1\)/,
  ]);
  t.match(problems({ ...minimal, logRetentionDays: 500 }), [/CloudWatch accepts 400, 545/]);
});

t.test('intendedConfigs and eksClusters: optional, validated, each error naming its key', async (t) => {
  const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
  const config = parseDeployConfig({
    ...minimal,
    intendedConfigs: { bucketName: 'netops-intended', prefix: 'git/routers' },
    eksClusters: [{ name: 'Prod_EKS', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com/', certificateAuthority: ca }],
  });
  t.same(config.intendedConfigs, { bucketName: 'netops-intended', prefix: 'git/routers/', kmsKeyArn: null }, 'trailing slash added, as the service does');
  t.same(config.eksClusters, [{ name: 'Prod_EKS', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', certificateAuthority: ca }]);
  const none = parseDeployConfig(minimal);
  t.equal(none.intendedConfigs, null);
  t.same(none.eksClusters, []);

  const found = problems({
    ...minimal,
    intendedConfigs: { bucketName: 'Bad_Bucket', prefix: 'routers/*', kmsKeyArn: 'alias/intended', colour: 1 },
    eksClusters: [
      { name: 'eks prod', endpoint: 'http://eks.example', certificateAuthority: Buffer.from('not a certificate').toString('base64') },
      { name: 'ok', endpoint: 'https://a.example', certificateAuthority: ca },
      { name: 'ok', endpoint: 'https://b.example', certificateAuthority: ca },
    ],
  });
  for (const expected of [
    /^config\.intendedConfigs\.bucketName: expected an S3 bucket name, got "Bad_Bucket"$/,
    /^config\.intendedConfigs\.prefix: expected a key prefix .*no \* or \?/,
    /^config\.intendedConfigs\.kmsKeyArn: expected a KMS key ARN/,
    /^config\.intendedConfigs\.colour: unknown key/,
    /^config\.eksClusters\[0\]\.name: expected an EKS cluster name/,
    /^config\.eksClusters\[0\]\.endpoint: expected the cluster endpoint, https:/,
    /^config\.eksClusters\[0\]\.certificateAuthority: does not decode to a PEM certificate/,
    /^config\.eksClusters: cluster "ok" is listed twice$/,
  ]) {
    t.ok(
      found.some((p) => expected.test(p)),
      `${expected}`,
    );
  }
  t.equal(found.length, 8, found.join('\n'));
  t.match(problems({ ...minimal, intendedConfigs: { prefix: '/routers/' } }), [
    /intendedConfigs\.prefix: no leading "\/"/,
    /intendedConfigs\.bucketName: expected/,
  ]);
  t.match(problems({ ...minimal, eksClusters: [{ name: 'x', endpoint: 'https://x.example' }] }), [
    /eksClusters\[0\]\.certificateAuthority: expected certificateAuthority\.data of DescribeCluster/,
  ]);
});

t.test('complianceRulesFile: checked at synth with the service schema; a bad file is one problem line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'netsidecar-deploy-rules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = JSON.stringify({ rules: [{ id: 'ntp', description: 'NTP from the NLB', devices: 'rtr-*', require: ['ntp server 10\\.20\\.0\\.10( .*)?'] }] });
  writeFileSync(join(dir, 'rules.json'), good);
  t.same(parseDeployConfig({ ...minimal, complianceRulesFile: 'rules.json' }, { baseDir: dir }).complianceRules, {
    file: join(dir, 'rules.json'),
    text: good,
    sha256: createHash('sha256').update(good).digest('hex'),
    rules: 1,
  });
  t.equal(parseDeployConfig(minimal).complianceRules, null);
  // Relative to the config file when loaded from one.
  writeFileSync(join(dir, 'prod.json'), JSON.stringify({ ...minimal, complianceRulesFile: 'rules.json' }));
  t.equal(loadDeployConfig({ config: 'prod.json' }, dir).complianceRules?.text, good);

  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"rules": [', /: is not valid JSON: /],
    [
      'an unknown field',
      JSON.stringify({ rules: [{ id: 'ntp', description: 'x', devices: '*', require: ['x'], requires: ['x'] }] }),
      /: rule "ntp" \(rules\[0\]\): the rule must NOT have additional properties: requires$/,
    ],
    [
      'a bad regular expression',
      JSON.stringify({ rules: [{ id: 'ntp', description: 'x', devices: '*', forbid: ['(unclosed'] }] }),
      /: rule "ntp" \(rules\[0\]\): forbid\[0\] is not a valid regular expression: /,
    ],
    [
      'too large for the task definition',
      JSON.stringify({ rules: [{ id: 'x', description: 'x', devices: '*', forbid: ['a'] }], $schema: 'x'.repeat(40_000) }),
      /: \d+ bytes, at most 32768 \(the rules travel in the task definition\)$/,
    ],
  ];
  for (const [name, content, problem] of cases) {
    writeFileSync(join(dir, 'bad.json'), content);
    const found = problems({ ...minimal, complianceRulesFile: join(dir, 'bad.json') });
    t.equal(found.length, 1, `${name}: one problem`);
    t.ok(found[0]!.startsWith(`config.complianceRulesFile: ${join(dir, 'bad.json')}: `), `${name}: names the key and the file`);
    t.match(found[0], problem, `${name}: ${found[0]}`);
    t.notOk(found[0]!.includes('\n'), `${name}: one line`);
  }
  t.same(problems({ ...minimal, complianceRulesFile: join(dir, 'missing.json') }), [
    `config.complianceRulesFile: ${join(dir, 'missing.json')}: cannot be read (ENOENT)`,
  ]);
  t.match(problems({ ...minimal, complianceRulesFile: 5 }), [/^config\.complianceRulesFile: expected the path of a JSON rules file/]);
  // The whole message `cdk synth` prints (app.ts: the error, exit 2).
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ rules: [{ id: 'ntp', description: 'x', devices: '*' }] }));
  t.throws(() => synthesize({ ...minimal, complianceRulesFile: join(dir, 'bad.json') }, t), {
    name: 'DeployConfigError',
    message: `invalid netsidecar deploy config:\n  - config.complianceRulesFile: ${join(dir, 'bad.json')}: rule "ntp" (rules[0]): the rule must have require or forbid`,
  });
});

t.test('changeNotices: defaults, and bad values named', async (t) => {
  t.same(parseDeployConfig({ ...minimal, changeNotices: { sns: true } }).changeNotices, {
    sns: true,
    snsDevices: ['*'],
    slackWebhook: null,
    slackDevices: ['*'],
  });
  t.equal(parseDeployConfig(minimal).changeNotices, null);
  t.same(problems({ ...minimal, changeNotices: {} }), ['config.changeNotices: set sns to true or give slackWebhook (or leave changeNotices out)']);
  t.match(problems({ ...minimal, changeNotices: { sns: true, snsDevices: ['rtr /*'], colour: 1 } }), [
    /^config\.changeNotices\.colour: unknown key/,
    /^config\.changeNotices\.snsDevices\[0\]: expected a device glob/,
  ]);
});

t.test('archive and costs: defaults, and bad values named', async (t) => {
  const config = parseDeployConfig(minimal);
  t.same(config.archive, {
    retentionDays: 400,
    coldAfterDays: 90,
    coldStorageClass: 'GLACIER_IR',
    expireAfterDays: null,
    bufferSeconds: 900,
    athenaScanLimitGiB: 500,
  });
  t.same(config.costs, { tag: { key: 'netsidecar:stack', value: 'Netsidecar' }, budget: null, dailyIngestGiB: { syslog: 50, ntp: 1, config: 1, scan: 1 } });
  t.equal(config.alarms.volumeAnomalyStdDevs, 4);
  t.equal(parseDeployConfig({ ...minimal, stackName: 'Netsidecar-Test' }).costs.tag.value, 'Netsidecar-Test', 'the tag value follows the stack name');
  t.same(parseDeployConfig({ ...minimal, costs: { budget: { monthlyUsd: 900 } } }).costs.budget, { monthlyUsd: 900, email: null });

  const found = problems({
    ...minimal,
    archive: { retentionDays: 30, coldAfterDays: 10, coldStorageClass: 'DEEP_ARCHIVE', bufferSeconds: 1000, athenaScanLimitGiB: 0, colour: 1 },
    costs: { tag: { key: 'aws:cost' }, budget: { email: 'nobody' }, dailyIngestGiB: { syslog: 0, dns: 3 } },
  });
  for (const expected of [
    /^config\.archive\.retentionDays: expected an integer from 365 to 36500, got 30$/,
    /^config\.archive\.coldAfterDays: expected an integer from 30/,
    /^config\.archive\.coldStorageClass: expected GLACIER_IR or STANDARD_IA/,
    /^config\.archive\.bufferSeconds: expected an integer from 60 to 900/,
    /^config\.archive\.athenaScanLimitGiB: expected an integer from 1/,
    /^config\.archive\.colour: unknown key/,
    /^config\.costs\.tag\.key: expected a tag key \(not aws:\.\.\.\)/,
    /^config\.costs\.budget\.monthlyUsd: expected an integer from 1/,
    /^config\.costs\.budget\.email: expected an e-mail address/,
    /^config\.costs\.dailyIngestGiB\.syslog: expected an integer from 1/,
    /^config\.costs\.dailyIngestGiB\.dns: unknown key/,
  ]) {
    t.ok(
      found.some((p) => expected.test(p)),
      `${expected}`,
    );
  }
  t.equal(found.length, 11, found.join('\n'));
  t.match(problems({ ...minimal, archive: { retentionDays: 730, expireAfterDays: 400 } }), [
    /^config\.archive\.expireAfterDays: must be at least retentionDays \(730\)/,
  ]);
});

t.test('loading: a file relative to deploy/, or a context object, never both', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'netsidecar-deploy-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prod.json'), JSON.stringify(minimal));
  writeFileSync(join(dir, 'broken.json'), '{"account":');
  t.equal(loadDeployConfig({ config: 'prod.json' }, dir).region, 'eu-west-1');
  t.equal(loadDeployConfig({ netsidecar: JSON.stringify(minimal) }).region, 'eu-west-1');
  t.throws(() => loadDeployConfig({ config: 'broken.json' }, dir), /broken\.json is not valid JSON/);
  t.throws(() => loadDeployConfig({ config: 'missing.json' }, dir), /cannot read the config file/);
  t.throws(() => loadDeployConfig({ config: 'prod.json', netsidecar: minimal }, dir), /not both/);
  t.throws(() => loadDeployConfig({}), /no inputs/);
});

t.test('minimal deployment: no TLS listeners without certificates, no file secrets for NTP, nag clean', async (t) => {
  const { json } = synthesize(minimal, t);
  const listeners = resourcesOfType(json, 'AWS::ElasticLoadBalancingV2::Listener')
    .map(([, l]) => `${l.Protocol} ${l.Port}`)
    .sort();
  t.same(listeners, ['TCP 601', 'TCP 80', 'UDP 123', 'UDP 514'], 'the port table minus TLS 443 (no ACM certificate) and 6514 (no syslog certificate)');
  const [, nlb] = resourcesOfType(json, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]!;
  t.equal(nlb.SubnetMappings, undefined);
  t.equal((nlb.Subnets as unknown[]).length, 2);
  const ntp = resourcesOfType(json, 'AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-ntp')![1];
  t.same(
    (ntp.ContainerDefinitions as { Name: string }[]).map((c) => c.Name),
    ['ntp'],
    'no init container without secrets',
  );
  t.equal(resourcesOfType(json, 'AWS::SNS::Subscription').length, 0, 'no e-mail subscription');
  const alarm = resourcesOfType(json, 'AWS::CloudWatch::Alarm')[0]![1];
  t.ok((alarm.AlarmActions as unknown[]).includes('arn:aws:sns:eu-west-1:210987654321:pager'), 'alarms also go to the existing topic');

  // Without intendedConfigs: no variable, no statement on any other bucket.
  t.equal(environmentOf(container(taskDefinition(json, 'netsidecar-config-upload'), 'config')!).NETSIDECAR_UPLOAD_INTENDED_S3, undefined);
  t.equal(
    environmentOf(container(taskDefinition(json, 'netsidecar-config-upload'), 'config')!).NETSIDECAR_UPLOAD_COMPLIANCE_RULES,
    undefined,
    'no rules without complianceRulesFile',
  );
  t.same(
    Object.keys(environmentOf(container(taskDefinition(json, 'netsidecar-config-upload'), 'config')!)).filter((k) => k.startsWith('NETSIDECAR_UPLOAD_NOTIFY_')),
    [],
    'no change notices without changeNotices',
  );
  t.same(
    statementsOf(json, '').filter((s) => [s.Action].flat().includes('sns:Publish')),
    [],
  );
  t.same(
    statementsOf(json, '').filter((s) => s.Sid?.startsWith('IntendedConfigs')),
    [],
  );
  t.equal((json as unknown as { Outputs: Record<string, unknown> }).Outputs.ConfigUploadRoleArn, undefined);
  const buckets = statementsOf(json, 'ConfigTask').filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
  t.same(
    buckets.map((s) => s.Sid),
    ['ConfigStoreObjects', 'ConfigStoreList'],
    'the config store only',
  );
  // Without eksClusters: no EKS variables, no init container, the planner as before.
  const planner = taskDefinition(json, 'netsidecar-scan-plan');
  t.same(
    (planner.ContainerDefinitions as { Name: string }[]).map((c) => c.Name),
    ['scan'],
  );
  const plannerEnv = environmentOf(container(planner, 'scan')!);
  t.equal(plannerEnv.NETSIDECAR_SCAN_EKS_CLUSTERS, undefined);
  t.equal(plannerEnv.NETSIDECAR_SCAN_EKS_CA_DIR, undefined);
  t.notOk((planner.Volumes as { Name: string }[]).some((v) => v.Name === 'files'));
  t.ok(
    (json as unknown as { Outputs: Record<string, unknown> }).Outputs.ScanPlannerRoleArn,
    'the role ARN is an output anyway: access entries can be made before clusters are listed',
  );
  // sharedSpool is on unless turned off: the spool file system, Elastic throughput by default.
  const fileSystems = resourcesOfType(json, 'AWS::EFS::FileSystem');
  t.equal(fileSystems.length, 1, 'the shared spool volume without being asked for');
  t.equal(fileSystems[0]![1].ThroughputMode, 'elastic');
  t.equal(fileSystems[0]![1].ProvisionedThroughputInMibps, undefined);
  t.equal(environmentOf(container(taskDefinition(json, 'netsidecar-syslog'), 'syslog')!).NETSIDECAR_SPOOL_SHARED, 'true');
  // The archive with its defaults; no budget without costs.budget, the guardrail alarms all the same.
  const [, archive] = resourcesOfType(json, 'AWS::S3::Bucket').find(([id]) => id.startsWith('ArchiveBucket'))!;
  t.same(archive.ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } });
  t.equal(
    (archive.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] }).Rules[0]!.ExpirationInDays,
    undefined,
    'kept forever unless expireAfterDays',
  );
  t.equal(resourcesOfType(json, 'AWS::Budgets::Budget').length, 0, 'no budget');
  const alarmNames = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.AlarmName as string);
  for (const name of ['netsidecar-SyslogDailyIngest', 'netsidecar-SyslogTasks70', 'netsidecar-SyslogTasksMax', 'netsidecar-ScanArchiveStale'])
    t.ok(alarmNames.includes(name), name);
  t.notOk(
    alarmNames.some((n) => n.startsWith('netsidecar-Chatty')),
    'no monitored devices, no anomaly alarm',
  );
  const tasks70 = resourcesOfType(json, 'AWS::CloudWatch::Alarm').find(([, a]) => a.AlarmName === 'netsidecar-SyslogTasks70')![1];
  t.equal(tasks70.Threshold, 0.7 * 6, '70 % of the default syslog maximum (6)');
});
