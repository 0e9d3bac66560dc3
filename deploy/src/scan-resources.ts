import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Names the service defaults to (services/scan-scheduler/README.md); the stack sets them explicitly. */
export const scanTableNames = { images: 'netsidecar-scan-images', findings: 'netsidecar-scan-findings' } as const;

/** NETSIDECAR_SCAN_TRIVY_TIMEOUT: one scan at most. The queue's visibility timeout must exceed it + 1 min. */
export const trivyTimeoutMinutes = 10;
export const scanMaxReceiveCount = 5;

/**
 * The scan scheduler's state: the images and findings tables (keys as its README fixes them), and
 * the queue of scan requests with its dead-letter queue. All encrypted with the netsidecar key,
 * tables with point-in-time recovery and deletion protection (findings history is audit evidence).
 */
export class ScanResources extends Construct {
  readonly imagesTable: dynamodb.Table;
  readonly findingsTable: dynamodb.Table;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id);
    const table = (tableId: string, tableName: string, sortKey?: string) =>
      new dynamodb.Table(this, tableId, {
        tableName,
        partitionKey: { name: 'digest', type: dynamodb.AttributeType.STRING },
        ...(sortKey ? { sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING } } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.imagesTable = table('Images', scanTableNames.images);
    this.findingsTable = table('Findings', scanTableNames.findings, 'fingerprint');

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: 'netsidecar-scan-requests-dlq',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Requests', {
      queueName: 'netsidecar-scan-requests',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(trivyTimeoutMinutes + 5), // > scan timeout + 1 min
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: scanMaxReceiveCount },
    });
  }
}
