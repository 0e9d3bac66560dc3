import { toLogStreamName } from '@netsidecar/sink';
import { NTP_UPSTREAM_STREAM, type ServiceName } from '@netsidecar/contracts';

/**
 * The archive keeps each event's JSON and nothing else (Firehose's message extraction drops the
 * CloudWatch Logs envelope with its `logStream`), so the stream is recomputed from the event with
 * the rule each service uses to name it (the tests check these against the services' own code):
 * - syslog: the device's host name, else the address it sent from (services/syslog EventEncoder);
 * - ntp: `upstream` for the service's own samples and status changes, else the router's address;
 * - config: the device;
 * - scan: scan/1 events do not say which task wrote them (`planner` or `worker`, some types come
 *   from both), so the archive files them all under one stream, `scan`.
 * `undefined` when the event lacks the field its rule reads.
 */
export const ARCHIVE_SCAN_STREAM = 'scan';

const ntpUpstreamTypes = new Set(['upstream_sample', 'status']);

export function streamOf(service: ServiceName, event: Record<string, unknown>): string | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  switch (service) {
    case 'syslog': {
      const device = text(event['host']) ?? text(event['sourceIp']);
      return device === undefined ? undefined : toLogStreamName(device);
    }
    case 'ntp': {
      if (typeof event['type'] === 'string' && ntpUpstreamTypes.has(event['type'])) return NTP_UPSTREAM_STREAM;
      const client = text(event['clientIp']);
      return client === undefined ? undefined : toLogStreamName(client);
    }
    case 'config': {
      const device = text(event['device']);
      return device === undefined ? undefined : toLogStreamName(device);
    }
    case 'scan':
      return ARCHIVE_SCAN_STREAM;
  }
}
