import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ArchiveInput } from './config.js';
import { archiveOpsLogGroupName, cap, eventLogGroupName } from './logging.js';
import { serviceNames, type ServiceName } from './services.js';

/**
 * Where a log group's events land in the archive: `<log group without the leading slash>/yyyy/MM/dd/`,
 * the date being Firehose's arrival time (UTC) of the oldest record of the object. The audit CLI
 * (cli/audit, `--source archive`) and the Glue table read exactly this layout.
 */
export function archivePrefix(logGroupName: string): string {
  return `${logGroupName.replace(/^\/+/, '')}/`;
}

/** Firehose records it could not process go here, never under a log group's prefix. */
export const archiveErrorPrefix = 'errors/';

export function deliveryStreamName(service: ServiceName): string {
  return `netsidecar-archive-${service}`;
}

/** Firehose's S3 buffer at its maximum: fewer, larger objects (S3 requests and Athena splits cost per object). */
export const archiveBufferMiB = 128;

export interface LogArchiveProps {
  archive: Readonly<ArchiveInput>;
  key: kms.IKey;
  /** The event log groups to archive. */
  eventGroups: Record<ServiceName, logs.ILogGroup>;
  /** The stack's S3 server access log bucket. */
  accessLogs: s3.IBucket;
  retentionDays: logs.RetentionDays;
}

/**
 * The write-once archive (PCI DSS 10.3.3, 10.3.4, 10.5.1): every event log group is subscribed to a
 * Firehose delivery stream of its own, which decompresses the CloudWatch Logs records, keeps only
 * each log event's message (the event JSON) with a newline after it, and writes GZIP objects under
 * the group's prefix to a bucket with Object Lock in compliance mode. No Lambda anywhere.
 *
 * One stream per log group rather than one stream with dynamic partitioning: the prefix is then a
 * fixed string per stream, with no JQ query (AWS does not document whether a `partitionKeyFromQuery`
 * query sees the CloudWatch Logs envelope or the extracted message) and no dynamic partitioning
 * charge; Firehose has no per-stream fee, and each group gets its own delivery metrics and alarm.
 */
export class LogArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly streams: Record<ServiceName, firehose.CfnDeliveryStream>;
  readonly firehoseRole: iam.Role;
  readonly subscriptionRole: iam.Role;
  readonly errorLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { archive, key } = props;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true, // one KMS request per object batch, not per object: cheaper, same key
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(archive.retentionDays)),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        {
          id: 'cold-storage',
          transitions: [{ storageClass: storageClass(archive.coldStorageClass), transitionAfter: Duration.days(archive.coldAfterDays) }],
          noncurrentVersionTransitions: [{ storageClass: storageClass(archive.coldStorageClass), transitionAfter: Duration.days(archive.coldAfterDays) }],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          ...(archive.expireAfterDays === null ? {} : { expiration: Duration.days(archive.expireAfterDays), noncurrentVersionExpiration: Duration.days(1) }),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN, // evidence: never deleted with the stack
    });
    // Object Lock keeps every version, but a DELETE without a version ID still adds a delete marker
    // that hides the object from listings. Nobody deletes here; lifecycle expiry is not a request.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDeletes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );

    this.errorLogGroup = new logs.LogGroup(this, 'DeliveryErrors', {
      logGroupName: archiveOpsLogGroupName,
      retention: props.retentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const errorStream = new logs.LogStream(this, 'DeliveryErrorsS3', {
      logGroup: this.errorLogGroup,
      logStreamName: 'S3Delivery',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Firehose writes and reads back (multipart uploads) objects; it never deletes.
    this.firehoseRole = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': stack.account } } }),
      description: 'netsidecar archive: Firehose writes the event log groups to the archive bucket',
    });
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.bucket.bucketArn],
      }),
    );
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveObjects',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          // With an S3 Bucket Key the encryption context is the bucket's ARN.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.bucket.bucketArn, this.bucket.arnForObjects('*')] },
        },
      }),
    );
    this.firehoseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeliveryErrorLog',
        actions: ['logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${archiveOpsLogGroupName}:log-stream:S3Delivery`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    this.subscriptionRole = new iam.Role(this, 'SubscriptionRole', {
      assumedBy: new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`, {
        conditions: { StringLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) } },
      }),
      description: 'netsidecar archive: CloudWatch Logs subscription filters put records to the archive delivery streams',
    });

    this.streams = {} as Record<ServiceName, firehose.CfnDeliveryStream>;
    for (const service of serviceNames) {
      const group = props.eventGroups[service];
      const name = deliveryStreamName(service);
      const stream = new firehose.CfnDeliveryStream(this, `${cap(service)}Stream`, {
        deliveryStreamName: name,
        deliveryStreamType: 'DirectPut',
        deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
        extendedS3DestinationConfiguration: {
          bucketArn: this.bucket.bucketArn,
          roleArn: this.firehoseRole.roleArn,
          // The literal name (the group's Ref is a token): the prefix must be a plain string.
          prefix: `${archivePrefix(eventLogGroupName(service))}!{timestamp:yyyy/MM/dd}/`,
          errorOutputPrefix: `${archiveErrorPrefix}${archivePrefix(eventLogGroupName(service))}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
          compressionFormat: 'GZIP',
          bufferingHints: { intervalInSeconds: archive.bufferSeconds, sizeInMBs: archiveBufferMiB },
          encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
          cloudWatchLoggingOptions: { enabled: true, logGroupName: this.errorLogGroup.logGroupName, logStreamName: errorStream.logStreamName },
          processingConfiguration: {
            enabled: true,
            processors: [
              // CloudWatch Logs sends GZIP'd records; Firehose unpacks them,
              { type: 'Decompression', parameters: [{ parameterName: 'CompressionFormat', parameterValue: 'GZIP' }] },
              // keeps only each log event's `message` (the event JSON, no envelope),
              { type: 'CloudWatchLogProcessing', parameters: [{ parameterName: 'DataMessageExtraction', parameterValue: 'true' }] },
              // and ends each with a newline: one event per line.
              { type: 'AppendDelimiterToRecord' },
            ],
          },
        },
      });
      stream.node.addDependency(this.firehoseRole);
      this.streams[service] = stream;
      this.subscriptionRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: `PutRecords${cap(service)}`, actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [stream.attrArn] }),
      );
      const filter = new logs.CfnSubscriptionFilter(this, `${cap(service)}Subscription`, {
        filterName: 'netsidecar-archive',
        logGroupName: group.logGroupName,
        filterPattern: '', // every event
        destinationArn: stream.attrArn,
        roleArn: this.subscriptionRole.roleArn,
      });
      filter.node.addDependency(this.subscriptionRole);
    }
  }
}

function storageClass(name: ArchiveInput['coldStorageClass']): s3.StorageClass {
  return name === 'GLACIER_IR' ? s3.StorageClass.GLACIER_INSTANT_RETRIEVAL : s3.StorageClass.INFREQUENT_ACCESS;
}
