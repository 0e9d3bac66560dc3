import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { archiveDatabase, archiveDayRange, archiveQueries, archiveTable, archiveWorkGroup } from './archive-queries.js';
import { eventLogGroupName, logGroupPrefix } from './logging.js';
import { serviceNames } from './services.js';

export interface ArchiveAnalyticsProps {
  archiveBucket: s3.IBucket;
  key: kms.IKey;
  accessLogs: s3.IBucket;
  /** BytesScannedCutoffPerQuery, GiB: a query that would scan more is cancelled (and billed up to there). */
  scanLimitGiB: number;
}

const GiB = 1024 ** 3;

/**
 * Athena over the archive: the Glue table (archive-queries.ts says why one `line` column), an
 * Athena workgroup whose settings queries cannot override (results SSE-KMS with the stack's key in
 * a bucket of their own, a per-query scan limit, CloudWatch metrics), and the named queries.
 */
export class ArchiveAnalytics extends Construct {
  readonly resultsBucket: s3.Bucket;
  readonly workGroup: athena.CfnWorkGroup;
  readonly table: glue.CfnTable;
  /** Everything an auditor (Athena console, or `netsidecar-audit --source archive`) needs to read the archive; attach it to their role. */
  readonly readPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ArchiveAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bucket = props.archiveBucket.bucketName;

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: archiveDatabase, description: 'netsidecar: the write-once archive of the event log groups' },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: archiveDatabase,
      tableInput: {
        name: archiveTable,
        description: 'One row per archived event: line is the event JSON as stored in CloudWatch Logs',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'log_group', type: 'string', comment: 'the CloudWatch Logs group, e.g. /netsidecar/syslog' },
          { name: 'day', type: 'string', comment: 'yyyy/MM/dd (UTC) on which Firehose received the events' },
        ],
        parameters: {
          compressionType: 'gzip',
          'projection.enabled': 'true',
          'projection.log_group.type': 'enum',
          'projection.log_group.values': serviceNames.map(eventLogGroupName).join(','),
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy/MM/dd',
          'projection.day.range': archiveDayRange,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          // `${log_group}` is the whole log group name (`/netsidecar/syslog`): no `/` after the bucket.
          'storage.location.template': `s3://${bucket}\${log_group}/\${day}/`,
        },
        storageDescriptor: {
          columns: [{ name: 'line', type: 'string', comment: "the event JSON; read fields with json_extract_scalar(line, '$.field')" }],
          location: `s3://${bucket}${logGroupPrefix}/`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          // One column per line: LazySimpleSerDe splits on \u0001, which JSON text never holds unescaped.
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', parameters: { 'serialization.format': '1' } },
        },
      },
    });
    this.table.node.addDependency(database);

    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'athena-results/',
      // Results are derived and re-run at will: a month, then gone.
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: archiveWorkGroup,
      description: 'netsidecar: queries over the log archive (results encrypted, scan limit per query)',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.scanLimitGiB * GiB,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });

    const workGroupArn = stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: archiveWorkGroup });
    this.readPolicy = new iam.ManagedPolicy(this, 'ReadPolicy', {
      description: 'netsidecar: read the log archive (audit CLI --source archive, Athena workgroup netsidecar-archive)',
      statements: [
        new iam.PolicyStatement({ sid: 'ArchiveList', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [props.archiveBucket.bucketArn] }),
        // GetObjectRetention: without it S3 leaves the Object Lock headers out of GetObject.
        new iam.PolicyStatement({
          sid: 'ArchiveRead',
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention'],
          resources: [props.archiveBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({ sid: 'ArchiveKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
        new iam.PolicyStatement({
          sid: 'AthenaWorkGroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
            'athena:GetWorkGroup',
            'athena:ListNamedQueries',
            'athena:GetNamedQuery',
            'athena:BatchGetNamedQuery',
          ],
          resources: [workGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'GlueTable',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: archiveDatabase }),
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${archiveDatabase}/${archiveTable}` }),
          ],
        }),
        new iam.PolicyStatement({ sid: 'AthenaResultsList', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.resultsBucket.bucketArn] }),
        new iam.PolicyStatement({
          sid: 'AthenaResults',
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          resources: [this.resultsBucket.arnForObjects('*')],
        }),
      ],
    });

    for (const saved of archiveQueries()) {
      const query = new athena.CfnNamedQuery(
        this,
        `Query${saved.name
          .split('/')
          .slice(1)
          .map((p) =>
            p
              .split('-')
              .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
              .join(''),
          )
          .join('')}`,
        {
          name: saved.name,
          description: saved.description,
          database: archiveDatabase,
          workGroup: archiveWorkGroup,
          queryString: saved.query,
        },
      );
      query.node.addDependency(this.workGroup, this.table);
    }
  }
}
