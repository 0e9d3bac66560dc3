import type { AuditEvent } from '../event.js';
import type { ServiceName } from '@netsidecar/contracts';

/**
 * CSV columns per service: a CSV is streamed, so its header is fixed before the first row. The
 * names are the event fields (the public interface), plus `stream`. A field an older or newer
 * schema lacks is an empty cell; `json` keeps the whole event for anything not in a column.
 */
const columns: Record<ServiceName, readonly string[]> = {
  syslog: [
    'receivedAt',
    'stream',
    'sourceIp',
    'sourcePort',
    'transport',
    'facility',
    'facilityName',
    'severity',
    'severityName',
    'timestamp',
    'host',
    'app',
    'procId',
    'msgId',
    'message',
  ],
  ntp: [
    'time',
    'stream',
    'type',
    'server',
    'result',
    'offsetMs',
    'delayMs',
    'stratum',
    'selected',
    'synchronised',
    'servedOffsetMs',
    'reason',
    'clientIp',
    'requests',
    'timeReplies',
    'clientOffsetMs',
    'clientOffsetBoundMs',
    'clientOffsetMethod',
    'authenticated',
    'message',
  ],
  config: [
    'receivedAt',
    'stream',
    'schema',
    'device',
    'vendor',
    'version',
    'previousVersion',
    'who',
    'when',
    'source.principal',
    'source.ip',
    'sha256',
    'previousSha256',
    'changed',
    'diffAdded',
    'diffRemoved',
    'driftStatus',
    'redactions',
    'detached',
  ],
  scan: [
    'time',
    'stream',
    'type',
    'imageRef',
    'owner',
    'scanId',
    'result',
    'vulnerabilityId',
    'severity',
    'pkgName',
    'installedVersion',
    'fixedVersion',
    'reason',
    'reopened',
    'counts',
    'code',
    'message',
  ],
};

export const csvColumns = (service: ServiceName): readonly string[] => columns[service];

export function csvCells(service: ServiceName, event: AuditEvent, parsed: Record<string, unknown> | undefined): unknown[] {
  return columns[service].map((name) => {
    if (name === 'stream') return event.stream;
    if (name === 'json') return event.message;
    if (name === 'time' && (parsed === undefined || parsed['time'] === undefined)) return new Date(event.timestamp).toISOString();
    if (parsed === undefined) return name === 'message' ? event.message : undefined;
    return field(parsed, name);
  });
}

/** `source.principal` reads a nested field, as Logs Insights names it. */
export function field(parsed: Record<string, unknown>, name: string): unknown {
  const dot = name.indexOf('.');
  if (dot < 0) return parsed[name];
  const inner = parsed[name.slice(0, dot)];
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>)[name.slice(dot + 1)] : undefined;
}
