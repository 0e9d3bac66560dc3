/**
 * The four services as the stack sees them: their runtime name (log group suffix and the `service`
 * label of their metrics, see packages/runtime), their workspace folder (image and Dockerfile), and
 * the ports of docs/ARCHITECTURE.md's port table. The one place these numbers live in deploy/.
 */
export const serviceNames = ['syslog', 'ntp', 'config', 'scan'] as const;
export type ServiceName = (typeof serviceNames)[number];

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

export const serviceSpecs: Record<ServiceName, ServiceSpec> = {
  syslog: {
    name: 'syslog',
    workspace: 'syslog',
    healthPort: 9101,
    healthPortVariable: 'NETSIDECAR_SYSLOG_HEALTH_PORT',
    listeners: [
      { id: 'SyslogUdp', listenerProtocol: 'UDP', listenerPort: 514, containerProtocol: 'udp', containerPort: 5514 },
      // ECS cannot map one container port for TCP and UDP, nor an NLB listen on one port with both: 601.
      { id: 'SyslogTcp', listenerProtocol: 'TCP', listenerPort: 601, containerProtocol: 'tcp', containerPort: 5601 },
      // RFC 5425 passthrough: the service terminates TLS itself (its certificate, mutual auth possible).
      { id: 'SyslogTls', listenerProtocol: 'TCP', listenerPort: 6514, containerProtocol: 'tcp', containerPort: 6514, needsSyslogTls: true },
    ],
  },
  ntp: {
    name: 'ntp',
    workspace: 'ntp-proxy',
    healthPort: 9102,
    healthPortVariable: 'NETSIDECAR_NTP_HEALTH_PORT',
    listeners: [{ id: 'Ntp', listenerProtocol: 'UDP', listenerPort: 123, containerProtocol: 'udp', containerPort: 10123 }],
  },
  config: {
    name: 'config',
    workspace: 'config-upload',
    healthPort: 9103,
    healthPortVariable: 'NETSIDECAR_UPLOAD_HEALTH_PORT',
    listeners: [
      { id: 'UploadHttp', listenerProtocol: 'TCP', listenerPort: 80, containerProtocol: 'tcp', containerPort: 8080 },
      { id: 'UploadTls', listenerProtocol: 'TLS', listenerPort: 443, containerProtocol: 'tcp', containerPort: 8080, needsCertificate: true },
    ],
  },
  scan: {
    name: 'scan',
    workspace: 'scan-scheduler',
    healthPort: 9104,
    healthPortVariable: 'NETSIDECAR_SCAN_HEALTH_PORT',
    listeners: [], // nothing comes in: it looks at the cluster and calls out
  },
};
