import type { ServiceName } from './services.js';

/**
 * The archive as Athena sees it: one Glue table, `netsidecar_archive.events`, one row per archived
 * line. Its only column is `line` (the event JSON exactly as the service wrote it); the partitions
 * are `log_group` (`/netsidecar/syslog` ...) and `day` (`yyyy/MM/dd`, the day Firehose received the
 * events), both projected, so there is no crawler and no partition to add. Queries read fields
 * with `json_extract_scalar(line, '$.host')`: four schemas share the table (syslog `severity` is a
 * number, scan `severity` a word) and a new schema version needs no table change.
 *
 * The named queries answer the questions of the saved Logs Insights queries (queries.ts) on the
 * archive, beyond the CloudWatch retention. Their `?` are Athena execution parameters, in order:
 * the first and last `day` to read (`2026/03/01`), then any other. Late events (a spooled outage)
 * reach the archive on a later day than their own time: read a day or two past the range.
 */
export const archiveDatabase = 'netsidecar_archive';
export const archiveTable = 'events';
export const archiveWorkGroup = 'netsidecar-archive';

/** Partition projection's date range: ten years back from today (UTC), today included. */
export const archiveDayRange = 'NOW-10YEARS,NOW';

export interface ArchiveQuery {
  /** Athena NamedQuery name (`netsidecar/...`, as the Logs Insights folders). */
  name: string;
  description: string;
  /** The log group it reads. */
  service: ServiceName;
  query: string;
}

const events = `${archiveDatabase}.${archiveTable}`;
const field = (path: string) => `json_extract_scalar(line, '$.${path}')`;
const device = `coalesce(${field('host')}, ${field('sourceIp')})`;
const partitions = (service: ServiceName) => `log_group = '/netsidecar/${service}' AND day BETWEEN ? AND ?`;
/** A syslog event's receive time as ISO 8601 text: `receivedAt` in syslog/1, `rt` (epoch ms) in syslog/2. */
const syslogReceivedAt = `coalesce(${field('receivedAt')}, to_iso8601(from_unixtime(CAST(${field('rt')} AS bigint) / 1000.0)))`;
/** Both syslog event versions (`syslog/1` names its schema; `syslog/2` carries `"v":2`). */
const syslogEvent = `(${field('schema')} = 'syslog/1' OR ${field('v')} = '2')`;

export function archiveQueries(): ArchiveQuery[] {
  return [
    {
      name: 'netsidecar/syslog/one-device',
      description: 'Every syslog message of one device. Parameters: first day, last day (yyyy/MM/dd), device (host name or address).',
      service: 'syslog',
      query: [
        `SELECT ${syslogReceivedAt} AS received_at, ${field('severity')} AS severity, ${field('msgId')} AS msg_id, ${field('message')} AS message`,
        `FROM ${events}`,
        `WHERE ${partitions('syslog')}`,
        `  AND ${syslogEvent} AND ${device} = ?`,
        'ORDER BY received_at',
      ].join('\n'),
    },
    {
      name: 'netsidecar/syslog/devices-by-last-message',
      description: 'Devices by their newest message, oldest first: the silent ones are on top. Parameters: first day, last day.',
      service: 'syslog',
      query: [
        `SELECT ${device} AS device, max(${syslogReceivedAt}) AS last_seen, count(*) AS messages`,
        `FROM ${events}`,
        `WHERE ${partitions('syslog')} AND ${syslogEvent}`,
        'GROUP BY 1',
        'ORDER BY last_seen ASC',
      ].join('\n'),
    },
    {
      name: 'netsidecar/config/drifting-from-git',
      description: 'Devices whose newest upload in the range differs from the intended configuration in Git. Parameters: first day, last day.',
      service: 'config',
      query: [
        'SELECT device, status, version, last_upload FROM (',
        `  SELECT ${field('device')} AS device, max_by(${field('driftStatus')}, ${field('receivedAt')}) AS status,`,
        `    max_by(${field('version')}, ${field('receivedAt')}) AS version, max(${field('receivedAt')}) AS last_upload`,
        `  FROM ${events}`,
        `  WHERE ${partitions('config')} AND ${field('schema')} = 'config/1'`,
        '  GROUP BY 1)',
        "WHERE status = 'drifted'",
        'ORDER BY device',
      ].join('\n'),
    },
    {
      name: 'netsidecar/config/changes-with-diff',
      description: 'Every configuration change: who, when, who uploaded it, the diff. Parameters: first day, last day.',
      service: 'config',
      query: [
        `SELECT ${field('receivedAt')} AS received_at, ${field('device')} AS device, ${field('version')} AS version, ${field('who')} AS who, ${field('when')} AS changed_at,`,
        `  ${field('source.principal')} AS uploaded_by, ${field('diffAdded')} AS added, ${field('diffRemoved')} AS removed, ${field('diff')} AS diff`,
        `FROM ${events}`,
        `WHERE ${partitions('config')} AND ${field('schema')} = 'config/1' AND ${field('changed')} = 'true'`,
        'ORDER BY device, received_at DESC',
      ].join('\n'),
    },
    {
      name: 'netsidecar/ntp/router-clocks-off',
      description: 'Routers whose clock was off by more than the threshold (client_clock_warning), worst first. Parameters: first day, last day.',
      service: 'ntp',
      query: [
        `SELECT ${field('clientIp')} AS client_ip, count(*) AS warnings, max(abs(CAST(${field('clientOffsetMs')} AS double))) AS worst_ms`,
        `FROM ${events}`,
        `WHERE ${partitions('ntp')} AND ${field('schema')} = 'ntp/1' AND ${field('type')} = 'client_clock_warning'`,
        'GROUP BY 1',
        'ORDER BY worst_ms DESC',
      ].join('\n'),
    },
  ];
}
