import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { NetsidecarAlarms } from './alarms.js';
import { LogArchive } from './archive.js';
import { ArchiveAnalytics } from './archive-analytics.js';
import { archiveWorkGroup } from './archive-queries.js';
import { decodeCertificateAuthority, type DeployConfig, type IntendedConfigsInput } from './config.js';
import { CostGuardrails } from './guardrails.js';
import { RouterLoadBalancer } from './load-balancer.js';
import { AuditLogging, cap, eventLogGroupName } from './logging.js';
import { acknowledgeFindings } from './nag-acknowledgements.js';
import { publicFilesMountPath } from './public-files.js';
import { savedQueries } from './queries.js';
import { ScanResources, trivyTimeoutMinutes } from './scan-resources.js';
import { serviceSpecs, type ServiceName } from './services.js';
import { SharedSpool, sharedSpoolServices } from './shared-spool.js';
import { NetsidecarTaskDefinition, containerUser, dataDir } from './task-definition.js';

export const clusterName = 'netsidecar';
/** The Trivy server sidecar of the scan worker (services/scan-scheduler/README.md). */
export const trivyServerAddress = '127.0.0.1:4954';
export const configStorePrefix = 'configs/';

export interface NetsidecarStackProps extends StackProps {
  config: Readonly<DeployConfig>;
}

/**
 * netsidecar in one stack: the ECS cluster, the routers' NLB, the four services, their log groups,
 * alarms and saved queries, and the scan scheduler's tables, queue and schedule.
 */
export class NetsidecarStack extends Stack {
  readonly loadBalancer: RouterLoadBalancer;
  readonly logging: AuditLogging;
  readonly services = new Map<string, ecs.FargateService>();
  readonly taskSecurityGroups = new Map<ServiceName, ec2.SecurityGroup>();
  readonly alarms: NetsidecarAlarms;
  readonly archive: LogArchive;
  readonly archiveAnalytics: ArchiveAnalytics;
  readonly guardrails: CostGuardrails;
  /** The spool file system of syslog and config-upload; null with `sharedSpool.enabled: false`. */
  readonly sharedSpool: SharedSpool | null;
  /** Which cdk-nag acknowledgements matched how many constructs (see nag-acknowledgements.ts). */
  readonly acknowledged: Map<string, number>;
  private readonly config: Readonly<DeployConfig>;

  constructor(scope: Construct, id: string, props: NetsidecarStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: props.config.region },
      description: 'netsidecar: syslog, NTP, config archive and image scanning for data-centre routers (PCI DSS)',
      analyticsReporting: false,
    });
    const { config } = props;
    this.config = config;
    // The cost-allocation tag on every resource: what the budget (and Cost Explorer) filter on.
    Tags.of(this).add(config.costs.tag.key, config.costs.tag.value);

    // Imported by ID: no lookup, so synthesis needs no credentials.
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: config.vpcId,
      availabilityZones: config.subnets.map((s) => s.availabilityZone),
      privateSubnetIds: config.subnets.map((s) => s.id),
    });
    const subnets: ec2.SubnetSelection = { subnets: vpc.privateSubnets };
    for (const subnet of vpc.privateSubnets) {
      Annotations.of(subnet).acknowledgeWarning(
        '@aws-cdk/aws-ec2:noSubnetRouteTableId',
        "This stack creates no routes or gateway endpoints: the route tables stay the VPC owner's.",
      );
    }

    this.logging = new AuditLogging(this, 'Logging', { retentionDays: config.logRetentionDays });
    const key = this.logging.key;

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, clusterName, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    this.loadBalancer = new RouterLoadBalancer(this, 'Routers', { vpc, config });

    const secret = (secretId: string, name: string) => secretsmanager.Secret.fromSecretNameV2(this, secretId, name);
    const repositories = new Map<string, ecr.IRepository>();
    const image = (name: ServiceName) => {
      const workspace = serviceSpecs[name].workspace;
      let repository = repositories.get(workspace);
      if (!repository) {
        repository = ecr.Repository.fromRepositoryName(this, `${cap(name)}Repository`, `${config.images.repositoryPrefix}/${workspace}`);
        repositories.set(workspace, repository);
      }
      return ecs.ContainerImage.fromEcrRepository(repository, config.images.tags[name]);
    };

    this.sharedSpool = config.sharedSpool.enabled
      ? new SharedSpool(this, 'SharedSpool', { vpc, subnets, key, provisionedMiBps: config.sharedSpool.provisionedMiBps })
      : null;
    const sharedSpool = this.sharedSpool;

    const taskDefinition = (name: ServiceName, id: string, family: string, extra: Partial<ConstructorParameters<typeof NetsidecarTaskDefinition>[2]>) =>
      new NetsidecarTaskDefinition(this, id, {
        spec: serviceSpecs[name],
        config,
        sizing: config.services[name],
        image: image(name),
        eventLogGroupName: eventLogGroupName(name),
        opsLogGroup: this.logging.opsGroups[name],
        environment: {},
        family,
        withPorts: true,
        ...(sharedSpool && sharedSpoolServices.includes(name) ? { sharedSpool } : {}),
        ...extra,
      });

    // syslog
    const syslogTls = config.secrets.syslogTls === null ? null : secret('SyslogTlsSecret', config.secrets.syslogTls);
    const syslog = taskDefinition('syslog', 'SyslogTask', 'netsidecar-syslog', {
      ...(syslogTls
        ? {
            fileSecrets: {
              SYSLOG_TLS_CERT: ecs.Secret.fromSecretsManager(syslogTls, 'certificate'),
              SYSLOG_TLS_KEY: ecs.Secret.fromSecretsManager(syslogTls, 'privateKey'),
            },
          }
        : {}),
    });
    this.addService('syslog', syslog, cluster, subnets);

    // ntp
    const ntpKeys = config.secrets.ntpKeys === null ? null : secret('NtpKeysSecret', config.secrets.ntpKeys);
    const ntp = taskDefinition('ntp', 'NtpTask', 'netsidecar-ntp', {
      environment: {
        NETSIDECAR_NTP_UPSTREAM: '169.254.169.123', // Amazon Time Sync, link-local to every Fargate task
        NETSIDECAR_NTP_REQUIRE_AUTH: String(config.ntpRequireAuth),
      },
      ...(ntpKeys ? { fileSecrets: { NTP_KEYS: ecs.Secret.fromSecretsManager(ntpKeys) } } : {}),
    });
    this.addService('ntp', ntp, cluster, subnets);

    // S3 server access logs of every bucket of the stack (the config store, the archive, Athena results).
    // The construct ID predates the archive: renaming it would replace the bucket.
    const accessLogs = new s3.Bucket(this, 'ConfigStoreAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logging cannot write SSE-KMS
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(config.logRetentionDays) }],
    });

    // config upload: versions in S3 (every task sees every version; the file store is per task)
    const configStore = new s3.Bucket(this, 'ConfigStore', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true, // the config-upload README asks for it: an overwrite never loses a version
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'config-store/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const upload = taskDefinition('config', 'ConfigTask', 'netsidecar-config-upload', {
      environment: {
        NETSIDECAR_UPLOAD_STORE: 's3',
        NETSIDECAR_UPLOAD_S3_BUCKET: configStore.bucketName,
        NETSIDECAR_UPLOAD_S3_PREFIX: configStorePrefix,
        // The TCP target groups preserve client addresses, so the service sees the routers' own.
        NETSIDECAR_UPLOAD_ALLOWED_CIDRS: config.onPremisesCidrs.join(','),
        ...(config.intendedConfigs ? { NETSIDECAR_UPLOAD_INTENDED_S3: `s3://${config.intendedConfigs.bucketName}/${config.intendedConfigs.prefix}` } : {}),
        // Inline, not a file: rules are no secret (a pattern must never hold one), a change makes a new
        // task definition revision (the tasks restart with it, as the service needs), and there is no
        // extra bucket, init container or S3 read at start (deploy/README.md, complianceRulesFile).
        ...(config.complianceRules ? { NETSIDECAR_UPLOAD_COMPLIANCE_RULES: config.complianceRules.text } : {}),
      },
      fileSecrets: {
        UPLOAD_USERS: ecs.Secret.fromSecretsManager(secret('UploadUsersSecret', config.secrets.uploadCredentials)),
        UPLOAD_REDACTION_KEY: ecs.Secret.fromSecretsManager(secret('RedactionKeySecret', config.secrets.redactionKey)),
        // NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: the webhook URL is a secret, kept out of the environment.
        ...(config.changeNotices?.slackWebhook
          ? { UPLOAD_NOTIFY_SLACK_WEBHOOK: ecs.Secret.fromSecretsManager(secret('ConfigSlackWebhookSecret', config.changeNotices.slackWebhook)) }
          : {}),
      },
    });
    const uploadRole = upload.taskDefinition.taskRole;
    uploadRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConfigStoreObjects',
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [configStore.arnForObjects(`${configStorePrefix}*`)],
      }),
    );
    uploadRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ConfigStoreList',
        actions: ['s3:ListBucket'],
        resources: [configStore.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${configStorePrefix}*`] } },
      }),
    );
    uploadRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ConfigStoreKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    );
    if (config.intendedConfigs) {
      this.grantIntendedConfigs(uploadRole, config.intendedConfigs);
      new CfnOutput(this, 'ConfigUploadRoleArn', {
        description: 'The config-upload task role: allow it in the intended configs bucket policy or key policy if they restrict principals',
        value: uploadRole.roleArn,
      });
    }
    this.addService('config', upload, cluster, subnets);

    // scan scheduler: tables, queue, the worker service with its Trivy server, the planner on a schedule
    const scan = new ScanResources(this, 'Scan', { key });
    const scanEnvironment = {
      NETSIDECAR_SCAN_ECS_CLUSTERS: clusterName,
      NETSIDECAR_SCAN_IMAGES_TABLE: scan.imagesTable.tableName,
      NETSIDECAR_SCAN_FINDINGS_TABLE: scan.findingsTable.tableName,
      NETSIDECAR_SCAN_QUEUE_URL: scan.queue.queueUrl,
      NETSIDECAR_SCAN_TRIVY_TIMEOUT: `${trivyTimeoutMinutes}m`,
    };
    const slack = { NETSIDECAR_SCAN_SLACK_WEBHOOKS: ecs.Secret.fromSecretsManager(secret('SlackWebhookSecret', config.secrets.slackWebhook)) };
    const trivyCache = `${dataDir}/trivy-cache`;
    const worker = taskDefinition('scan', 'ScanWorkerTask', 'netsidecar-scan-worker', {
      command: ['worker'],
      environment: {
        ...scanEnvironment,
        NETSIDECAR_SCAN_TRIVY_SERVER: `http://${trivyServerAddress}`,
        NETSIDECAR_SCAN_TRIVY_CACHE_DIR: trivyCache,
      },
      secrets: slack,
    });
    const trivy = worker.taskDefinition.addContainer('TrivyServer', {
      containerName: 'trivy-server',
      image: ecs.ContainerImage.fromRegistry(config.trivyImage),
      essential: true,
      readonlyRootFilesystem: true,
      user: containerUser,
      command: ['server', '--listen', trivyServerAddress, '--cache-dir', trivyCache],
      environment: { TMPDIR: `${dataDir}/tmp` },
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logging.opsGroups.scan, streamPrefix: 'trivy', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      linuxParameters: dropAllCapabilities(this, 'TrivyLinux'),
    });
    trivy.addMountPoints({ sourceVolume: 'data', containerPath: dataDir, readOnly: false });
    worker.container.addContainerDependencies({ container: trivy, condition: ecs.ContainerDependencyCondition.START });
    const workerRole = worker.taskDefinition.taskRole;
    this.grantScanState(workerRole, scan);
    workerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScanQueueConsume',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: [scan.queue.queueArn],
      }),
    );
    workerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ScanQueueKey', actions: ['kms:Decrypt'], resources: [key.keyArn] }));
    // The Trivy client pulls the layers of the images it scans (`--image-src remote`).
    workerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    workerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullScannedImages',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources:
          config.scanRepositoryArns.length > 0
            ? [...config.scanRepositoryArns]
            : [this.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' })],
      }),
    );
    this.addService('scan', worker, cluster, subnets);

    // EKS inventory: the token is a presigned sts:GetCallerIdentity of the task role (no IAM action
    // here); each cluster's access entry must map the role (README, output ScanPlannerRoleArn).
    const eks = config.eksClusters;
    const planner = taskDefinition('scan', 'ScanPlannerTask', 'netsidecar-scan-plan', {
      command: ['plan'],
      environment: {
        ...scanEnvironment,
        ...(eks.length > 0
          ? {
              NETSIDECAR_SCAN_EKS_CLUSTERS: eks.map((c) => `${c.name}=${c.endpoint}`).join(','),
              NETSIDECAR_SCAN_EKS_CA_DIR: publicFilesMountPath,
            }
          : {}),
      },
      ...(eks.length > 0 ? { publicFiles: Object.fromEntries(eks.map((c) => [`${c.name}.pem`, decodeCertificateAuthority(c.certificateAuthority)])) } : {}),
      secrets: slack,
      withPorts: false,
    });
    const plannerRole = planner.taskDefinition.taskRole;
    this.grantScanState(plannerRole, scan);
    plannerRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ScanQueueSend', actions: ['sqs:SendMessage'], resources: [scan.queue.queueArn] }));
    plannerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ScanQueueKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    );
    plannerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InventoryListTasks',
        actions: ['ecs:ListTasks'],
        resources: ['*'], // ListTasks has no resource type; the condition pins the cluster
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
    );
    plannerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InventoryDescribe',
        actions: ['ecs:DescribeTasks', 'ecs:DescribeServices'],
        resources: [
          this.formatArn({ service: 'ecs', resource: 'task', resourceName: `${clusterName}/*` }),
          this.formatArn({ service: 'ecs', resource: 'service', resourceName: `${clusterName}/*` }),
        ],
      }),
    );
    new CfnOutput(this, 'ScanPlannerRoleArn', {
      description: 'The scan planner task role: the principal of the EKS access entry (AmazonEKSViewPolicy) on each cluster in eksClusters',
      value: plannerRole.roleArn,
    });
    const plannerSecurityGroup = this.taskSecurityGroup('ScanPlanner', 'scan planner');
    new scheduler.Schedule(this, 'ScanPlanSchedule', {
      description: 'netsidecar scan planning run: inventory, due images to the queue, coverage report',
      schedule: scheduler.ScheduleExpression.expression(config.scanSchedule),
      target: new schedulerTargets.EcsRunFargateTask(cluster, {
        taskDefinition: planner.taskDefinition,
        vpcSubnets: subnets,
        securityGroups: [plannerSecurityGroup],
        assignPublicIp: false,
        platformVersion: ecs.FargatePlatformVersion.LATEST,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.alarms = new NetsidecarAlarms(this, 'Alarms', {
      config,
      key,
      eventGroups: this.logging.eventGroups,
      targetGroups: this.loadBalancer.targetGroups,
      scanDeadLetterQueue: scan.deadLetterQueue,
    });

    // Config change notices to the alarm topic (made with the alarms, after the upload task).
    const notices = config.changeNotices;
    if (notices) {
      upload.container.addEnvironment('NETSIDECAR_UPLOAD_NOTIFY_SLACK_DEVICES', notices.slackDevices.join(','));
      if (notices.sns) {
        upload.container.addEnvironment('NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN', this.alarms.topic.topicArn);
        upload.container.addEnvironment('NETSIDECAR_UPLOAD_NOTIFY_SNS_DEVICES', notices.snsDevices.join(','));
        // The topic is encrypted with the stack key, on which ConfigStoreKey already grants GenerateDataKey and Decrypt.
        uploadRole.addToPrincipalPolicy(
          new iam.PolicyStatement({ sid: 'ChangeNoticesPublish', actions: ['sns:Publish'], resources: [this.alarms.topic.topicArn] }),
        );
      }
    }

    this.archive = new LogArchive(this, 'Archive', {
      archive: config.archive,
      key,
      eventGroups: this.logging.eventGroups,
      accessLogs,
      retentionDays: config.logRetentionDays,
    });
    this.archiveAnalytics = new ArchiveAnalytics(this, 'ArchiveAnalytics', {
      archiveBucket: this.archive.bucket,
      key,
      accessLogs,
      scanLimitGiB: config.archive.athenaScanLimitGiB,
    });
    new CfnOutput(this, 'ArchiveBucketName', {
      description: 'The write-once log archive: netsidecar-audit --source archive --archive-bucket <this>',
      value: this.archive.bucket.bucketName,
    });
    new CfnOutput(this, 'ArchiveAthenaWorkGroup', {
      description: 'Athena workgroup of the archive (named queries under netsidecar/)',
      value: archiveWorkGroup,
    });
    new CfnOutput(this, 'ArchiveReadPolicyArn', {
      description: "Attach to auditors' roles: read the archive, run the Athena workgroup",
      value: this.archiveAnalytics.readPolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'AuditRecordPolicyArn', {
      description: 'Attach to the roles that build evidence bundles: netsidecar-audit evidence --record, record and verify (/netsidecar/audit)',
      value: this.logging.auditRecordPolicy.managedPolicyArn,
    });
    this.guardrails = new CostGuardrails(this, 'Guardrails', {
      config,
      alarms: this.alarms,
      key,
      clusterName,
      services: this.services,
      eventGroups: this.logging.eventGroups,
    });

    for (const saved of savedQueries({ directConnectBgpPeers: config.directConnectBgpPeers })) {
      new logs.QueryDefinition(
        this,
        `Query${saved.name
          .split('/')
          .slice(1)
          .map((p) => p.split('-').map(cap).join(''))
          .join('')}`,
        {
          queryDefinitionName: saved.name,
          queryString: new RawQueryString(saved.query),
          logGroups: saved.services.map((s) => this.logging.eventGroups[s]),
        },
      );
    }

    this.acknowledged = acknowledgeFindings(this, config);
  }

  /** A Fargate service of two or more tasks over the AZs, CPU autoscaling, no ECS Exec. */
  private addService(name: ServiceName, task: NetsidecarTaskDefinition, cluster: ecs.ICluster, subnets: ec2.SubnetSelection): ecs.FargateService {
    const securityGroup = this.taskSecurityGroup(cap(name), name);
    const spool = sharedSpoolServices.includes(name) ? this.sharedSpool : null;
    spool?.admit(name, securityGroup);
    const service = new ecs.FargateService(this, `${cap(name)}Service`, {
      serviceName: `netsidecar-${name}`,
      cluster,
      taskDefinition: task.taskDefinition,
      desiredCount: this.config.services[name].desiredCount,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      assignPublicIp: false,
      enableExecuteCommand: false,
      // EFS volumes need platform 1.4.0 or later: pinned where one is mounted, so LATEST moving cannot matter.
      platformVersion: spool ? ecs.FargatePlatformVersion.VERSION1_4 : ecs.FargatePlatformVersion.LATEST,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      ...(serviceSpecs[name].listeners.length > 0 ? { healthCheckGracePeriod: Duration.seconds(60) } : {}),
    });
    const scaling = service.autoScaleTaskCount({ minCapacity: this.config.services[name].desiredCount, maxCapacity: this.config.services[name].maxCount });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleOutCooldown: Duration.minutes(1), scaleInCooldown: Duration.minutes(5) });
    this.loadBalancer.attach(service, serviceSpecs[name], task.container.containerName, securityGroup);
    this.services.set(name, service);
    return service;
  }

  private taskSecurityGroup(id: string, what: string): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, `${id}TaskSecurityGroup`, {
      vpc: this.loadBalancer.nlb.vpc!,
      description: `netsidecar ${what} tasks`,
      allowAllOutbound: false,
    });
    // AWS APIs (CloudWatch Logs, Secrets Manager, ECR, S3, DynamoDB, SQS) through NAT or VPC endpoints;
    // the scan worker also reaches image registries and the Trivy DB over HTTPS.
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    if (id === 'Ntp') group.addEgressRule(ec2.Peer.ipv4('169.254.169.123/32'), ec2.Port.udp(123), 'Amazon Time Sync');
    const name = id.toLowerCase() as ServiceName;
    if (name in serviceSpecs) this.taskSecurityGroups.set(name, group);
    return group;
  }

  /**
   * Read only, that prefix only: the service HEADs then GETs `<prefix><device>[.cfg|...]` (s3:GetObject
   * covers both), and ListBucket lets S3 answer 404 rather than 403 for a name that is not there,
   * which the service takes as "try the next suffix / no intended config".
   */
  private grantIntendedConfigs(role: iam.IRole, intended: IntendedConfigsInput): void {
    const bucket = s3.Bucket.fromBucketName(this, 'IntendedConfigsBucket', intended.bucketName);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'IntendedConfigsRead', actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${intended.prefix}*`)] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'IntendedConfigsList',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${intended.prefix}*`] } },
      }),
    );
    if (intended.kmsKeyArn !== null) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'IntendedConfigsKey', actions: ['kms:Decrypt'], resources: [intended.kmsKeyArn] }));
    }
  }

  private grantScanState(role: iam.IRole, scan: ScanResources): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScanState',
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [scan.imagesTable.tableArn, scan.findingsTable.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ScanStateKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.logging.key.keyArn],
      }),
    );
  }
}

function dropAllCapabilities(scope: Construct, id: string): ecs.LinuxParameters {
  const linux = new ecs.LinuxParameters(scope, id);
  linux.dropCapabilities(ecs.Capability.ALL);
  return linux;
}

/** A saved query kept exactly as written in queries.ts (QueryString would rebuild it from parts). */
class RawQueryString extends logs.QueryString {
  constructor(private readonly text: string) {
    super();
  }
  override toString(): string {
    return this.text;
  }
}
