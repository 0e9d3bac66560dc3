import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { DeployConfig } from './config.js';
import { toEcsProtocol } from './task-definition.js';
import type { ListenerSpec, ServiceSpec } from './services.js';

export interface RouterLoadBalancerProps {
  vpc: ec2.IVpc;
  config: Readonly<DeployConfig>;
}

/** The listeners the configuration enables: the port table, minus TLS listeners without a certificate. */
export function enabledListeners(spec: ServiceSpec, config: Readonly<DeployConfig>): ListenerSpec[] {
  return spec.listeners.filter((l) => (!l.needsCertificate || config.certificateArn !== null) && (!l.needsSyslogTls || config.secrets.syslogTls !== null));
}

/**
 * The one internal NLB routers talk to: cross-zone, in every configured subnet (fixed addresses when
 * given, so router configurations never change), with a security group admitting only the
 * on-premises CIDRs on the listener ports.
 */
export class RouterLoadBalancer extends Construct {
  readonly nlb: elbv2.NetworkLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly targetGroups = new Map<string, elbv2.NetworkTargetGroup>();
  private readonly config: Readonly<DeployConfig>;
  private readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: RouterLoadBalancerProps) {
    super(scope, id);
    this.config = props.config;
    this.vpc = props.vpc;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'netsidecar NLB: routers (on-premises CIDRs) only',
      allowAllOutbound: false,
    });
    const subnets = props.config.subnets;
    const fixed = subnets.every((s) => s.nlbAddress !== null);
    this.nlb = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      vpc: props.vpc,
      internetFacing: false,
      crossZoneEnabled: true,
      deletionProtection: true,
      securityGroups: [this.securityGroup],
      ...(fixed
        ? {
            subnetMappings: subnets.map((s) => ({
              subnet: props.vpc.privateSubnets.find((imported) => imported.subnetId === s.id)!,
              privateIpv4Address: s.nlbAddress!,
            })),
          }
        : { vpcSubnets: { subnets: props.vpc.privateSubnets } }),
    });
  }

  /**
   * Listener → target group → the service's containers, for each enabled listener of the spec.
   * Target type `ip` (Fargate); health over HTTP on the service's health port, because a UDP target
   * group cannot be checked over UDP; client addresses preserved (UDP always; TCP turned on) so the
   * services see the router, not the NLB.
   */
  attach(service: ecs.FargateService, spec: ServiceSpec, containerName: string, taskSecurityGroup: ec2.ISecurityGroup): void {
    for (const listener of enabledListeners(spec, this.config)) {
      const udp = listener.containerProtocol === 'udp';
      const targetGroup = new elbv2.NetworkTargetGroup(this, `${listener.id}Targets`, {
        vpc: this.vpc,
        targetType: elbv2.TargetType.IP,
        port: listener.containerPort,
        protocol: udp ? elbv2.Protocol.UDP : elbv2.Protocol.TCP,
        healthCheck: {
          protocol: elbv2.Protocol.HTTP,
          port: String(spec.healthPort),
          path: '/healthz',
          interval: Duration.seconds(10),
          timeout: Duration.seconds(5),
          healthyThresholdCount: 2,
          unhealthyThresholdCount: 2,
          healthyHttpCodes: '200',
        },
        // ECS waits this long between deregistering a task and sending it SIGTERM.
        deregistrationDelay: Duration.seconds(30),
        // UDP "flows" (a router's 5-tuple) would stick to a draining task until idle: end them, so the
        // router's next datagram goes to a live task. TCP clients reconnect by themselves.
        ...(udp ? { connectionTermination: true } : { preserveClientIp: true }),
      });
      targetGroup.addTarget(
        service.loadBalancerTarget({ containerName, containerPort: listener.containerPort, protocol: toEcsProtocol(listener.containerProtocol) }),
      );
      const protocol = listener.listenerProtocol === 'UDP' ? elbv2.Protocol.UDP : listener.listenerProtocol === 'TLS' ? elbv2.Protocol.TLS : elbv2.Protocol.TCP;
      this.nlb.addListener(listener.id, {
        port: listener.listenerPort,
        protocol,
        defaultTargetGroups: [targetGroup],
        ...(protocol === elbv2.Protocol.TLS
          ? { certificates: [elbv2.ListenerCertificate.fromArn(this.config.certificateArn!)], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS }
          : {}),
      });
      this.targetGroups.set(listener.id, targetGroup);

      const port = udp ? ec2.Port.udp(listener.listenerPort) : ec2.Port.tcp(listener.listenerPort);
      for (const cidr of this.config.onPremisesCidrs) {
        this.securityGroup.addIngressRule(peer(cidr), port, `${listener.id} from on-premises ${cidr}`);
      }
      const containerPort = udp ? ec2.Port.udp(listener.containerPort) : ec2.Port.tcp(listener.containerPort);
      // The NLB's own traffic (and TCP with preservation off) comes from its security group;
      // preserved client addresses come from the on-premises CIDRs.
      this.securityGroup.addEgressRule(taskSecurityGroup, containerPort, `${listener.id} to ${spec.name} tasks`);
      taskSecurityGroup.addIngressRule(this.securityGroup, containerPort, `${listener.id} from the NLB`);
      for (const cidr of this.config.onPremisesCidrs) {
        taskSecurityGroup.addIngressRule(peer(cidr), containerPort, `${listener.id} from on-premises ${cidr} (client IP preserved)`);
      }
    }
    if (enabledListeners(spec, this.config).length > 0) {
      this.securityGroup.addEgressRule(taskSecurityGroup, ec2.Port.tcp(spec.healthPort), `health checks of ${spec.name}`);
      taskSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(spec.healthPort), 'health checks from the NLB');
    }
  }
}

export function peer(cidr: string): ec2.IPeer {
  return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr);
}
