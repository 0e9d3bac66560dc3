import { Validations, type Stack } from 'aws-cdk-lib';
import type { DeployConfig } from './config.js';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag finding this stack accepts, with its reason. Each entry names the finding exactly
 * (an IAM5 finding names its wildcard) and the constructs it applies to by path; it is acknowledged
 * on those constructs only, never for the whole app. The deploy tests fail on any finding not listed
 * here, and on an entry that no longer matches anything (a stale acknowledgement hides nothing).
 */
export interface Acknowledgement {
  /** cdk-nag finding ID, e.g. `AwsSolutions-IAM5[Resource::*]`; `<region>`/`<account>` are filled in. */
  id: string;
  /** Construct paths (below the stack) it applies to. */
  paths: RegExp;
  reason: string;
}

const taskDefinitions = /^(Syslog|Ntp|Config|ScanWorker|ScanPlanner)Task\/TaskDefinition\/Resource$/;
const defaultPolicies =
  /^((Syslog|Ntp|Config|ScanWorker|ScanPlanner)Task\/TaskDefinition\/(TaskRole|ExecutionRole)|SchedulerRoleForTarget-[0-9a-f]+|Archive\/(FirehoseRole|SubscriptionRole))\/DefaultPolicy\/Resource$/;
const listenersWithoutCertificate = /^Routers\/Nlb\/(SyslogUdp|SyslogTcp|SyslogTls|Ntp|UploadHttp)\/Resource$/;

/** `config` adds the entries that depend on the inputs (the intended configs prefix). */
export function acknowledgements(config?: Pick<DeployConfig, 'intendedConfigs'>): Acknowledgement[] {
  const logStreams = (service: string): Acknowledgement => ({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<region>:<account>:log-group:/netsidecar/${service}:log-stream:*]`,
    paths: new RegExp(
      `^(${service === 'scan' ? 'ScanWorker|ScanPlanner' : service.charAt(0).toUpperCase() + service.slice(1)})Task/TaskDefinition/TaskRole/DefaultPolicy/Resource$`,
    ),
    reason: `Streams are named after devices and created at run time; the statement is limited to the service's own log group /netsidecar/${service} and to CreateLogStream and PutLogEvents.`,
  });
  const intended = config?.intendedConfigs;
  return [
    ...(intended
      ? [
          {
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${intended.bucketName}/${intended.prefix}*]`,
            paths: /^ConfigTask\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/,
            reason:
              'The intended configs are named after devices (<prefix><device>[.cfg|.conf|.txt|.rsc]); the statement is s3:GetObject only, on the configured prefix only.',
          },
        ]
      : []),
    {
      id: 'AwsSolutions-ECS2',
      paths: taskDefinitions,
      reason:
        'The environment holds only non-secret settings (sink, data dir, ports, table and queue names, the intended configs S3 prefix, EKS endpoints and their public CA certificates); every secret is injected from Secrets Manager through `secrets`, and file secrets through the secret-files init container.',
    },
    {
      id: 'AwsSolutions-ELB2',
      paths: /^Routers\/Nlb\/Resource$/,
      reason:
        'NLB access logs only record TLS listeners; every syslog message, NTP client, config upload and request is recorded by the services themselves in CloudWatch Logs (400+ days, KMS).',
    },
    {
      id: 'PCI.DSS.321-ELBLoggingEnabled',
      paths: /^Routers\/Nlb\/Resource$/,
      reason:
        'NLB access logs only record TLS listeners; the services log every message, upload and NTP client to CloudWatch Logs themselves (PCI DSS 10.2 evidence is there).',
    },
    {
      id: 'PCI.DSS.321-ELBv2ACMCertificateRequired',
      paths: listenersWithoutCertificate,
      reason:
        'Syslog over UDP/TCP (RFC 5426/6587) and NTP are cleartext protocols routers speak; syslog TLS (6514) is passed through and terminated by the service with its own certificate; TCP 80 serves router archive clients without HTTPS. All of it crosses Direct Connect (private, not an open public network: PCI DSS 4.2.1), and only from the on-premises CIDRs. The upload has a TLS 443 listener with an ACM certificate.',
    },
    {
      id: 'PCI.DSS.321-IAMNoInlinePolicy',
      paths: defaultPolicies,
      reason:
        "Each policy is generated for exactly one role, scoped to that role's resources, and versioned, reviewed and rolled back with this template, which is what managed policies would give.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      paths:
        /^((Syslog|Ntp|Config|ScanWorker|ScanPlanner)Task\/TaskDefinition\/ExecutionRole|(ScanWorker|ScanPlanner)Task\/TaskDefinition\/TaskRole)\/DefaultPolicy\/Resource$/,
      reason:
        'Only ecr:GetAuthorizationToken (no resource-level permissions exist for it) and ecs:ListTasks (no resource type; pinned to the netsidecar cluster by an ecs:cluster condition) use `*`; the tests check that no other action does.',
    },
    logStreams('syslog'),
    logStreams('ntp'),
    logStreams('config'),
    logStreams('scan'),
    {
      id: 'AwsSolutions-IAM5[Resource::<ConfigStore9B27B21B.Arn>/configs/*]',
      paths: /^ConfigTask\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/,
      reason:
        "Every device's versions live under the configs/ prefix of the config store, with names that come from devices; the bucket is versioned, so no write loses a version.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<region>:<account>:repository/*]',
      paths: /^ScanWorkerTask\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/,
      reason:
        "The worker scans whatever image runs on the cluster, so it may pull (read only) from the account's repositories; restrict with the scanRepositoryArns input.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<region>:<account>:task/netsidecar/*]',
      paths: /^ScanPlannerTask\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/,
      reason: 'The planner inventories every task of the netsidecar cluster (DescribeTasks, read only).',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<region>:<account>:service/netsidecar/*]',
      paths: /^ScanPlannerTask\/TaskDefinition\/TaskRole\/DefaultPolicy\/Resource$/,
      reason: 'The planner reads the owner tag of every service of the netsidecar cluster (DescribeServices, read only).',
    },
    {
      id: 'PCI.DSS.321-S3BucketReplicationEnabled',
      paths: /^(ConfigStore|ConfigStoreAccessLogs|Archive\/Bucket|ArchiveAnalytics\/Results)\/Resource$/,
      reason:
        'Single-region deployment: the buckets are versioned and retained on stack deletion (the archive also under Object Lock in compliance mode); cross-region replication needs a bucket in a second region (with Object Lock, for the archive), which the README lists as a decision for the deploying team. Athena results are derived and expire after 30 days.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/*]',
      paths: /^(Archive\/FirehoseRole\/DefaultPolicy|ArchiveAnalytics\/ReadPolicy)\/Resource$/,
      reason:
        'Firehose names each archive object by its arrival time and a random ID under the log group prefix, so objects cannot be listed in advance. Firehose may only put and read back objects (multipart uploads), never delete (a bucket policy denies deletes to everyone); the read policy only reads objects and their Object Lock retention.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::<ArchiveAnalyticsResultsFA96232C.Arn>/*]',
      paths: /^ArchiveAnalytics\/ReadPolicy\/Resource$/,
      reason:
        "Athena writes each query's results under a name of its own (the query execution ID) in the results bucket; the policy lets the reader write and read results there only, without delete.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<region>:<account>:log-group:/netsidecar/audit:log-stream:*]',
      paths: /^Logging\/AuditRecordPolicy\/Resource$/,
      reason:
        'The audit CLI creates the stream `evidence` on first use; the statement is limited to the audit records group /netsidecar/audit and to CreateLogStream and PutLogEvents (append only).',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<region>:<account>:log-group:/netsidecar/audit:*]',
      paths: /^Logging\/AuditRecordPolicy\/Resource$/,
      reason:
        'FilterLogEvents and DescribeLogStreams are granted on a log group ARN, which IAM writes with a trailing `:*`; only the audit records group /netsidecar/audit.',
    },
    {
      id: 'PCI.DSS.321-S3DefaultEncryptionKMS',
      paths: /^ConfigStoreAccessLogs\/Resource$/,
      reason: 'S3 server access logging can only deliver to SSE-S3 buckets; the bucket is encrypted (SSE-S3), private and TLS-only.',
    },
  ];
}

/** Applies the acknowledgements; returns how many constructs each matched (the tests want >= 1). */
export function acknowledgeFindings(stack: Stack, config?: Pick<DeployConfig, 'intendedConfigs'>): Map<string, number> {
  const matched = new Map<string, number>();
  const list = acknowledgements(config);
  const prefix = `${stack.node.path}/`;
  for (const construct of stack.node.findAll()) {
    const path = construct.node.path.startsWith(prefix) ? construct.node.path.slice(prefix.length) : null;
    if (path === null) continue;
    for (const ack of list) {
      if (!ack.paths.test(path)) continue;
      const id = ack.id.replace('<region>', stack.region).replace('<account>', stack.account);
      acknowledge(construct, id, ack.reason);
      matched.set(ack.id + ' ' + ack.paths.source, (matched.get(ack.id + ' ' + ack.paths.source) ?? 0) + 1);
    }
  }
  return matched;
}

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}
