import { serviceTable, type ServiceName } from '@netsidecar/contracts';

/**
 * The four services as the stack sees them: the service table of @netsidecar/contracts (runtime
 * name, workspace folder, variable prefix, container ports) and what only the stack knows, the NLB
 * listeners in front of the container ports (docs/ARCHITECTURE.md, "Ports").
 */
export { serviceNames, type ServiceName } from '@netsidecar/contracts';

export type Protocol = 'udp' | 'tcp';

/** One NLB listener and the container port it forwards to (docs/ARCHITECTURE.md, "Ports"). */
export interface ListenerSpec {
  /** Construct id and target group name part. */
  id: string;
  /** `TLS` terminates at the NLB with the ACM certificate; the target is then plain TCP. */
  listenerProtocol: 'UDP' | 'TCP' | 'TLS';
  listenerPort: number;
  containerProtocol: Protocol;
  containerPort: number;
  /** Only when a certificate is configured (ACM). */
  needsCertificate?: boolean;
  /** Only when the syslog service has its own TLS certificate (passthrough to the container). */
  needsSyslogTls?: boolean;
}

export interface ServiceSpec {
  name: ServiceName;
  /** The npm workspace folder under services/. */
  workspace: string;
  /** `GET /healthz` and `GET /metrics`: what the NLB health checks ask. */
  healthPort: number;
  healthPortVariable: string;
  listeners: ListenerSpec[];
}

const { syslog, ntp, config, scan } = serviceTable;

/** The table's runtime name, folder and health port, as the stack names them. */
const base = (service: (typeof serviceTable)[ServiceName]) => ({
  name: service.name,
  workspace: service.folder,
  healthPort: service.ports.health,
  healthPortVariable: `${service.envPrefix}HEALTH_PORT`,
});

export const serviceSpecs: Record<ServiceName, ServiceSpec> = {
  syslog: {
    ...base(syslog),
    listeners: [
      { id: 'SyslogUdp', listenerProtocol: 'UDP', listenerPort: 514, containerProtocol: 'udp', containerPort: syslog.ports.udp },
      // ECS cannot map one container port for TCP and UDP, nor an NLB listen on one port with both: 601.
      { id: 'SyslogTcp', listenerProtocol: 'TCP', listenerPort: 601, containerProtocol: 'tcp', containerPort: syslog.ports.tcp },
      // RFC 5425 passthrough: the service terminates TLS itself (its certificate, mutual auth possible).
      { id: 'SyslogTls', listenerProtocol: 'TCP', listenerPort: 6514, containerProtocol: 'tcp', containerPort: syslog.ports.tls, needsSyslogTls: true },
    ],
  },
  ntp: {
    ...base(ntp),
    listeners: [{ id: 'Ntp', listenerProtocol: 'UDP', listenerPort: 123, containerProtocol: 'udp', containerPort: ntp.ports.udp }],
  },
  config: {
    ...base(config),
    listeners: [
      { id: 'UploadHttp', listenerProtocol: 'TCP', listenerPort: 80, containerProtocol: 'tcp', containerPort: config.ports.http },
      { id: 'UploadTls', listenerProtocol: 'TLS', listenerPort: 443, containerProtocol: 'tcp', containerPort: config.ports.http, needsCertificate: true },
    ],
  },
  scan: {
    ...base(scan),
    listeners: [], // nothing comes in: it looks at the cluster and calls out
  },
};
