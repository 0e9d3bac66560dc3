// The shared spool volume (issue 13.5): syslog's and config-upload's CloudWatch spools on one EFS
// file system, so a running task adopts what a replaced one left (packages/sink/README.md, "When the
// task is replaced"). Checked on the example inputs (on, provisioned throughput) and with
// `sharedSpool.enabled: false` (task storage, as before); the minimal inputs (on by default,
// Elastic throughput) are in config.test.ts.
import t from 'tap';
import { parseDeployConfig } from '../src/config.js';
import { sharedSpoolServices } from '../src/shared-spool.js';
import { dataDir } from '../src/task-definition.js';
import { container, environmentOf, statementsOf, taskDefinition } from './optional-inputs.js';
import { exampleConfig, problems, resourcesOfType, synthesize, type Synthesized } from './support.js';

type Props = Record<string, any>;

const raw = exampleConfig();
const config = parseDeployConfig(raw);
const { json } = synthesize(raw, t);

const resources = (j: Synthesized['json'], type: string) => resourcesOfType(j, type) as [string, Props][];
const refId = (value: unknown): string => {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v?.Ref ?? v?.['Fn::GetAtt']?.[0] ?? '';
};
const families = { syslog: 'netsidecar-syslog', config: 'netsidecar-config-upload', ntp: 'netsidecar-ntp', scan: 'netsidecar-scan-worker' } as const;
const efsActions = (j: Synthesized['json']) => statementsOf(j, '').filter((s) => [s.Action].flat().some((a) => a.startsWith('elasticfilesystem:')));

const [[fileSystemId, fileSystem]] = resources(json, 'AWS::EFS::FileSystem') as [[string, Props]];
const [[keyId]] = resources(json, 'AWS::KMS::Key') as [[string, Props]];
const accessPoints = resources(json, 'AWS::EFS::AccessPoint');
const accessPointOf = (service: string): string => accessPoints.find(([, ap]) => ap.RootDirectory.Path === `/${service}`)![0];
const spoolGroupId = refId(resources(json, 'AWS::EFS::MountTarget')[0]?.[1].SecurityGroups[0]);
const taskGroupId = (service: string): string =>
  resources(json, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith(`${service.charAt(0).toUpperCase()}${service.slice(1)}TaskSecurityGroup`))![0];

t.test('sharedSpool: on by default, an object with enabled and provisionedMiBps, bad values named', async (t) => {
  t.same(config.sharedSpool, { enabled: true, provisionedMiBps: 32 }, 'the example provisions 32 MiB/s');
  const { sharedSpool: _omitted, ...withoutIt } = raw;
  t.same(parseDeployConfig(withoutIt).sharedSpool, { enabled: true, provisionedMiBps: null }, 'absent: on, Elastic throughput');
  t.same(parseDeployConfig({ ...raw, sharedSpool: { enabled: false } }).sharedSpool, { enabled: false, provisionedMiBps: null });
  t.same(problems({ ...raw, sharedSpool: { enabled: 'yes', provisionedMiBps: 0, size: 1 } }), [
    'config.sharedSpool.size: unknown key (known: enabled, provisionedMiBps)',
    'config.sharedSpool.enabled: expected true or false, got "yes"',
    'config.sharedSpool.provisionedMiBps: expected an integer from 1 to 3414, got 0',
  ]);
  t.same(problems({ ...raw, sharedSpool: true }), ['config.sharedSpool: expected an object']);
});

t.test('the file system: encrypted with the stack key, retained, no backup, no lifecycle, General Purpose, the configured throughput', async (t) => {
  t.equal(resources(json, 'AWS::EFS::FileSystem').length, 1, 'one file system for both services');
  t.equal(fileSystem.Encrypted, true);
  t.equal(refId(fileSystem.KmsKeyId), keyId, "the stack's customer-managed key");
  const resource = json.Resources[fileSystemId] as unknown as Props;
  t.equal(resource.DeletionPolicy, 'Retain', 'a spool holds accepted events: kept when the stack goes');
  t.equal(resource.UpdateReplacePolicy, 'Retain');
  t.same(fileSystem.BackupPolicy, { Status: 'DISABLED' }, 'a spool is transient: no backup');
  t.equal(fileSystem.LifecyclePolicies, undefined, 'everything stays in Standard (no IA, no Archive)');
  t.equal(fileSystem.PerformanceMode, 'generalPurpose');
  t.equal(fileSystem.ThroughputMode, 'provisioned');
  t.equal(fileSystem.ProvisionedThroughputInMibps, 32);
});

t.test('the file system policy refuses clients without TLS and mounts without an access point, and allows no one', async (t) => {
  const statements = fileSystem.FileSystemPolicy.Statement as Props[];
  t.same(
    statements.map((s) => s.Effect),
    ['Deny', 'Deny'],
    "no Allow: access comes from the task roles' own policies only",
  );
  const clientActions = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite'];
  const tls = statements.find((s) => s.Sid === 'DenyWithoutTls')!;
  t.same([tls.Action].flat().sort(), clientActions);
  t.same(tls.Principal, { AWS: '*' });
  t.same(tls.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
  const bypass = statements.find((s) => s.Sid === 'DenyWithoutAccessPoint')!;
  t.same([bypass.Action].flat().sort(), clientActions);
  t.same(bypass.Condition, { Null: { 'elasticfilesystem:AccessPointArn': 'true' } });
});

t.test("mount targets in the private subnets only, behind a group that admits NFS from the two services' tasks only", async (t) => {
  const targets = resources(json, 'AWS::EFS::MountTarget');
  t.same(targets.map(([, m]) => m.SubnetId).sort(), config.subnets.map((s) => s.id).sort(), 'one per private subnet');
  for (const [, target] of targets) {
    t.equal(refId(target.FileSystemId), fileSystemId);
    t.same(target.SecurityGroups.map(refId), [spoolGroupId]);
  }
  const group = json.Resources[spoolGroupId]!.Properties as Props;
  t.equal(group.SecurityGroupIngress, undefined, 'no inline rule');
  t.same(
    group.SecurityGroupEgress.map((e: Props) => e.CidrIp),
    ['255.255.255.255/32'],
    "no egress (CDK's deny-all placeholder)",
  );
  const ingress = resources(json, 'AWS::EC2::SecurityGroupIngress')
    .filter(([, r]) => refId(r.GroupId) === spoolGroupId)
    .map(([, r]) => r);
  t.same(
    ingress.map((r) => refId(r.SourceSecurityGroupId)).sort(),
    sharedSpoolServices.map(taskGroupId).sort(),
    'from the syslog and config-upload task groups',
  );
  for (const rule of ingress) t.match(rule, { IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049 }, 'NFS only');
  for (const service of sharedSpoolServices) {
    const egress = resources(json, 'AWS::EC2::SecurityGroupEgress').filter(
      ([, r]) => refId(r.GroupId) === taskGroupId(service) && refId(r.DestinationSecurityGroupId) === spoolGroupId,
    );
    t.equal(egress.length, 1, `${service} tasks may reach it`);
    t.match(egress[0]?.[1], { IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049 });
  }
  for (const service of ['ntp', 'scan']) {
    t.notOk(
      resources(json, 'AWS::EC2::SecurityGroupEgress').some(
        ([, r]) => refId(r.GroupId) === taskGroupId(service) && refId(r.DestinationSecurityGroupId) === spoolGroupId,
      ),
      `${service} tasks may not`,
    );
  }
});

t.test("one access point per service: its own root directory, created for the containers' user, entered as that user", async (t) => {
  t.equal(accessPoints.length, sharedSpoolServices.length);
  for (const service of sharedSpoolServices) {
    const ap = accessPoints.find(([id]) => id === accessPointOf(service))![1];
    t.equal(refId(ap.FileSystemId), fileSystemId);
    t.same(ap.PosixUser, { Uid: '1000', Gid: '1000' }, `${service}: every client is the containers' user`);
    t.same(ap.RootDirectory, { Path: `/${service}`, CreationInfo: { OwnerUid: '1000', OwnerGid: '1000', Permissions: '0700' } });
    const main = container(taskDefinition(json, families[service]), service)!;
    t.equal(main.User, '1000:1000', `${service}: the container runs as the access point's user`);
  }
});

t.test("the task volume: through the service's access point, TLS, IAM; at the data dir; NETSIDECAR_SPOOL_SHARED", async (t) => {
  for (const service of sharedSpoolServices) {
    const td = taskDefinition(json, families[service]);
    const data = (td.Volumes as Props[]).find((v) => v.Name === 'data')!;
    t.same(
      data.EFSVolumeConfiguration,
      {
        FilesystemId: { Ref: fileSystemId },
        TransitEncryption: 'ENABLED',
        AuthorizationConfig: { AccessPointId: { Ref: accessPointOf(service) }, IAM: 'ENABLED' },
      },
      `${service}: its own access point`,
    );
    const main = container(td, service)!;
    const env = environmentOf(main);
    t.equal(env.NETSIDECAR_SPOOL_SHARED, 'true');
    t.equal(env.NETSIDECAR_DATA_DIR, dataDir);
    // The spool is <data dir>/spool/<service>/tasks/<task ID>/ (packages/sink): on the volume.
    t.same(
      (main.MountPoints as Props[]).filter((m) => m.SourceVolume === 'data'),
      [{ ContainerPath: dataDir, ReadOnly: false, SourceVolume: 'data' }],
    );
  }
  for (const service of ['ntp', 'scan'] as const) {
    const td = taskDefinition(json, families[service]);
    t.equal((td.Volumes as Props[]).find((v) => v.Name === 'data')!.EFSVolumeConfiguration, undefined, `${service}: task storage`);
    t.equal(environmentOf(container(td, service)!).NETSIDECAR_SPOOL_SHARED, undefined);
  }
});

t.test('each task role may mount and write through its own access point only, never as root', async (t) => {
  const statements = efsActions(json);
  t.equal(statements.length, sharedSpoolServices.length, 'one statement per service, none elsewhere');
  for (const service of sharedSpoolServices) {
    const prefix = `${service.charAt(0).toUpperCase()}${service.slice(1)}TaskTaskDefinitionTaskRole`;
    const own = statements.filter((s) => s.policy.startsWith(prefix));
    t.equal(own.length, 1, `${service}: its task role`);
    t.same([own[0]!.Action].flat().sort(), ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
    t.same(own[0]!.Resource, { 'Fn::GetAtt': [fileSystemId, 'Arn'] });
    const condition = own[0]!.Condition?.StringEquals?.['elasticfilesystem:AccessPointArn'];
    t.same(Object.keys(own[0]!.Condition ?? {}), ['StringEquals']);
    t.same(
      condition?.['Fn::Join']?.[1],
      ['arn:', { Ref: 'AWS::Partition' }, `:elasticfilesystem:${config.region}:${config.account}:access-point/`, { Ref: accessPointOf(service) }],
      `${service}: its own access point's ARN`,
    );
  }
  t.notMatch(JSON.stringify(resources(json, 'AWS::IAM::Policy')), /ClientRootAccess/, 'no role may act as root on it');
});

t.test('the services that mount it run on Fargate platform 1.4.0 (EFS volumes need 1.4.0 or later)', async (t) => {
  const services = resources(json, 'AWS::ECS::Service');
  for (const service of sharedSpoolServices) {
    t.equal(services.find(([, s]) => s.ServiceName === `netsidecar-${service}`)![1].PlatformVersion, '1.4.0', service);
  }
  for (const service of ['ntp', 'scan']) t.equal(services.find(([, s]) => s.ServiceName === `netsidecar-${service}`)![1].PlatformVersion, 'LATEST', service);
});

t.test('sharedSpool.enabled false: task storage as before, no file system, no grant, no variable', async (t) => {
  const { json: off } = synthesize({ ...raw, sharedSpool: { enabled: false } }, t);
  for (const type of ['AWS::EFS::FileSystem', 'AWS::EFS::AccessPoint', 'AWS::EFS::MountTarget']) t.equal(resources(off, type).length, 0, `no ${type}`);
  t.same(efsActions(off), []);
  for (const service of sharedSpoolServices) {
    const td = taskDefinition(off, families[service]);
    t.same(
      (td.Volumes as Props[]).find((v) => v.Name === 'data'),
      { Name: 'data' },
      `${service}: task storage`,
    );
    t.equal(environmentOf(container(td, service)!).NETSIDECAR_SPOOL_SHARED, undefined);
    t.equal(resources(off, 'AWS::ECS::Service').find(([, s]) => s.ServiceName === `netsidecar-${service}`)![1].PlatformVersion, 'LATEST');
  }
  t.notMatch(JSON.stringify(off), /2049/, 'no NFS rule');
});
