import { DEFAULT_LOG_GROUP_PREFIX } from '@netsidecar/contracts';
import { boolean, byteSize, duration, oneOf, text } from './parsers.js';
import type { Variable } from './load-config.js';

export const sinkKinds = ['file', 'cloudwatch', 'stdout'] as const;
export type SinkKind = (typeof sinkKinds)[number];

/** Variables every service reads (docs/ARCHITECTURE.md, "Configuration"). */
export const commonVariables = {
  NETSIDECAR_SINK: {
    parse: oneOf(sinkKinds),
    default: 'file' as SinkKind,
    description: 'Where events go: file (local default), cloudwatch (production) or stdout (awslogs driver).',
  },
  NETSIDECAR_DATA_DIR: {
    parse: text,
    default: './var',
    description: 'File sink output, the CloudWatch spool and local state.',
  },
  NETSIDECAR_LOG_GROUP_PREFIX: {
    parse: (raw: string) => {
      const value = text(raw);
      if (!/^\/[\w\-./#]*[^/]$/.test(value)) throw new Error("expected a log group path like '/netsidecar' (leading slash, no trailing slash)");
      return value;
    },
    default: DEFAULT_LOG_GROUP_PREFIX,
    description: 'Log groups are <prefix>/syslog, /ntp, /config and /scan.',
  },
  NETSIDECAR_SHUTDOWN_DEADLINE: {
    parse: duration(0, 120_000),
    default: 25_000, // 25 s: inside ECS's default 30 s stopTimeout; deploy raises both (Fargate allows 120 s)
    description: 'On SIGTERM, stop accepting and drain for at most this long (e.g. 25s; Fargate allows up to 120s).',
  },
  NETSIDECAR_SINK_FLUSH_INTERVAL: {
    parse: duration(10, 60_000),
    default: 1_000, // 1 s
    description: 'How long an event may wait in a batch before it is sent or written (the file sink also writes once no event has come for a twentieth of it).',
  },
  NETSIDECAR_SINK_MEMORY_LIMIT: {
    parse: byteSize(1024 * 1024),
    default: 64 * 1024 * 1024, // 64 MiB
    description: 'Events held in memory before the sink spools to disk (cloudwatch) or pushes back (TCP senders).',
  },
  NETSIDECAR_SPOOL_LIMIT: {
    parse: byteSize(1024 * 1024),
    default: 2 * 1024 ** 3, // 2 GiB: a 30-minute outage at 1,000 events/s of ~1 KiB each, with room to spare
    description: 'Disk spool size cap under NETSIDECAR_DATA_DIR/spool for events CloudWatch has not acknowledged.',
  },
  NETSIDECAR_SPOOL_SHARED: {
    parse: boolean,
    default: false,
    description:
      'The CloudWatch spool is on a volume every task of the service mounts (EFS): one directory per task (the ECS task ID), and running tasks adopt the spools of tasks that are gone.',
  },
  NETSIDECAR_EMF_INTERVAL: {
    parse: duration(100, 3_600_000),
    default: 60_000, // 60 s: CloudWatch's standard metric resolution
    description: 'With the CloudWatch sink, how often the metrics are printed on stdout as Embedded Metric Format.',
  },
  NETSIDECAR_LOG_LEVEL: {
    parse: oneOf(['debug', 'info', 'warn', 'error'] as const),
    default: 'info' as 'debug' | 'info' | 'warn' | 'error',
    description: "The services' own operational log level (stderr).",
  },
} satisfies Record<string, Variable<unknown>>;
