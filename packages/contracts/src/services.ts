/**
 * The service table: the one place that says which services exist, where each lives, which
 * variables it owns, on which container ports it listens and where its events go
 * (docs/ARCHITECTURE.md, "Ports" and "The event contract"). The services' main() and port defaults,
 * the config loader, the audit CLI, the CDK app and `npm start` read it; none writes its own copy.
 */

/** A service's runtime name: its log group `<prefix>/<name>` (`logGroupOf`) and the `service` label of its metrics. */
export type ServiceName = 'syslog' | 'ntp' | 'config' | 'scan';

/** Container ports (local defaults; the NLB maps the standard ports in deploy/). Each service has those it has. */
export interface ServicePorts {
  udp?: number;
  tcp?: number;
  /** Syslog over TLS (RFC 5425), only with a certificate. */
  tls?: number;
  http?: number;
  /** `GET /healthz` and `GET /metrics`. */
  health: number;
}

export interface ServiceEntry {
  name: ServiceName;
  /** Its workspace folder under `services/` (image, Dockerfile, `dist/main.js`). */
  folder: string;
  /** The `NETSIDECAR_*` variables it owns: unknown names under it stop it; other services leave them alone. */
  envPrefix: string;
  ports: ServicePorts;
}

/** `NETSIDECAR_LOG_GROUP_PREFIX` when unset, and what the CDK app deploys. */
export const DEFAULT_LOG_GROUP_PREFIX = '/netsidecar';

export const serviceTable = {
  syslog: { name: 'syslog', folder: 'syslog', envPrefix: 'NETSIDECAR_SYSLOG_', ports: { udp: 5514, tcp: 5601, tls: 6514, health: 9101 } },
  ntp: { name: 'ntp', folder: 'ntp-proxy', envPrefix: 'NETSIDECAR_NTP_', ports: { udp: 10123, health: 9102 } },
  config: { name: 'config', folder: 'config-upload', envPrefix: 'NETSIDECAR_UPLOAD_', ports: { http: 8080, health: 9103 } },
  // The worker's health port; the planning run is a one-shot job and opens none.
  scan: { name: 'scan', folder: 'scan-scheduler', envPrefix: 'NETSIDECAR_SCAN_', ports: { health: 9104 } },
} satisfies Record<ServiceName, ServiceEntry>;

/** The ntp/1 stream of everything about the time source; ntp-proxy's other streams are client addresses. */
export const NTP_UPSTREAM_STREAM = 'upstream';

/** The four services in the order every listing uses. */
export const serviceNames: readonly ServiceName[] = ['syslog', 'ntp', 'config', 'scan'];

export const isServiceName = (value: string): value is ServiceName => (serviceNames as readonly string[]).includes(value);

/**
 * The audit CLI (cli/audit): not a service, but it owns variables and writes one log group, the
 * digests of evidence bundles (`audit/1`, stream `evidence`).
 */
export const auditCli = { name: 'audit', envPrefix: 'NETSIDECAR_AUDIT_', evidenceStream: 'evidence' } as const;

/** Every prefix some part of netsidecar owns: a service tolerates the others' variables (one shell, one env file). */
export const envPrefixes: readonly string[] = [...serviceNames.map((name) => serviceTable[name].envPrefix), auditCli.envPrefix];

/**
 * The one rule for log groups: `<NETSIDECAR_LOG_GROUP_PREFIX>/<name>`, `/netsidecar/syslog` for a
 * service, `/netsidecar/audit` for the audit CLI's records (and the runtime's name for any other).
 */
export const logGroupOf = (prefix: string, name: ServiceName | typeof auditCli.name | (string & {})): string => `${prefix}/${name}`;
