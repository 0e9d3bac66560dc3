// The whole stack from deploy/config/example.json (every option on), synthesized once with the
// cdk-nag packs, then checked resource by resource against docs/ARCHITECTURE.md and issue 5.
import t from 'tap';
import type { CfnElement } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { commonVariables, loadConfig, type Schema } from '@netsidecar/config';
import { uploadVariables } from '@netsidecar/config-upload';
import { loadComplianceRules } from '@netsidecar/config-upload/compliance-rules';
import { ntpVariables } from '@netsidecar/ntp-proxy';
import { scanVariables } from '@netsidecar/scan-scheduler';
import { syslogVariables } from '@netsidecar/syslog';
import { decodeCertificateAuthority, parseDeployConfig, stopTimeoutMarginSeconds } from '../src/config.js';
import { emfMetrics, emfNamespace, filterMetrics, filterNamespace } from '../src/metrics.js';
import { acknowledgements } from '../src/nag-acknowledgements.js';
import { archiveDatabase, archiveQueries, archiveTable, archiveWorkGroup } from '../src/archive-queries.js';
import { savedQueries } from '../src/queries.js';
import { publicFileWriterScript, publicFilesMountPath, publicFilesVariable } from '../src/public-files.js';
import { secretFilePath, secretsMountPath } from '../src/secret-files.js';
import { serviceNames, serviceSpecs } from '../src/services.js';
import { container, environmentOf, rendered, statementsOf, taskDefinition } from './optional-inputs.js';
import { deployDir, exampleConfig, resourcesOfType, synthesize } from './support.js';

const raw = exampleConfig();
const config = parseDeployConfig(raw);
const { stack, template, json } = synthesize(raw, t);

// Template JSON is untyped: `any` keeps the assertions readable.
type Props = Record<string, any>;
const resources = (type: string) => resourcesOfType(json, type) as [string, Props][];
const byId = (id: string): Props => json.Resources[id]?.Properties ?? {};
const refId = (value: unknown): string => {
  const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return v.Ref ?? v['Fn::GetAtt']?.[0] ?? '';
};

t.test('cdk-nag: AwsSolutions and PCI DSS 3.2.1 leave nothing unacknowledged, and every acknowledgement is used', async (t) => {
  // synthesize() already threw on an unacknowledged finding; here: no stale acknowledgement.
  for (const ack of acknowledgements(config)) {
    t.ok((stack.acknowledged.get(`${ack.id} ${ack.paths.source}`) ?? 0) >= 1, `${ack.id} matches a construct`);
    t.ok(ack.reason.length > 40, `${ack.id} has a real reason`);
  }
});

t.test('NLB: internal, cross-zone, fixed addresses in two AZs, deletion protection', async (t) => {
  const [[, nlb]] = resources('AWS::ElasticLoadBalancingV2::LoadBalancer') as [[string, Props]];
  t.equal(nlb.Scheme, 'internal');
  t.equal(nlb.Type, 'network');
  t.same(
    nlb.SubnetMappings.map((m: Props) => m.PrivateIPv4Address),
    config.subnets.map((s) => s.nlbAddress),
  );
  const attributes = Object.fromEntries(nlb.LoadBalancerAttributes.map((a: Props) => [a.Key, a.Value]));
  t.equal(attributes['load_balancing.cross_zone.enabled'], 'true');
  t.equal(attributes['deletion_protection.enabled'], 'true');
});

t.test('every listener → target group → container mapping is exactly the port table', async (t) => {
  const expected = serviceNames.flatMap((name) => serviceSpecs[name].listeners.map((l) => ({ name, ...l })));
  t.equal(expected.length, 6, 'the port table: UDP 514, TCP 601, TCP 6514, UDP 123, TCP 80, TLS 443');
  const listeners = resources('AWS::ElasticLoadBalancingV2::Listener');
  t.equal(listeners.length, expected.length, 'no other listener');
  const services = resources('AWS::ECS::Service');
  for (const want of expected) {
    const found = listeners.filter(([, l]) => l.Port === want.listenerPort && l.Protocol === want.listenerProtocol);
    t.equal(found.length, 1, `${want.listenerProtocol} ${want.listenerPort} listener`);
    const listener = found[0]![1];
    const targetGroupId = refId(listener.DefaultActions[0].TargetGroupArn);
    const tg = byId(targetGroupId);
    t.equal(tg.TargetType, 'ip', `${want.id}: target type ip`);
    t.equal(tg.Port, want.containerPort, `${want.id}: → container port ${want.containerPort}`);
    t.equal(tg.Protocol, want.containerProtocol.toUpperCase(), `${want.id}: target protocol`);
    t.equal(tg.HealthCheckProtocol, 'HTTP', `${want.id}: HTTP health check`);
    t.equal(tg.HealthCheckPort, String(serviceSpecs[want.name].healthPort), `${want.id}: on the health port`);
    t.equal(tg.HealthCheckPath, '/healthz');
    const attributes = Object.fromEntries(tg.TargetGroupAttributes.map((a: Props) => [a.Key, a.Value]));
    t.equal(attributes['deregistration_delay.timeout_seconds'], '30');
    if (want.containerProtocol === 'udp') {
      t.equal(attributes['deregistration_delay.connection_termination.enabled'], 'true', `${want.id}: UDP flows end on deregistration`);
    } else {
      t.equal(attributes['preserve_client_ip.enabled'], 'true', `${want.id}: the router's own address reaches the service`);
    }
    if (want.listenerProtocol === 'TLS') {
      t.same(listener.Certificates, [{ CertificateArn: config.certificateArn }]);
      t.match(listener.SslPolicy, /^ELBSecurityPolicy-TLS13/);
    }
    // The ECS service registers its container for that target group.
    const owners = services.filter(([, s]) =>
      (s.LoadBalancers ?? []).some(
        (lb: Props) => refId(lb.TargetGroupArn) === targetGroupId && lb.ContainerPort === want.containerPort && lb.ContainerName === want.name,
      ),
    );
    t.equal(owners.length, 1, `${want.id}: one service's "${want.name}" container behind it`);
    t.equal(owners[0]?.[1].ServiceName, `netsidecar-${want.name}`);
  }
});

t.test('security groups admit only the on-premises CIDRs and the NLB (and NFS from the tasks to the spool volume)', async (t) => {
  // The spool file system's group admits NFS from task groups only (shared-spool.test.ts).
  const spoolGroup = stack.sharedSpool?.securityGroup;
  const isSpoolGroup = (rule: Props) => spoolGroup !== undefined && refId(rule.GroupId) === stack.getLogicalId(spoolGroup.node.defaultChild as CfnElement);
  const nfs = resources('AWS::EC2::SecurityGroupIngress')
    .map(([, r]) => r)
    .filter(isSpoolGroup);
  t.equal(nfs.length, 2, 'syslog and config-upload tasks');
  for (const rule of nfs)
    t.match(rule, {
      IpProtocol: 'tcp',
      FromPort: 2049,
      ToPort: 2049,
      SourceSecurityGroupId: { 'Fn::GetAtt': [/^(Syslog|Config)TaskSecurityGroup/, 'GroupId'] },
    });
  const ingress = [
    ...resources('AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r)
      .filter((r) => !isSpoolGroup(r)),
    ...resources('AWS::EC2::SecurityGroup').flatMap(([, g]) => (g.SecurityGroupIngress ?? []) as Props[]),
  ];
  t.ok(ingress.length > 10);
  const nlbGroup = refId(resources('AWS::ElasticLoadBalancingV2::LoadBalancer')[0]![1].SecurityGroups[0]);
  t.ok(nlbGroup);
  for (const rule of ingress) {
    if (rule.CidrIp !== undefined || rule.CidrIpv6 !== undefined) {
      t.ok(config.onPremisesCidrs.includes(rule.CidrIp ?? rule.CidrIpv6), `${rule.Description}: ${rule.CidrIp}`);
    } else {
      t.equal(refId(rule.SourceSecurityGroupId), nlbGroup, `${rule.Description}: from the NLB's group`);
    }
  }
  for (const cidr of config.onPremisesCidrs) {
    t.ok(
      ingress.some((r) => r.CidrIp === cidr && r.FromPort === 514 && r.IpProtocol === 'udp'),
      `NLB admits ${cidr} on UDP 514`,
    );
  }
});

t.test('task definitions: read-only root, non-root, no capabilities, spool volume, drain deadline', async (t) => {
  const taskDefinitions = resources('AWS::ECS::TaskDefinition');
  t.equal(taskDefinitions.length, 5, 'syslog, ntp, config, scan worker, scan planner');
  for (const [id, td] of taskDefinitions) {
    t.same(td.RequiresCompatibilities, ['FARGATE'], id);
    t.ok(
      td.Volumes.some((v: Props) => v.Name === 'data'),
      `${id}: the writable data volume`,
    );
    for (const container of td.ContainerDefinitions as Props[]) {
      const what = `${id}/${container.Name}`;
      t.equal(container.ReadonlyRootFilesystem, true, `${what}: read-only root filesystem`);
      t.equal(container.User, '1000:1000', `${what}: non-root`);
      t.same(container.LinuxParameters?.Capabilities?.Drop, ['ALL'], `${what}: no capabilities`);
      t.equal(container.Privileged, undefined, `${what}: not privileged`);
    }
    const main = (td.ContainerDefinitions as Props[]).find((c) => serviceNames.includes(c.Name))!;
    const env = Object.fromEntries((main.Environment as Props[]).map((e) => [e.Name, e.Value]));
    t.equal(env.NETSIDECAR_SINK, 'cloudwatch', `${id}: CloudWatch sink`);
    t.equal(env.NETSIDECAR_DATA_DIR, '/var/lib/netsidecar');
    t.equal(env.NETSIDECAR_SHUTDOWN_DEADLINE, `${config.shutdownDeadlineSeconds}s`);
    t.equal(main.StopTimeout, config.shutdownDeadlineSeconds + stopTimeoutMarginSeconds, `${id}: stopTimeout just above the drain deadline`);
    t.ok(main.StopTimeout <= 120, 'Fargate allows 120 s at most');
    t.same(
      main.MountPoints.find((m: Props) => m.SourceVolume === 'data'),
      { ContainerPath: '/var/lib/netsidecar', ReadOnly: false, SourceVolume: 'data' },
    );
    t.equal(main.LogConfiguration.LogDriver, 'awslogs');
  }
});

t.test('file secrets: written by the init container, read-only to the service, never in its environment', async (t) => {
  const [, ntp] = resources('AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-ntp')!;
  const init = ntp.ContainerDefinitions.find((c: Props) => c.Name === 'secret-files');
  const main = ntp.ContainerDefinitions.find((c: Props) => c.Name === 'ntp');
  t.equal(init.Essential, false);
  t.same(
    init.Secrets.map((s: Props) => s.Name),
    ['SECRET_FILE_NTP_KEYS'],
  );
  t.same(main.DependsOn, [{ Condition: 'SUCCESS', ContainerName: 'secret-files' }]);
  t.equal(main.Secrets, undefined, 'the service container gets no secret variables');
  const env = Object.fromEntries(main.Environment.map((e: Props) => [e.Name, e.Value]));
  t.equal(env.NETSIDECAR_NTP_KEYS_FILE, secretFilePath('NTP_KEYS'));
  t.equal(env.NETSIDECAR_NTP_UPSTREAM, '169.254.169.123');
  t.equal(env.NETSIDECAR_NTP_REQUIRE_AUTH, 'true');
  t.same(
    main.MountPoints.find((m: Props) => m.SourceVolume === 'secrets'),
    { ContainerPath: secretsMountPath, ReadOnly: true, SourceVolume: 'secrets' },
  );

  const [, upload] = resources('AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-config-upload')!;
  const uploadInit = upload.ContainerDefinitions.find((c: Props) => c.Name === 'secret-files');
  t.same(uploadInit.Secrets.map((s: Props) => s.Name).sort(), [
    'SECRET_FILE_UPLOAD_NOTIFY_SLACK_WEBHOOK',
    'SECRET_FILE_UPLOAD_REDACTION_KEY',
    'SECRET_FILE_UPLOAD_USERS',
  ]);
  const uploadEnv = Object.fromEntries(upload.ContainerDefinitions.find((c: Props) => c.Name === 'config').Environment.map((e: Props) => [e.Name, e.Value]));
  t.equal(uploadEnv.NETSIDECAR_UPLOAD_USERS_FILE, secretFilePath('UPLOAD_USERS'));
  t.equal(uploadEnv.NETSIDECAR_UPLOAD_REDACTION_KEY_FILE, secretFilePath('UPLOAD_REDACTION_KEY'));
  t.equal(uploadEnv.NETSIDECAR_UPLOAD_STORE, 's3');
  t.equal(uploadEnv.NETSIDECAR_UPLOAD_ALLOWED_CIDRS, config.onPremisesCidrs.join(','));

  const [, syslog] = resources('AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-syslog')!;
  const syslogInit = syslog.ContainerDefinitions.find((c: Props) => c.Name === 'secret-files');
  t.match(
    syslogInit.Secrets.map((s: Props) => JSON.stringify(s.ValueFrom)),
    [/secret:netsidecar\/syslog-tls:certificate::"/, /secret:netsidecar\/syslog-tls:privateKey::"/],
    'JSON keys of the TLS secret',
  );

  const [, worker] = resources('AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-scan-worker')!;
  const scan = worker.ContainerDefinitions.find((c: Props) => c.Name === 'scan');
  t.same(
    scan.Secrets.map((s: Props) => s.Name),
    ['NETSIDECAR_SCAN_SLACK_WEBHOOKS'],
    'the Slack webhooks as a secret variable',
  );
});

t.test('services: 2+ tasks, CPU autoscaling, no ECS Exec, circuit breaker', async (t) => {
  const services = resources('AWS::ECS::Service');
  t.equal(services.length, 4);
  for (const [id, service] of services) {
    t.ok(service.DesiredCount >= 2, `${id}: at least two tasks`);
    t.not(service.EnableExecuteCommand, true, `${id}: no ECS Exec`);
    t.equal(service.LaunchType, 'FARGATE');
    t.equal(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, 'DISABLED');
    t.equal(service.NetworkConfiguration.AwsvpcConfiguration.Subnets.length, 2, `${id}: spread over both AZs`);
    t.equal(service.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback, true);
  }
  const targets = resources('AWS::ApplicationAutoScaling::ScalableTarget');
  t.equal(targets.length, 4);
  for (const [, target] of targets) t.ok(target.MinCapacity >= 2);
  template.resourcePropertiesCountIs(
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    },
    4,
  );
  // ECS Exec would need the SSM messages channel on a task role.
  t.notMatch(JSON.stringify(json), /ssmmessages:/);
});

t.test('log groups: the four evidence groups, their ops groups and the audit records, 400+ days, the CMK, retained', async (t) => {
  const groups = resources('AWS::Logs::LogGroup');
  const names = groups.map(([, g]) => g.LogGroupName).sort();
  t.same(names, [
    '/netsidecar/audit',
    '/netsidecar/config',
    '/netsidecar/ntp',
    '/netsidecar/ops/archive',
    '/netsidecar/ops/config',
    '/netsidecar/ops/ntp',
    '/netsidecar/ops/scan',
    '/netsidecar/ops/syslog',
    '/netsidecar/scan',
    '/netsidecar/syslog',
  ]);
  const [[keyId, key]] = resources('AWS::KMS::Key') as [[string, Props]];
  t.equal(key.EnableKeyRotation, true);
  for (const [id, group] of groups) {
    t.ok(group.RetentionInDays >= 400, `${group.LogGroupName}: ${group.RetentionInDays} days`);
    t.equal(refId(group.KmsKeyId), keyId, `${group.LogGroupName}: encrypted with the CMK`);
    t.equal(json.Resources[id] && (json.Resources[id] as Props).DeletionPolicy, 'Retain');
  }
  const logsStatement = key.KeyPolicy.Statement.find((s: Props) => s.Sid === 'CloudWatchLogsNetsidecarGroups');
  t.match(JSON.stringify(logsStatement.Condition), /log-group:\/netsidecar\/\*/);
});

t.test('audit records: a policy that can append evidence digests to /netsidecar/audit and find them, nothing more', async (t) => {
  const policies = resources('AWS::IAM::ManagedPolicy').filter(([, p]) => String(p.Description).includes('/netsidecar/audit'));
  t.equal(policies.length, 1);
  const statements = policies[0]![1].PolicyDocument.Statement as Props[];
  const text = (v: unknown) => JSON.stringify(v);
  const record = statements.find((s) => s.Sid === 'RecordDigests')!;
  t.same([record.Action].flat().sort(), ['logs:CreateLogStream', 'logs:PutLogEvents']);
  t.match(text(record.Resource), /log-group:\/netsidecar\/audit:log-stream:\*/);
  const find = statements.find((s) => s.Sid === 'FindDigests')!;
  t.same([find.Action].flat().sort(), ['logs:DescribeLogStreams', 'logs:FilterLogEvents']);
  t.match(text(find.Resource), /log-group:\/netsidecar\/audit:\*/);
  t.equal(statements.length, 2, 'no other statement');
  t.notMatch(text(statements), /logs:(Delete|PutRetention|Untag)/);
  t.ok((json as Props).Outputs?.AuditRecordPolicyArn, 'the policy ARN is a stack output');
});

t.test('IAM: no `*` action, `*` resources only where AWS has no resource type, logs only to the own group', async (t) => {
  const statements: { where: string; s: Props }[] = [];
  for (const [id, policy] of [...resources('AWS::IAM::Policy'), ...resources('AWS::IAM::ManagedPolicy')]) {
    for (const s of policy.PolicyDocument.Statement) statements.push({ where: id, s });
  }
  for (const [id, role] of resources('AWS::IAM::Role')) {
    for (const p of role.Policies ?? []) for (const s of p.PolicyDocument.Statement) statements.push({ where: id, s });
    t.equal(role.ManagedPolicyArns, undefined, `${id}: no AWS managed policy`);
  }
  t.ok(statements.length > 20);
  const allowedOnStar = new Set(['ecr:GetAuthorizationToken', 'ecs:ListTasks']);
  for (const { where, s } of statements) {
    const actions = [s.Action].flat() as string[];
    const resourcesOf = [s.Resource].flat();
    t.notOk(
      actions.some((a) => a === '*' || a.endsWith(':*')),
      `${where} ${s.Sid ?? ''}: no wildcard action (${actions.join(',')})`,
    );
    if (resourcesOf.includes('*')) {
      t.ok(
        actions.every((a) => allowedOnStar.has(a)),
        `${where}: only ${[...allowedOnStar].join(', ')} on *, got ${actions.join(',')}`,
      );
      if (actions.includes('ecs:ListTasks')) t.ok(s.Condition?.ArnEquals?.['ecs:cluster'], 'ListTasks pinned to the cluster');
    }
  }
  const logWrites = statements.filter(({ s }) => s.Sid === 'WriteOwnEventLogGroup');
  t.equal(logWrites.length, 5, 'each task role, one statement');
  for (const { where, s } of logWrites) {
    const service = /^(Syslog|Ntp|Config|Scan)/.exec(where)![1]!.toLowerCase();
    t.same([s.Action].flat().sort(), ['logs:CreateLogStream', 'logs:PutLogEvents']);
    for (const resource of s.Resource)
      t.match(JSON.stringify(resource), new RegExp(`log-group:/netsidecar/${service}(:log-stream:\\*)?"`), `${where}: only /netsidecar/${service}`);
  }
});

t.test('alarms: on the EMF metrics and metric filters, all to the encrypted SNS topic', async (t) => {
  const [[topicId, topic]] = resources('AWS::SNS::Topic') as [[string, Props]];
  t.ok(topic.KmsMasterKeyId, 'topic encrypted');
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: config.alarms.email });
  const alarms = resources('AWS::CloudWatch::Alarm');
  const byName = new Map(alarms.map(([, a]) => [a.AlarmName as string, a]));
  for (const [, alarm] of alarms) t.same(alarm.AlarmActions.map(refId), [topicId], `${alarm.AlarmName}: to the topic`);
  const metricNames = (a: Props): string[] =>
    a.MetricName ? [a.MetricName] : (a.Metrics ?? []).filter((m: Props) => m.MetricStat).map((m: Props) => m.MetricStat.Metric.MetricName);
  const namespaces = (a: Props): string[] =>
    a.Namespace ? [a.Namespace] : (a.Metrics ?? []).filter((m: Props) => m.MetricStat).map((m: Props) => m.MetricStat.Metric.Namespace);
  const expectMetric = (name: string, metric: string, namespace: string) => {
    const alarm = byName.get(`netsidecar-${name}`);
    t.ok(alarm, `alarm ${name}`);
    if (!alarm) return;
    t.ok(metricNames(alarm).every((m) => m === metric) && metricNames(alarm).length > 0, `${name} reads ${metric}`);
    t.ok(
      namespaces(alarm).every((n) => n === namespace),
      `${name} in ${namespace}`,
    );
  };
  expectMetric('SyslogDropped', emfMetrics.syslogDropped, emfNamespace);
  expectMetric('SyslogUnparsed', emfMetrics.syslogUnparsed, emfNamespace);
  expectMetric('SyslogUdpKernelDrops', emfMetrics.syslogUdpKernelDrops, emfNamespace);
  expectMetric('NtpEventsDropped', emfMetrics.ntpEventsDropped, emfNamespace);
  expectMetric('NtpUnsynchronised', emfMetrics.ntpSynchronised, emfNamespace);
  expectMetric('NtpClientClockOffset', emfMetrics.ntpClientClockWarnings, emfNamespace);
  for (const s of ['Syslog', 'Ntp', 'Config', 'Scan']) {
    expectMetric(`${s}SinkPutErrors`, emfMetrics.cloudwatchCalls, emfNamespace);
    expectMetric(`${s}SpoolGrowth`, emfMetrics.sinkSpoolBytes, emfNamespace);
    expectMetric(`${s}SinkRefused`, emfMetrics.sinkEvents, emfNamespace);
  }
  expectMetric('ConfigUploadsRefused', emfMetrics.configUploads, emfNamespace);
  expectMetric('ConfigComplianceFailures', emfMetrics.configComplianceFailures, emfNamespace);
  t.match(
    byName.get('netsidecar-ConfigComplianceFailures'),
    { Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Sum', Dimensions: [{ Name: 'service', Value: 'config' }] },
    'any failed rule in 5 minutes',
  );
  expectMetric('ConfigBackupsStale', emfMetrics.configStaleDevices, emfNamespace);
  t.match(
    byName.get('netsidecar-ConfigBackupsStale'),
    {
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'service', Value: 'config' }],
    },
    'any stale device (the gauge, the maximum over the tasks) alarms',
  );
  t.same(byName.get('netsidecar-ConfigBackupsStale')!.AlarmActions.map(refId), [topicId], 'to the alarm topic');
  expectMetric('ScansFailing', emfMetrics.scanScans, emfNamespace);
  expectMetric('ScanConcurrency70', emfMetrics.scanRunningRatio, emfNamespace);
  expectMetric('ScanConcurrencyFull', emfMetrics.scanRunningRatio, emfNamespace);
  t.match(
    byName.get('netsidecar-ScanConcurrency70'),
    { Threshold: 0.7, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' },
    'warns at 70 % of the cap',
  );
  t.match(
    byName.get('netsidecar-ScanConcurrencyFull'),
    { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' },
    'pages at the cap',
  );
  expectMetric('ConfigDrift', filterMetrics.configDrifted, filterNamespace);
  expectMetric('ScanNewCriticalHigh', filterMetrics.scanNewCriticalHigh, filterNamespace);
  for (const host of config.alarms.monitoredDevices) {
    const silent = byName.get(`netsidecar-Silent${host.replace(/[^A-Za-z0-9]/g, '')}`)!;
    t.same(silent.Dimensions, [{ Name: 'host', Value: host }]);
    t.equal(silent.TreatMissingData, 'breaching', `${host}: silence itself alarms`);
    t.equal(silent.Period, config.alarms.silentDeviceMinutes * 60);
  }
  const unsync = byName.get('netsidecar-NtpUnsynchronised')!;
  t.same(unsync.Dimensions, [{ Name: 'service', Value: 'ntp' }]);
  t.equal(unsync.ComparisonOperator, 'LessThanThreshold');
  for (const listener of ['SyslogUdp', 'SyslogTcp', 'SyslogTls', 'Ntp', 'UploadHttp', 'UploadTls']) {
    t.equal(byName.get(`netsidecar-${listener}UnhealthyTargets`)?.MetricName, 'UnHealthyHostCount');
    t.equal(byName.get(`netsidecar-${listener}NoHealthyTargets`)?.MetricName, 'HealthyHostCount');
  }
  const dropped = byName.get('netsidecar-SyslogDropped')!;
  const reasons = dropped.Metrics.filter((m: Props) => m.MetricStat).map(
    (m: Props) => m.MetricStat.Metric.Dimensions.find((d: Props) => d.Name === 'reason').Value,
  );
  t.notOk(reasons.includes('idle_timeout'), 'a quiet connection closed is no loss');
  t.ok(reasons.includes('sink_full'));
  const filters = resources('AWS::Logs::MetricFilter');
  t.ok(
    filters.some(([, f]) => f.MetricTransformations[0].Dimensions?.[0]?.Value === '$.host'),
    'syslog messages counted per host',
  );
});

t.test('saved queries: exactly the module strings, on their log groups', async (t) => {
  const definitions = resources('AWS::Logs::QueryDefinition');
  const expected = savedQueries({ directConnectBgpPeers: config.directConnectBgpPeers });
  t.equal(definitions.length, expected.length);
  for (const query of expected) {
    const found = definitions.find(([, d]) => d.Name === query.name);
    t.ok(found, query.name);
    if (!found) continue;
    t.equal(found[1].QueryString, query.query, `${query.name}: verbatim`);
    t.same(
      found[1].LogGroupNames.map((g: unknown) => byId(refId(g)).LogGroupName),
      query.services.map((s) => `/netsidecar/${s}`),
    );
  }
  const bgp = definitions.find(([, d]) => d.Name === 'netsidecar/syslog/bgp-direct-connect-peers')!;
  t.match(bgp[1].QueryString, /169\\\.254\\\.100\\\.1/, 'restricted to the Direct Connect peers');
});

t.test('scan scheduler: tables with PITR and the CMK, queue with DLQ, schedule running the planner', async (t) => {
  const tables = resources('AWS::DynamoDB::Table');
  const images = tables.find(([, tb]) => tb.TableName === 'netsidecar-scan-images')![1];
  const findings = tables.find(([, tb]) => tb.TableName === 'netsidecar-scan-findings')![1];
  t.same(images.KeySchema, [{ AttributeName: 'digest', KeyType: 'HASH' }]);
  t.same(findings.KeySchema, [
    { AttributeName: 'digest', KeyType: 'HASH' },
    { AttributeName: 'fingerprint', KeyType: 'RANGE' },
  ]);
  for (const table of [images, findings]) {
    t.equal(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
    t.equal(table.SSESpecification.SSEEnabled, true);
    t.equal(table.SSESpecification.SSEType, 'KMS');
    t.equal(table.DeletionProtectionEnabled, true);
  }
  const queues = resources('AWS::SQS::Queue');
  const queue = queues.find(([, q]) => q.QueueName === 'netsidecar-scan-requests')![1];
  t.equal(queue.RedrivePolicy.maxReceiveCount, 5);
  t.ok(queue.VisibilityTimeout > 11 * 60, 'longer than the Trivy timeout plus a minute');
  for (const [, q] of queues) t.ok(q.KmsMasterKeyId, `${q.QueueName}: encrypted with the CMK`);

  const [[, schedule]] = resources('AWS::Scheduler::Schedule') as [[string, Props]];
  t.equal(schedule.ScheduleExpression, config.scanSchedule);
  const plannerId = refId(schedule.Target.EcsParameters.TaskDefinitionArn);
  const planner = byId(plannerId);
  t.equal(planner.Family, 'netsidecar-scan-plan');
  const plannerContainer = planner.ContainerDefinitions.find((c: Props) => c.Name === 'scan');
  t.same(plannerContainer.Command, ['plan']);
  t.equal(plannerContainer.PortMappings, undefined, 'the planner listens on nothing');
  const plannerEnv = Object.fromEntries(plannerContainer.Environment.map((e: Props) => [e.Name, e.Value]));
  t.equal(plannerEnv.NETSIDECAR_SCAN_ECS_CLUSTERS, 'netsidecar', 'inventories its own cluster');
  t.same(refId(plannerEnv.NETSIDECAR_SCAN_QUEUE_URL), queues.find(([, q]) => q.QueueName === 'netsidecar-scan-requests')![0]);

  const [, worker] = resources('AWS::ECS::TaskDefinition').find(([, td]) => td.Family === 'netsidecar-scan-worker')!;
  const trivy = worker.ContainerDefinitions.find((c: Props) => c.Name === 'trivy-server');
  const scan = worker.ContainerDefinitions.find((c: Props) => c.Name === 'scan');
  t.same(scan.Command, ['worker']);
  t.match(trivy.Command, ['server', '--listen', '127.0.0.1:4954']);
  const env = Object.fromEntries(scan.Environment.map((e: Props) => [e.Name, e.Value]));
  t.equal(env.NETSIDECAR_SCAN_TRIVY_SERVER, 'http://127.0.0.1:4954');
  t.equal(env.NETSIDECAR_SCAN_TRIVY_CACHE_DIR, trivy.Command[trivy.Command.indexOf('--cache-dir') + 1], 'client and server share the DB cache');
});

t.test('intended configs: the upload reads exactly that S3 prefix, read only', async (t) => {
  const intended = config.intendedConfigs!;
  t.same(intended, {
    bucketName: 'netops-intended-configs',
    prefix: 'routers/',
    kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  });
  const upload = taskDefinition(json, 'netsidecar-config-upload');
  t.equal(environmentOf(container(upload, 'config')!).NETSIDECAR_UPLOAD_INTENDED_S3, 's3://netops-intended-configs/routers/');
  const statements = statementsOf(json, 'ConfigTask').filter((s) => s.Sid?.startsWith('IntendedConfigs'));
  t.same(
    statements.map((s) => ({ Sid: s.Sid, Action: s.Action, Resource: rendered(s.Resource), Condition: s.Condition })),
    [
      { Sid: 'IntendedConfigsRead', Action: 's3:GetObject', Resource: 'arn:aws:s3:::netops-intended-configs/routers/*', Condition: undefined },
      {
        Sid: 'IntendedConfigsList',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::netops-intended-configs',
        Condition: { StringLike: { 's3:prefix': ['routers/*'] } },
      },
      { Sid: 'IntendedConfigsKey', Action: 'kms:Decrypt', Resource: intended.kmsKeyArn, Condition: undefined },
    ],
    'GetObject on the prefix, ListBucket pinned to it, Decrypt on the given key: nothing else, no `*` resource',
  );
  t.equal(statementsOf(json, '').filter((s) => s.Sid?.startsWith('IntendedConfigs')).length, 3, 'no other role may read them');
  const outputs = (json as unknown as { Outputs: Record<string, Props> }).Outputs;
  t.same(outputs.ConfigUploadRoleArn!.Value, { 'Fn::GetAtt': [upload.TaskRoleArn['Fn::GetAtt'][0], 'Arn'] }, 'for bucket and key policies');
});

t.test('compliance rules: the file named by complianceRulesFile reaches the upload task inline, as the service reads it', async (t) => {
  const file = join(deployDir, 'config', 'compliance.example.json');
  const text = readFileSync(file, 'utf8');
  t.same(config.complianceRules, { file, text, sha256: createHash('sha256').update(text).digest('hex'), rules: 5 });
  const env = environmentOf(container(taskDefinition(json, 'netsidecar-config-upload'), 'config')!);
  t.equal(env.NETSIDECAR_UPLOAD_COMPLIANCE_RULES, text, 'the file byte for byte: rulesSha256 in the events is the SHA-256 of the file in Git');
  t.equal(env.NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE, undefined);
  const loaded = loadComplianceRules(null, env.NETSIDECAR_UPLOAD_COMPLIANCE_RULES as string)!;
  t.same(
    loaded.rules.map((r) => r.id),
    ['logging-to-nlb', 'ntp-authenticated', 'vty-ssh-only', 'snmp-v3-only', 'junos-ssh-no-root'],
    'the service loads it',
  );
  t.equal(loaded.sha256, config.complianceRules!.sha256);
});

t.test('change notices: to the alarm topic (sns:Publish on it alone) and to Slack through a file secret', async (t) => {
  const [[topicId]] = resources('AWS::SNS::Topic') as [[string, Props]];
  const upload = taskDefinition(json, 'netsidecar-config-upload');
  const env = environmentOf(container(upload, 'config')!);
  t.same(env.NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN, { Ref: topicId }, 'the stack alarm topic');
  t.equal(env.NETSIDECAR_UPLOAD_NOTIFY_SNS_DEVICES, 'rtr-*,fw-*');
  t.equal(env.NETSIDECAR_UPLOAD_NOTIFY_SLACK_DEVICES, '*');
  t.equal(env.NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE, secretFilePath('UPLOAD_NOTIFY_SLACK_WEBHOOK'), 'the URL as a file secret, never in the environment');
  t.notOk(
    Object.values(env).some((v) => typeof v === 'string' && /hooks\.slack|https:/.test(v)),
    'no URL in the environment',
  );
  const publish = statementsOf(json, '').filter((s) => [s.Action].flat().includes('sns:Publish'));
  t.same(
    publish.map((s) => ({ policy: s.policy.startsWith('ConfigTask'), Sid: s.Sid, Resource: s.Resource })),
    [{ policy: true, Sid: 'ChangeNoticesPublish', Resource: { Ref: topicId } }],
    'only the upload role may publish, only there',
  );
  // That the service accepts each variable (its own schema) is the 'every variable known and valid' test.
});

t.test('EKS inventory: the planner gets the clusters and their CA files; its role is an output', async (t) => {
  const planner = taskDefinition(json, 'netsidecar-scan-plan');
  const main = container(planner, 'scan')!;
  const env = environmentOf(main);
  const [eks] = config.eksClusters;
  t.equal(env.NETSIDECAR_SCAN_EKS_CLUSTERS, `eks-prod=${eks!.endpoint}`);
  t.equal(env.NETSIDECAR_SCAN_EKS_CA_DIR, publicFilesMountPath);
  t.equal(
    environmentOf(container(taskDefinition(json, 'netsidecar-scan-worker'), 'scan')!).NETSIDECAR_SCAN_EKS_CLUSTERS,
    undefined,
    'the worker does not inventory',
  );

  const init = container(planner, 'public-files')!;
  t.equal(init.Essential, false);
  t.same(init.Command, ['-e', publicFileWriterScript]);
  t.equal(init.Secrets, undefined, 'public content: no secret');
  const files = JSON.parse(environmentOf(init)[publicFilesVariable] as string) as Record<string, string>;
  t.same(Object.keys(files), ['eks-prod.pem'], '<name>.pem, as the scan scheduler reads it');
  t.equal(files['eks-prod.pem'], decodeCertificateAuthority(eks!.certificateAuthority));
  t.match(files['eks-prod.pem'], /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/, 'decoded PEM, not base64');
  t.same(main.DependsOn, [{ Condition: 'SUCCESS', ContainerName: 'public-files' }]);
  t.same(
    main.MountPoints.find((m: Props) => m.SourceVolume === 'files'),
    { ContainerPath: publicFilesMountPath, ReadOnly: true, SourceVolume: 'files' },
  );
  t.same(init.MountPoints, [{ ContainerPath: publicFilesMountPath, ReadOnly: false, SourceVolume: 'files' }]);

  const outputs = (json as unknown as { Outputs: Record<string, Props> }).Outputs;
  t.same(outputs.ScanPlannerRoleArn!.Value, { 'Fn::GetAtt': [planner.TaskRoleArn['Fn::GetAtt'][0], 'Arn'] }, 'the planner task role, for the access entries');
  const plannerStatements = statementsOf(json, 'ScanPlannerTask');
  t.notOk(
    plannerStatements.some((s) => [s.Action].flat().some((a) => a.startsWith('eks:') || a.startsWith('sts:'))),
    'no IAM action: the token is a presigned GetCallerIdentity',
  );
});

t.test("each service's own config loader accepts the environment the stack gives it", async (t) => {
  const schemas: Record<string, { schema: Schema; ownPrefix: string }> = {
    syslog: { schema: syslogVariables, ownPrefix: 'NETSIDECAR_SYSLOG_' },
    ntp: { schema: ntpVariables, ownPrefix: 'NETSIDECAR_NTP_' },
    config: { schema: uploadVariables, ownPrefix: 'NETSIDECAR_UPLOAD_' },
    scan: { schema: scanVariables, ownPrefix: 'NETSIDECAR_SCAN_' },
  };
  // CloudFormation fills these in at deploy time; stand-ins of the same shape.
  const standIns: Record<string, string> = {
    NETSIDECAR_UPLOAD_S3_BUCKET: 'netsidecar-configstore-0123',
    NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:Netsidecar-AlarmsTopic0123',
    NETSIDECAR_SCAN_QUEUE_URL: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/netsidecar-scan-requests',
    NETSIDECAR_SCAN_IMAGES_TABLE: 'netsidecar-scan-images',
    NETSIDECAR_SCAN_FINDINGS_TABLE: 'netsidecar-scan-findings',
    NETSIDECAR_SCAN_SLACK_WEBHOOKS: '{"default":"https://hooks.slack.com/services/T0/B0/x"}',
  };
  for (const [id, td] of resources('AWS::ECS::TaskDefinition')) {
    const main = (td.ContainerDefinitions as Props[]).find((c) => serviceNames.includes(c.Name))!;
    const env: Record<string, string> = {};
    for (const e of main.Environment as Props[]) env[e.Name] = typeof e.Value === 'string' ? e.Value : (standIns[e.Name] ?? 'stand-in');
    for (const s of (main.Secrets ?? []) as Props[]) env[s.Name] = standIns[s.Name] ?? 'stand-in';
    const { schema, ownPrefix } = schemas[main.Name]!;
    t.doesNotThrow(() => loadConfig({ ...commonVariables, ...schema }, { ownPrefix, env }), `${id} (${main.Name}): every variable known and valid`);
    for (const name of Object.keys(env))
      if (name.startsWith('NETSIDECAR_')) t.ok(name in commonVariables || name in schema, `${id}: ${name} is a variable of ${main.Name}`);
  }
});

// The write-once archive (issue 14): Object Lock bucket, one Firehose stream per event group with
// the CloudWatch Logs processors, subscriptions, the Glue table, the Athena workgroup and queries.
const archiveBucketId = resources('AWS::S3::Bucket').find(([id]) => id.startsWith('ArchiveBucket'))![0];
const archiveBucket = byId(archiveBucketId);
const [[keyLogicalId]] = resources('AWS::KMS::Key') as [[string, Props]];
const isKey = (value: unknown) => refId(value) === keyLogicalId;
const isArchiveBucket = (value: unknown) => refId(value) === archiveBucketId;

t.test('archive bucket: Object Lock in compliance mode, versioned, SSE-KMS with the stack key, private, TLS only, logged, lifecycle, retained', async (t) => {
  t.equal(archiveBucket.ObjectLockEnabled, true);
  t.same(archiveBucket.ObjectLockConfiguration, {
    ObjectLockEnabled: 'Enabled',
    Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.archive.retentionDays } },
  });
  t.same(archiveBucket.VersioningConfiguration, { Status: 'Enabled' });
  const [sse] = archiveBucket.BucketEncryption.ServerSideEncryptionConfiguration;
  t.equal(sse.ServerSideEncryptionByDefault.SSEAlgorithm, 'aws:kms');
  t.ok(isKey(sse.ServerSideEncryptionByDefault.KMSMasterKeyID), 'the stack key');
  t.equal(sse.BucketKeyEnabled, true);
  t.same(archiveBucket.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  t.equal(
    refId(archiveBucket.LoggingConfiguration.DestinationBucketName),
    resources('AWS::S3::Bucket').find(([id]) => id.startsWith('ConfigStoreAccessLogs'))![0],
  );
  t.equal(archiveBucket.LoggingConfiguration.LogFilePrefix, 'archive/');
  const [rule] = archiveBucket.LifecycleConfiguration.Rules;
  t.same(rule.Transitions, [{ StorageClass: 'GLACIER_IR', TransitionInDays: config.archive.coldAfterDays }]);
  t.same(rule.NoncurrentVersionTransitions, [{ StorageClass: 'GLACIER_IR', TransitionInDays: config.archive.coldAfterDays }]);
  t.equal(rule.ExpirationInDays, config.archive.expireAfterDays);
  t.ok(rule.ExpirationInDays >= config.archive.retentionDays, 'never expires a locked version');
  const raw = json.Resources[archiveBucketId] as Props;
  t.equal(raw.DeletionPolicy, 'Retain');
  t.equal(raw.UpdateReplacePolicy, 'Retain');
  const policy = resources('AWS::S3::BucketPolicy').find(([, p]) => isArchiveBucket(p.Bucket))![1];
  const statements = policy.PolicyDocument.Statement as Props[];
  t.ok(
    statements.some((s) => s.Effect === 'Deny' && s.Action === 's3:*' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
    'TLS only',
  );
  const denyDeletes = statements.find((s) => s.Sid === 'DenyDeletes')!;
  t.match(denyDeletes, { Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'] }, 'no one adds delete markers');
  // Nothing in the stack may delete archive objects.
  const allows = [...resources('AWS::IAM::Policy'), ...resources('AWS::IAM::ManagedPolicy')].flatMap(([id, p]) =>
    (p.PolicyDocument.Statement as Props[]).filter((s) => s.Effect === 'Allow').map((s) => ({ id, s })),
  );
  for (const { id, s } of allows) {
    const touchesArchive = JSON.stringify(s.Resource).includes(archiveBucketId);
    if (touchesArchive)
      t.notOk(
        [s.Action].flat().some((a: string) => /^s3:(Delete|PutObjectRetention|BypassGovernance|PutBucketObjectLock|PutLifecycle)/.test(a)),
        `${id}: no delete or retention change on the archive`,
      );
  }
});

t.test('archive delivery: one Firehose stream per event group, Decompression + message extraction + newline, GZIP under <log group>/yyyy/MM/dd/', async (t) => {
  const streams = resources('AWS::KinesisFirehose::DeliveryStream');
  t.same(streams.map(([, s]) => s.DeliveryStreamName).sort(), serviceNames.map((s) => `netsidecar-archive-${s}`).sort());
  const [[firehoseRoleId]] = resources('AWS::IAM::Role').filter(([id]) => id.startsWith('ArchiveFirehoseRole')) as [[string, Props]];
  for (const [, stream] of streams) {
    const service = (stream.DeliveryStreamName as string).replace('netsidecar-archive-', '');
    const s3 = stream.ExtendedS3DestinationConfiguration;
    t.equal(stream.DeliveryStreamType, 'DirectPut', `${service}: CloudWatch Logs puts records`);
    t.equal(stream.DeliveryStreamEncryptionConfigurationInput.KeyType, 'CUSTOMER_MANAGED_CMK');
    t.ok(isKey(stream.DeliveryStreamEncryptionConfigurationInput.KeyARN), `${service}: stream SSE with the stack key`);
    t.ok(isArchiveBucket(s3.BucketARN), `${service}: to the archive bucket`);
    t.equal(refId(s3.RoleARN), firehoseRoleId);
    t.equal(s3.Prefix, `netsidecar/${service}/!{timestamp:yyyy/MM/dd}/`, `${service}: prefixed by log group and UTC date`);
    t.equal(
      s3.ErrorOutputPrefix,
      `errors/netsidecar/${service}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
      `${service}: failures outside the data prefixes`,
    );
    t.equal(s3.CompressionFormat, 'GZIP');
    t.same(s3.BufferingHints, { IntervalInSeconds: config.archive.bufferSeconds, SizeInMBs: 128 });
    t.ok(isKey(s3.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN), `${service}: objects SSE-KMS with the stack key`);
    t.equal(s3.ProcessingConfiguration.Enabled, true);
    t.same(
      s3.ProcessingConfiguration.Processors,
      [
        { Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }] },
        { Type: 'CloudWatchLogProcessing', Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }] },
        { Type: 'AppendDelimiterToRecord' },
      ],
      `${service}: exactly the three processors, in that order, no Lambda`,
    );
    t.equal(s3.DynamicPartitioningConfiguration, undefined, 'no dynamic partitioning: one stream per group');
    t.equal(s3.CloudWatchLoggingOptions.Enabled, true);
  }
  t.notOk(resources('AWS::Lambda::Function').length, 'no Lambda in the stack');
  const role = byId(firehoseRoleId);
  t.match(role.AssumeRolePolicyDocument.Statement[0], {
    Principal: { Service: 'firehose.amazonaws.com' },
    Condition: { StringEquals: { 'sts:ExternalId': config.account } },
  });
  const statements = statementsOf(json, 'ArchiveFirehoseRole');
  t.same(statements.flatMap((s) => [s.Action].flat()).sort(), [
    'kms:Decrypt',
    'kms:GenerateDataKey',
    'logs:PutLogEvents',
    's3:AbortMultipartUpload',
    's3:GetBucketLocation',
    's3:GetObject',
    's3:ListBucket',
    's3:ListBucketMultipartUploads',
    's3:PutObject',
  ]);
});

t.test('archive subscriptions: every event log group, every event, to its own stream', async (t) => {
  const filters = resources('AWS::Logs::SubscriptionFilter');
  const streams = new Map(resources('AWS::KinesisFirehose::DeliveryStream').map(([id, s]) => [id, s.DeliveryStreamName as string]));
  const [[subscriptionRoleId, subscriptionRole]] = resources('AWS::IAM::Role').filter(([id]) => id.startsWith('ArchiveSubscriptionRole')) as [[string, Props]];
  t.same(
    filters.map(([, f]) => byId(refId(f.LogGroupName)).LogGroupName).sort(),
    serviceNames.map((s) => `/netsidecar/${s}`).sort(),
    'the four event groups, not the ops groups',
  );
  for (const [, filter] of filters) {
    const group = byId(refId(filter.LogGroupName)).LogGroupName as string;
    t.equal(filter.FilterPattern, '', `${group}: every event`);
    t.same(filter.DestinationArn['Fn::GetAtt'][1], 'Arn');
    t.equal(streams.get(refId(filter.DestinationArn)), `netsidecar-archive-${group.split('/').at(-1)}`, `${group}: to its own stream`);
    t.equal(refId(filter.RoleArn), subscriptionRoleId);
  }
  t.equal(subscriptionRole.AssumeRolePolicyDocument.Statement[0].Principal.Service, `logs.${config.region}.amazonaws.com`);
  const puts = statementsOf(json, 'ArchiveSubscriptionRole');
  t.equal(puts.length, 4);
  for (const s of puts) t.same(s.Action, ['firehose:PutRecord', 'firehose:PutRecordBatch']);
  t.same(puts.map((s) => refId(s.Resource)).sort(), [...streams.keys()].sort(), 'only the archive streams');
});

t.test('archive in Athena: Glue table with partition projection on log group and day, encrypted workgroup, named queries', async (t) => {
  const [[, database]] = resources('AWS::Glue::Database') as [[string, Props]];
  t.equal(database.DatabaseInput.Name, archiveDatabase);
  const [[, table]] = resources('AWS::Glue::Table') as [[string, Props]];
  t.equal(table.DatabaseName, archiveDatabase);
  const input = table.TableInput;
  t.equal(input.Name, archiveTable);
  t.equal(input.TableType, 'EXTERNAL_TABLE');
  t.same(
    input.PartitionKeys.map((k: Props) => [k.Name, k.Type]),
    [
      ['log_group', 'string'],
      ['day', 'string'],
    ],
  );
  const bucketName = { Ref: archiveBucketId };
  t.same(
    input.Parameters,
    {
      compressionType: 'gzip',
      'projection.enabled': 'true',
      'projection.log_group.type': 'enum',
      'projection.log_group.values': '/netsidecar/syslog,/netsidecar/ntp,/netsidecar/config,/netsidecar/scan',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'projection.day.range': 'NOW-10YEARS,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': { 'Fn::Join': ['', ['s3://', bucketName, '${log_group}/${day}/']] },
    },
    'no crawler: every partition projected; the template is the Firehose prefix',
  );
  t.same(
    input.StorageDescriptor.Columns.map((c: Props) => [c.Name, c.Type]),
    [['line', 'string']],
  );
  t.equal(input.StorageDescriptor.SerdeInfo.SerializationLibrary, 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe');
  t.equal(input.StorageDescriptor.InputFormat, 'org.apache.hadoop.mapred.TextInputFormat');

  const [[, workGroup]] = resources('AWS::Athena::WorkGroup') as [[string, Props]];
  t.equal(workGroup.Name, archiveWorkGroup);
  const wg = workGroup.WorkGroupConfiguration;
  t.equal(wg.EnforceWorkGroupConfiguration, true, 'queries cannot turn encryption off or write elsewhere');
  t.equal(wg.PublishCloudWatchMetricsEnabled, true);
  t.equal(wg.BytesScannedCutoffPerQuery, config.archive.athenaScanLimitGiB * 1024 ** 3);
  t.equal(wg.ResultConfiguration.EncryptionConfiguration.EncryptionOption, 'SSE_KMS');
  t.ok(isKey(wg.ResultConfiguration.EncryptionConfiguration.KmsKey), 'results encrypted with the stack key');
  const resultsBucketId = resources('AWS::S3::Bucket').find(([id]) => id.startsWith('ArchiveAnalyticsResults'))![0];
  t.same(wg.ResultConfiguration.OutputLocation, { 'Fn::Join': ['', ['s3://', { Ref: resultsBucketId }, '/']] });
  t.equal(byId(resultsBucketId).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, 'aws:kms');

  const named = resources('AWS::Athena::NamedQuery');
  const expected = archiveQueries();
  t.equal(named.length, expected.length);
  for (const query of expected) {
    const found = named.find(([, q]) => q.Name === query.name)?.[1];
    t.ok(found, query.name);
    if (!found) continue;
    t.equal(found.QueryString, query.query, `${query.name}: verbatim`);
    t.equal(found.Database, archiveDatabase);
    t.equal(found.WorkGroup, archiveWorkGroup);
    // Partition pruning: each query names its log group and a day range, never the whole bucket.
    t.match(found.QueryString, `log_group = '/netsidecar/${query.service}' AND day BETWEEN ? AND ?`, `${query.name}: reads one log group, a range of days`);
  }
  const outputs = (json as unknown as { Outputs: Record<string, Props> }).Outputs;
  t.same(outputs.ArchiveBucketName!.Value, { Ref: archiveBucketId });
  t.equal(outputs.ArchiveAthenaWorkGroup!.Value, archiveWorkGroup);
  const [[readPolicyId, readPolicy]] = resources('AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('ArchiveAnalyticsReadPolicy')) as [[string, Props]];
  t.same(outputs.ArchiveReadPolicyArn!.Value, { Ref: readPolicyId });
  const read = readPolicy.PolicyDocument.Statement.find((s: Props) => s.Sid === 'ArchiveRead');
  t.same(read.Action, ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention'], "the CLI sees each object's retain-until date");
});

t.test(
  'cost guardrails: tag, budget to the topic, daily ingest per group, chatty devices, task counts at 70 % and 100 % of the maximum, archive delivery',
  async (t) => {
    const { key: tagKey, value: tagValue } = config.costs.tag;
    for (const type of ['AWS::S3::Bucket', 'AWS::ECS::Service', 'AWS::KinesisFirehose::DeliveryStream', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']) {
      for (const [id, r] of resources(type))
        t.ok(
          (r.Tags as Props[] | undefined)?.some((tag) => tag.Key === tagKey && tag.Value === tagValue),
          `${id}: cost-allocation tag`,
        );
    }
    const [[, budget]] = resources('AWS::Budgets::Budget') as [[string, Props]];
    t.match(budget.Budget, { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 20000, Unit: 'USD' } });
    t.same(budget.Budget.CostFilters, { TagKeyValue: [`user:${tagKey}$${tagValue}`] });
    const [[topicId]] = resources('AWS::SNS::Topic') as [[string, Props]];
    t.same(
      budget.NotificationsWithSubscribers.map((n: Props) => [n.Notification.NotificationType, n.Notification.Threshold, n.Notification.ThresholdType]),
      [
        ['ACTUAL', 80, 'PERCENTAGE'],
        ['ACTUAL', 100, 'PERCENTAGE'],
        ['FORECASTED', 100, 'PERCENTAGE'],
      ],
    );
    for (const n of budget.NotificationsWithSubscribers) {
      t.same(
        n.Subscribers.map((s: Props) => [s.SubscriptionType, s.SubscriptionType === 'SNS' ? refId(s.Address) : s.Address]),
        [
          ['SNS', topicId],
          ['EMAIL', 'finops@example.com'],
        ],
      );
    }
    const topicPolicy = resources('AWS::SNS::TopicPolicy').find(([, p]) => p.Topics.some((x: unknown) => refId(x) === topicId))![1];
    t.ok(
      topicPolicy.PolicyDocument.Statement.some((s: Props) => s.Principal?.Service === 'budgets.amazonaws.com' && s.Action === 'sns:Publish'),
      'Budgets may publish to the topic',
    );
    const keyPolicy = byId(keyLogicalId).KeyPolicy.Statement.find((s: Props) => s.Sid === 'BudgetsPublishToEncryptedTopic');
    t.match(
      keyPolicy,
      { Principal: { Service: 'budgets.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': config.account } } },
      'and use the key of the encrypted topic',
    );

    const alarms = new Map(resources('AWS::CloudWatch::Alarm').map(([, a]) => [a.AlarmName as string, a]));
    for (const service of serviceNames) {
      const name = service.charAt(0).toUpperCase() + service.slice(1);
      const ingest = alarms.get(`netsidecar-${name}DailyIngest`)!;
      t.match(
        ingest,
        {
          Namespace: 'AWS/Logs',
          MetricName: 'IncomingBytes',
          Statistic: 'Sum',
          Period: 86_400,
          Threshold: config.costs.dailyIngestGiB[service] * 1024 ** 3,
          ComparisonOperator: 'GreaterThanThreshold',
        },
        `${service}: daily ingest`,
      );
      t.equal(byId(refId(ingest.Dimensions[0].Value)).LogGroupName, `/netsidecar/${service}`);
      const max = config.services[service].maxCount;
      for (const [suffix, threshold] of [
        ['Tasks70', 0.7 * max],
        ['TasksMax', max],
      ] as const) {
        const a = alarms.get(`netsidecar-${name}${suffix}`)!;
        t.match(
          a,
          {
            Namespace: 'ECS/ContainerInsights',
            MetricName: 'RunningTaskCount',
            Statistic: 'Maximum',
            Threshold: threshold,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          },
          `${service}: ${suffix} at ${threshold} of ${max}`,
        );
        t.equal(a.Dimensions[0].Value, 'netsidecar');
        t.equal(byId(refId(a.Dimensions[1].Value)).ServiceName, `netsidecar-${service}`, `${service}: its own ECS service`);
      }
      t.match(alarms.get(`netsidecar-${name}ArchiveStale`), {
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.DataFreshness',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: `netsidecar-archive-${service}` }],
      });
      t.match(alarms.get(`netsidecar-${name}ArchiveDeliveryErrors`), { Namespace: 'AWS/Logs', MetricName: 'DeliveryErrors', Threshold: 0 });
    }
    for (const host of config.alarms.monitoredDevices) {
      const chatty = alarms.get(`netsidecar-Chatty${host.replace(/[^A-Za-z0-9]/g, '')}`)!;
      t.equal(chatty.ComparisonOperator, 'GreaterThanUpperThreshold', `${host}: above its own band`);
      const band = (chatty.Metrics as Props[]).find((m) => m.Id === chatty.ThresholdMetricId)!;
      const volume = (chatty.Metrics as Props[]).find((m) => m.MetricStat)!;
      t.equal(band.Expression, `ANOMALY_DETECTION_BAND(${volume.Id}, ${config.alarms.volumeAnomalyStdDevs})`);
      t.match(volume.MetricStat, {
        Metric: { Namespace: filterNamespace, MetricName: filterMetrics.syslogByHost, Dimensions: [{ Name: 'host', Value: host }] },
        Stat: 'Sum',
      });
      t.same(chatty.AlarmActions.map(refId), [topicId]);
    }
  },
);
