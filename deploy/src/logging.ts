import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { auditCli, DEFAULT_LOG_GROUP_PREFIX, logGroupOf } from '@netsidecar/contracts';
import { Construct } from 'constructs';
import { serviceNames, type ServiceName } from './services.js';

export const logGroupPrefix = DEFAULT_LOG_GROUP_PREFIX;

/** `/netsidecar/syslog` ...: the event log groups of docs/ARCHITECTURE.md (what users query, auditors keep). */
export function eventLogGroupName(service: ServiceName): string {
  return logGroupOf(logGroupPrefix, service);
}

/** Container stdout/stderr (operational lines and EMF metric documents), kept apart from the evidence. */
export function opsLogGroupName(service: ServiceName): string {
  return `${logGroupPrefix}/ops/${service}`;
}

/**
 * The audit CLI's own records (`audit/1`: the SHA-256 of each evidence bundle's SHA256SUMS, written by
 * `netsidecar-audit evidence --record` / `record`, read by `verify`): evidence about the evidence,
 * kept and encrypted like the event groups. No service writes it.
 */
export const auditRecordGroupName = logGroupOf(logGroupPrefix, auditCli.name);

/** Firehose's delivery errors for the archive: operational, beside the services' own. */
export const archiveOpsLogGroupName = `${logGroupPrefix}/ops/archive`;

export interface AuditLoggingProps {
  retentionDays: number;
}

/**
 * One customer-managed KMS key (rotated yearly) for everything netsidecar stores: log groups, the
 * alarm topic, the scan queue and tables, the config store, the spool file system. CloudWatch Logs
 * may use it only for the `/netsidecar/*` groups (encryption context condition), CloudWatch alarms
 * only to publish to SNS.
 * Log groups are retained when the stack is deleted: they are audit evidence.
 */
export class AuditLogging extends Construct {
  readonly key: kms.Key;
  readonly eventGroups: Record<ServiceName, logs.LogGroup>;
  readonly opsGroups: Record<ServiceName, logs.LogGroup>;
  readonly auditRecords: logs.LogGroup;
  /** Attach to the roles that build evidence bundles: record their digests, and verify them later. */
  readonly auditRecordPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AuditLoggingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      alias: 'alias/netsidecar',
      description: 'netsidecar: log groups, alarm topic, scan queue and tables, config store, spool file system',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsNetsidecarGroups',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'], // in a key policy, `*` is this key
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${logGroupPrefix}/*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    const retention = props.retentionDays as logs.RetentionDays;
    const group = (idPart: string, name: string) =>
      new logs.LogGroup(this, idPart, { logGroupName: name, retention, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
    this.eventGroups = Object.fromEntries(serviceNames.map((s) => [s, group(`${cap(s)}Events`, eventLogGroupName(s))])) as Record<ServiceName, logs.LogGroup>;
    this.opsGroups = Object.fromEntries(serviceNames.map((s) => [s, group(`${cap(s)}Ops`, opsLogGroupName(s))])) as Record<ServiceName, logs.LogGroup>;
    this.auditRecords = group('AuditRecords', auditRecordGroupName);
    // The group's ARN without CloudFormation's trailing `:*`, so that streams can be named after it.
    const auditGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: auditRecordGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.auditRecordPolicy = new iam.ManagedPolicy(this, 'AuditRecordPolicy', {
      description: 'netsidecar: record evidence bundle digests in /netsidecar/audit and find them again (netsidecar-audit record / verify)',
      statements: [
        // Appending is all a recorder can do: no DeleteLogStream, no retention change, no other group.
        new iam.PolicyStatement({ sid: 'RecordDigests', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${auditGroupArn}:log-stream:*`] }),
        new iam.PolicyStatement({ sid: 'FindDigests', actions: ['logs:FilterLogEvents', 'logs:DescribeLogStreams'], resources: [`${auditGroupArn}:*`] }),
      ],
    });
  }
}

export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
