import { ArnFormat, Duration, Size, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { stopTimeoutMarginSeconds, type DeployConfig, type ServiceSizing } from './config.js';
import { publicFileWriterScript, publicFilesMountPath, publicFilesVariable } from './public-files.js';
import { secretFilePath, secretVariablePrefix, secretWriterScript, secretsMountPath } from './secret-files.js';
import type { SharedSpool } from './shared-spool.js';
import type { ServiceSpec } from './services.js';
import { logGroupPrefix } from './logging.js';

/** Where the images keep NETSIDECAR_DATA_DIR (the Dockerfiles declare it a VOLUME, owned by `node`). */
export const dataDir = '/var/lib/netsidecar';
/** The `node` user of the official Node images: the Dockerfiles' USER. */
export const containerUser = '1000:1000';

export interface TaskDefinitionProps {
  spec: ServiceSpec;
  config: Readonly<DeployConfig>;
  sizing: ServiceSizing;
  image: ecs.ContainerImage;
  /** `/netsidecar/<service>`: the only log group the task role may write to. */
  eventLogGroupName: string;
  /** Container stdout/stderr: the services' own log lines and the EMF metric documents. */
  opsLogGroup: logs.ILogGroup;
  environment: Record<string, string>;
  /** Injected as variables. */
  secrets?: Record<string, ecs.Secret>;
  /** Written to files by the init container: key = file variable suffix (see secret-files.ts). */
  fileSecrets?: Record<string, ecs.Secret>;
  /** Public files (file name → content) written by the public-files init container to `publicFilesMountPath`. */
  publicFiles?: Record<string, string>;
  /** Container command (arguments to the image's entry point); default: the image's CMD. */
  command?: string[];
  family: string;
  /** Listener ports the container exposes (none for the scan planner). */
  withPorts: boolean;
  /**
   * The data dir on the shared spool file system (this service's access point) instead of task
   * storage: NETSIDECAR_SPOOL_SHARED, and the task role may mount it. The data dir of the services
   * that use it holds only the spool (`<dataDir>/spool/<service>/tasks/<task ID>/`).
   */
  sharedSpool?: SharedSpool;
}

/**
 * A Fargate task definition as every netsidecar service needs it: read-only root filesystem, the
 * image's non-root user, all Linux capabilities dropped, a writable volume for the spool only, the
 * sink set to CloudWatch, a stopTimeout just above the drain deadline, and a task role that may only
 * create streams and put events in the service's own log group.
 */
export class NetsidecarTaskDefinition extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;

  constructor(scope: Construct, id: string, props: TaskDefinitionProps) {
    super(scope, id);
    const { spec, config, sizing } = props;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: props.family,
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const { sharedSpool } = props;
    if (sharedSpool) {
      // Mounted at the data dir itself, in place of task storage: no mount nested in another.
      this.taskDefinition.addVolume({ name: 'data', efsVolumeConfiguration: sharedSpool.volume(spec.name) });
      sharedSpool.grant(spec.name, this.taskDefinition.taskRole);
    } else {
      this.taskDefinition.addVolume({ name: 'data' }); // Fargate ephemeral storage (20 GiB): spool and state
    }

    const logging = ecs.LogDrivers.awsLogs({
      logGroup: props.opsLogGroup,
      streamPrefix: spec.name,
      // The services' own lines must never stall a receive path; events go through the sink instead.
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(25),
    });

    const fileSecrets = props.fileSecrets ?? {};
    const hasFileSecrets = Object.keys(fileSecrets).length > 0;
    this.container = this.taskDefinition.addContainer('Service', {
      containerName: spec.name,
      image: props.image,
      essential: true,
      readonlyRootFilesystem: true,
      user: containerUser,
      ...(props.command ? { command: props.command } : {}),
      stopTimeout: Duration.seconds(config.shutdownDeadlineSeconds + stopTimeoutMarginSeconds),
      environment: {
        NETSIDECAR_SINK: 'cloudwatch',
        NETSIDECAR_DATA_DIR: dataDir,
        NETSIDECAR_LOG_GROUP_PREFIX: logGroupPrefix,
        NETSIDECAR_SHUTDOWN_DEADLINE: `${config.shutdownDeadlineSeconds}s`,
        ...(sharedSpool ? { NETSIDECAR_SPOOL_SHARED: 'true' } : {}),
        AWS_REGION: Stack.of(this).region,
        ...Object.fromEntries(Object.keys(fileSecrets).map((suffix) => [fileVariable(suffix), secretFilePath(suffix)])),
        ...props.environment,
      },
      ...(props.secrets ? { secrets: props.secrets } : {}),
      logging,
      linuxParameters: this.linuxParameters(),
      // Many routers keep a TCP connection each (NETSIDECAR_SYSLOG_MAX_CONNECTIONS is 10,000).
      ulimits: [{ name: ecs.UlimitName.NOFILE, softLimit: 65536, hardLimit: 65536 }],
    });
    this.container.addMountPoints({ sourceVolume: 'data', containerPath: dataDir, readOnly: false });
    if (props.withPorts) {
      for (const listener of spec.listeners) {
        if (this.container.portMappings.some((p) => p.containerPort === listener.containerPort && p.protocol === toEcsProtocol(listener.containerProtocol)))
          continue;
        this.container.addPortMappings({ containerPort: listener.containerPort, protocol: toEcsProtocol(listener.containerProtocol) });
      }
      this.container.addPortMappings({ containerPort: spec.healthPort, protocol: ecs.Protocol.TCP });
    }

    if (hasFileSecrets) {
      this.taskDefinition.addVolume({ name: 'secrets' });
      const init = this.taskDefinition.addContainer('SecretFiles', {
        containerName: 'secret-files',
        image: props.image,
        essential: false,
        readonlyRootFilesystem: true,
        user: containerUser,
        entryPoint: ['node'],
        command: ['-e', secretWriterScript],
        secrets: Object.fromEntries(Object.entries(fileSecrets).map(([suffix, secret]) => [`${secretVariablePrefix}${suffix}`, secret])),
        logging,
        linuxParameters: this.linuxParameters('SecretFilesLinux'),
      });
      init.addMountPoints({ sourceVolume: 'secrets', containerPath: secretsMountPath, readOnly: false });
      this.container.addMountPoints({ sourceVolume: 'secrets', containerPath: secretsMountPath, readOnly: true });
      this.container.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
    }

    if (props.publicFiles && Object.keys(props.publicFiles).length > 0) {
      this.taskDefinition.addVolume({ name: 'files' });
      const init = this.taskDefinition.addContainer('PublicFiles', {
        containerName: 'public-files',
        image: props.image,
        essential: false,
        readonlyRootFilesystem: true,
        user: containerUser,
        entryPoint: ['node'],
        command: ['-e', publicFileWriterScript],
        environment: { [publicFilesVariable]: JSON.stringify(props.publicFiles) },
        logging,
        linuxParameters: this.linuxParameters('PublicFilesLinux'),
      });
      init.addMountPoints({ sourceVolume: 'files', containerPath: publicFilesMountPath, readOnly: false });
      this.container.addMountPoints({ sourceVolume: 'files', containerPath: publicFilesMountPath, readOnly: true });
      this.container.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
    }

    // Least privilege: streams and events of this service's own group, nothing else.
    const groupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: props.eventLogGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnEventLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [groupArn, `${groupArn}:log-stream:*`],
      }),
    );
  }

  private linuxParameters(id = 'Linux'): ecs.LinuxParameters {
    const linux = new ecs.LinuxParameters(this, id, { initProcessEnabled: false });
    linux.dropCapabilities(ecs.Capability.ALL); // high ports only: no capability is needed
    return linux;
  }
}

/** `NTP_KEYS` → `NETSIDECAR_NTP_KEYS_FILE`: file secrets are named after the variable that points at them. */
export function fileVariable(suffix: string): string {
  return `NETSIDECAR_${suffix}_FILE`;
}

export function toEcsProtocol(protocol: 'udp' | 'tcp'): ecs.Protocol {
  return protocol === 'udp' ? ecs.Protocol.UDP : ecs.Protocol.TCP;
}
