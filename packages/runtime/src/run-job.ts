import { ConfigError, type ConfigOf, type Schema } from '@netsidecar/config';
import { EmfPublisher } from '@netsidecar/telemetry';
import { catchEarlySignals } from './early-signals.js';
import { openRuntime, type Runtime } from './open-runtime.js';
import { handleShutdown } from './shutdown.js';

export interface JobDefinition<S extends Schema> {
  /** The log group suffix and the metrics `service` label, as for a service. */
  name: string;
  schema: S;
  ownPrefix: string;
  /** The work; it resolves when done and throws when it could not run (a ConfigError: bad configuration). */
  run: (runtime: Runtime<ConfigOf<S>>) => Promise<void>;
}

/**
 * The main() of a one-shot command (the scan planner, which EventBridge Scheduler starts as an ECS
 * RunTask): the runtime's config, logger, metrics and sink, the work, then the sink drained and the
 * metrics published once as EMF (with the CloudWatch sink). No health port: nothing probes a task
 * that ends by itself, and a port that cannot be opened must not turn a run that did its work into
 * a failure. Exits 0 when the work resolved; 1 when it threw (it could not run) or a request to stop
 * came first (what it wrote is drained); 2 on bad configuration, read at start or by the work.
 * Signals follow the services' rule (shutdown.ts): one request to stop is one drain, however many
 * signals carry it; a deliberate second request or SIGQUIT exits at once, saying what is lost.
 */
export async function runJob<S extends Schema>(definition: JobDefinition<S>): Promise<void> {
  const earlySignals = catchEarlySignals();
  let runtime: Runtime<ConfigOf<S>>;
  try {
    runtime = await openRuntime(definition);
  } catch (err) {
    const detail = err instanceof ConfigError ? err.message : `could not start: ${(err as Error).message}`;
    process.stderr.write(`netsidecar-${definition.name}: ${detail}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  const { config, logger, registry, sink } = runtime;

  // The end of the work and a request to stop both come here, and it runs once: the last metrics
  // published, the sink drained, one `drained` line with the exit code.
  let closing: Promise<void> | null = null;
  let interrupted = false;
  const close = (deadline: number, exitCode: number): Promise<void> =>
    (closing ??= (async () => {
      if (config.NETSIDECAR_SINK === 'cloudwatch')
        await new EmfPublisher({ registry }).publish().catch((err: unknown) => logger.warn('EMF publication failed', { err }));
      const report = await sink.close(deadline);
      logger.info('drained', { ...report, exitCode });
    })());

  const shutdown = handleShutdown({
    deadlineMs: config.NETSIDECAR_SHUTDOWN_DEADLINE,
    logger,
    undelivered: () => ({ undeliveredEvents: sink.queuedEvents(), sink: sink.kind }),
    drain: async (deadline) => {
      interrupted = true;
      logger.warn('stopped before the work finished: draining what it wrote');
      await close(deadline, 1);
    },
    // Stopped before the work finished: never 0, even when the drain completed.
    exit: (code) => process.exit(code === 0 ? 1 : code),
  });
  earlySignals.release((signal) => void shutdown.trigger(signal));

  logger.info('started', { sink: config.NETSIDECAR_SINK, logGroup: runtime.logGroup });
  let exitCode = 0;
  try {
    await definition.run(runtime);
  } catch (err) {
    exitCode = err instanceof ConfigError ? 2 : 1;
    const detail = err instanceof ConfigError ? err.message : `could not run: ${(err as Error).message}`;
    logger.error(err instanceof ConfigError ? 'bad configuration' : 'could not run', { err });
    process.stderr.write(`netsidecar-${definition.name}: ${detail}\n`);
  }
  await close(Date.now() + config.NETSIDECAR_SHUTDOWN_DEADLINE, exitCode);
  process.exit(interrupted ? 1 : exitCode);
}
