import type { Registry } from 'prom-client';
import { commonVariables, loadConfig, type ConfigOf, type Schema } from '@netsidecar/config';
import { logGroupOf } from '@netsidecar/contracts';
import { createLogger, createRegistry, type Logger } from '@netsidecar/telemetry';
import type { Sink } from '@netsidecar/sink';
import { createSink } from './create-sink.js';
import { checkHeapLimit } from './heap-check.js';

export type CommonConfig = ConfigOf<typeof commonVariables>;

/** What a long-lived service (runService) and a one-shot job (runJob) both start from. */
export interface Runtime<C> {
  config: CommonConfig & C;
  logger: Logger;
  registry: Registry;
  sink: Sink;
  /** `<NETSIDECAR_LOG_GROUP_PREFIX>/<name>`, e.g. `/netsidecar/syslog`. */
  logGroup: string;
}

export interface RuntimeDefinition<S extends Schema> {
  name: string;
  schema: S;
  ownPrefix: string;
  /** process.env unless given (a command run in-process by its tests). */
  env?: NodeJS.ProcessEnv;
  /** Where log lines go (stderr unless given) and what every line adds to `service`. */
  log?: { write?: (line: string) => void; bindings?: Record<string, unknown> };
}

/** Config (throws ConfigError), logger, metrics registry, the heap check and the sink. */
export async function openRuntime<S extends Schema>(definition: RuntimeDefinition<S>): Promise<Runtime<ConfigOf<S>>> {
  const config = loadConfig(
    { ...commonVariables, ...definition.schema },
    { ownPrefix: definition.ownPrefix, ...(definition.env ? { env: definition.env } : {}) },
  ) as CommonConfig & ConfigOf<S>;
  const logger = createLogger({
    level: config.NETSIDECAR_LOG_LEVEL,
    bindings: { service: definition.name, ...definition.log?.bindings },
    ...(definition.log?.write ? { write: definition.log.write } : {}),
  });
  const registry = createRegistry(definition.name);
  checkHeapLimit(config.NETSIDECAR_SINK_MEMORY_LIMIT, logger);
  const sink = await createSink({
    kind: config.NETSIDECAR_SINK,
    service: definition.name,
    dataDir: config.NETSIDECAR_DATA_DIR,
    flushIntervalMs: config.NETSIDECAR_SINK_FLUSH_INTERVAL,
    memoryLimitBytes: config.NETSIDECAR_SINK_MEMORY_LIMIT,
    spoolLimitBytes: config.NETSIDECAR_SPOOL_LIMIT,
    spoolShared: config.NETSIDECAR_SPOOL_SHARED,
    registry,
    logger,
  });
  return { config, logger, registry, sink, logGroup: logGroupOf(config.NETSIDECAR_LOG_GROUP_PREFIX, definition.name) };
}
