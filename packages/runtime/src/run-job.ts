import { ConfigError, type ConfigOf, type Schema } from '@netsidecar/config';
import { EmfPublisher } from '@netsidecar/telemetry';
import { openRuntime, type Runtime } from './open-runtime.js';

export interface JobDefinition<S extends Schema> {
  /** The log group suffix and the metrics `service` label, as for a service. */
  name: string;
  schema: S;
  ownPrefix: string;
  /** The work; it resolves when done and throws when it could not run. */
  run: (runtime: Runtime<ConfigOf<S>>) => Promise<void>;
}

/**
 * The main() of a one-shot command (the scan planner, which EventBridge Scheduler starts as an ECS
 * RunTask): the runtime's config, logger, metrics and sink, the work, then the sink drained and the
 * metrics published once as EMF (with the CloudWatch sink). No health port: nothing probes a task
 * that ends by itself, and a port that cannot be opened must not turn a run that did its work into
 * a failure. Exits 0 when the work resolved; 1 when it threw (it could not run) or a SIGTERM/SIGINT
 * stopped it first (what it wrote is drained); 2 on bad configuration.
 */
export async function runJob<S extends Schema>(definition: JobDefinition<S>): Promise<void> {
  let runtime: Runtime<ConfigOf<S>>;
  try {
    runtime = await openRuntime(definition);
  } catch (err) {
    const detail = err instanceof ConfigError ? err.message : `could not start: ${(err as Error).message}`;
    process.stderr.write(`netsidecar-${definition.name}: ${detail}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  const { config, logger, registry, sink } = runtime;
  let finishing: Promise<void> | null = null;
  const finish = (code: number): Promise<void> =>
    (finishing ??= (async () => {
      if (config.NETSIDECAR_SINK === 'cloudwatch') await new EmfPublisher({ registry }).publish().catch((err: unknown) => logger.warn('EMF publication failed', { err }));
      const report = await sink.close(Date.now() + config.NETSIDECAR_SHUTDOWN_DEADLINE);
      logger.info('drained', { ...report, exitCode: code });
      process.exit(code);
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    logger.warn('stopped before the work finished: draining what it wrote', { signal });
    void finish(1);
  };
  process.once('SIGTERM', interrupted);
  process.once('SIGINT', interrupted);

  logger.info('started', { sink: config.NETSIDECAR_SINK, logGroup: runtime.logGroup });
  try {
    await definition.run(runtime);
  } catch (err) {
    logger.error('could not run', { err });
    process.stderr.write(`netsidecar-${definition.name}: could not run: ${(err as Error).message}\n`);
    return finish(1);
  }
  return finish(0);
}
