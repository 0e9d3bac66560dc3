import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ServiceName } from './services.js';

/**
 * The services whose CloudWatch spool moves to the shared volume (`sharedSpool`): what they accept
 * is answered for at once (a syslog frame read, an upload answered 201), so what a replaced task
 * could not deliver must outlive it. ntp-proxy (periodic status and client summaries) and the scan
 * scheduler (its findings are in DynamoDB) keep their spools on task storage.
 */
export const sharedSpoolServices: readonly ServiceName[] = ['syslog', 'config'];

/** The uid and gid the containers run as (`containerUser`, the images' `node` user). */
export const spoolPosixId = '1000';

const clientActions = {
  mount: 'elasticfilesystem:ClientMount',
  write: 'elasticfilesystem:ClientWrite',
  root: 'elasticfilesystem:ClientRootAccess',
} as const;

export interface SharedSpoolProps {
  vpc: ec2.IVpc;
  /** The private subnets: one mount target in each. */
  subnets: ec2.SubnetSelection;
  /** The stack's customer-managed key (at rest). */
  key: kms.IKey;
  /** Provisioned throughput in MiB/s; null = Elastic throughput. */
  provisionedMiBps: number | null;
}

/**
 * One EFS file system for the spools of the services in `sharedSpoolServices`
 * (packages/sink/README.md, "When the task is replaced"): each service has an access point of its
 * own (root `/<service>`, entered as the containers' user), mounted at the data dir of its tasks
 * with TLS and IAM authorization; each task role may mount and write through its own access point
 * only. The file system policy refuses clients without TLS and mounts that bypass an access point,
 * and allows nobody by itself: what a task may do comes from its role's policy alone.
 */
export class SharedSpool extends Construct {
  readonly fileSystem: efs.FileSystem;
  readonly securityGroup: ec2.SecurityGroup;
  readonly accessPoints = new Map<ServiceName, efs.AccessPoint>();

  constructor(scope: Construct, id: string, props: SharedSpoolProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'netsidecar spool file system: NFS from the syslog and config-upload tasks only',
      allowAllOutbound: false, // NFS servers answer on the connection; they open none
    });
    const everyone = [new iam.AnyPrincipal()];
    const everyClientAction = [clientActions.mount, clientActions.write, clientActions.root];
    this.fileSystem = new efs.FileSystem(this, 'FileSystem', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroup: this.securityGroup,
      encrypted: true,
      kmsKey: props.key,
      // Appends in small writes, read back only on replay: General Purpose has the lower latency.
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      ...(props.provisionedMiBps === null
        ? { throughputMode: efs.ThroughputMode.ELASTIC }
        : { throughputMode: efs.ThroughputMode.PROVISIONED, provisionedThroughputPerSecond: Size.mebibytes(props.provisionedMiBps) }),
      // A segment lives seconds to minutes (deleted once CloudWatch acknowledged all of it): nothing
      // stays long enough for Infrequent Access or Archive, which would bill every replay read. So
      // no lifecyclePolicy and no transitionToArchivePolicy: everything stays in Standard.
      // No backup: a spool is transient. A restored copy holds events delivered since (duplicates)
      // and misses the ones accepted since (no recovery), and a backup vault would keep copies of
      // router events outside the log groups' retention and the archive's Object Lock.
      enableAutomaticBackups: false,
      // Retained on stack deletion: a spool holds accepted events CloudWatch has not acknowledged.
      removalPolicy: RemovalPolicy.RETAIN,
      // CDK's `false` would add a statement letting any principal write as root through a mount
      // target; the policy below admits nobody by itself (anonymous clients included).
      allowAnonymousAccess: true,
      fileSystemPolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'DenyWithoutTls',
            effect: iam.Effect.DENY,
            principals: everyone,
            actions: everyClientAction,
            conditions: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          new iam.PolicyStatement({
            sid: 'DenyWithoutAccessPoint',
            effect: iam.Effect.DENY,
            principals: everyone,
            actions: everyClientAction,
            conditions: { Null: { 'elasticfilesystem:AccessPointArn': 'true' } },
          }),
        ],
      }),
    });
    // Said in the template, not left to the API's default (off for Regional file systems today).
    (this.fileSystem.node.defaultChild as efs.CfnFileSystem).backupPolicy = { status: 'DISABLED' };
  }

  /** The access point of `service`: root `/<service>`, created 0700 for the containers' user, who every client becomes. */
  accessPoint(service: ServiceName): efs.AccessPoint {
    let accessPoint = this.accessPoints.get(service);
    if (!accessPoint) {
      accessPoint = this.fileSystem.addAccessPoint(`${service.charAt(0).toUpperCase()}${service.slice(1)}AccessPoint`, {
        path: `/${service}`,
        posixUser: { uid: spoolPosixId, gid: spoolPosixId },
        createAcl: { ownerUid: spoolPosixId, ownerGid: spoolPosixId, permissions: '0700' },
      });
      this.accessPoints.set(service, accessPoint);
    }
    return accessPoint;
  }

  /** The task volume of `service`: through its access point, TLS in transit, mounted as the task role. */
  volume(service: ServiceName): ecs.EfsVolumeConfiguration {
    return {
      fileSystemId: this.fileSystem.fileSystemId,
      transitEncryption: 'ENABLED',
      authorizationConfig: { accessPointId: this.accessPoint(service).accessPointId, iam: 'ENABLED' },
    };
  }

  /** Lets `role` mount and write through the access point of `service`, and no other way in (no root access). */
  grant(service: ServiceName, role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SpoolMount',
        actions: [clientActions.mount, clientActions.write],
        resources: [this.fileSystem.fileSystemArn],
        conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': this.accessPoint(service).accessPointArn } },
      }),
    );
  }

  /** NFS (2049/TCP) from the tasks of one service (and the matching egress rule of their group). */
  admit(service: ServiceName, taskSecurityGroup: ec2.ISecurityGroup): void {
    this.fileSystem.connections.allowDefaultPortFrom(taskSecurityGroup, `NFS from the ${service} tasks`);
  }
}
