import type { AuditEvent } from './event.js';
import { syslogMessageAsVersion1, type ServiceName } from '@netsidecar/contracts';

/**
 * An event as the CLI exports it. A `syslog/2` event (services/syslog/README.md) is stored without
 * what CloudWatch or its other fields already hold; exported, it is the `syslog/1` event it stands
 * for, byte for byte what the service writes with NETSIDECAR_SYSLOG_SCHEMA=1: `receivedAt` from `rt` (the
 * event time, `@timestamp`, when the event does not carry it), the names of facility and severity,
 * `timestampRaw`, and `raw` rebuilt from the fields. Every other event, `syslog/1` included, is
 * exported as stored. So an auditor gets the same record whichever version a range holds.
 */
export function exportedMessage(service: ServiceName, event: AuditEvent): string {
  return service === 'syslog' ? syslogMessageAsVersion1(event.message, event.timestamp) : event.message;
}
