import { ConfigError, type ConfigOf, type Schema } from '@netsidecar/config';
import { EmfPublisher, Readiness, startHealthServer } from '@netsidecar/telemetry';
import { handleShutdown } from './shutdown.js';
import { catchEarlySignals } from './early-signals.js';
import { openRuntime, type Runtime } from './open-runtime.js';

/** What every service gets from the runtime. */
export interface ServiceContext<C> extends Runtime<C> {
  readiness: Readiness;
}

/**
 * A started service: `stop()` stops accepting new input and hands over what it already took in (the
 * runtime then drains the sink). `deadline` (epoch ms) is when the whole drain must be over: a
 * service that reads what senders still have in flight must leave the sink time before it.
 */
export interface RunningService {
  stop(deadline?: number): Promise<void>;
}

export interface ServiceDefinition<S extends Schema> {
  /** `syslog`, `ntp`, `config`, `scan`: also the log group suffix and the metrics `service` label. */
  name: string;
  /** The service's own variables, all under `ownPrefix`. */
  schema: S;
  ownPrefix: string;
  /** Picks the health port out of the service's config. */
  healthPort: (config: ConfigOf<S>) => number;
  /** The address the health server binds to; every IPv4 address (`0.0.0.0`) when not given. */
  healthAddress?: (config: ConfigOf<S>) => string;
  start: (context: ServiceContext<ConfigOf<S>>) => Promise<RunningService>;
}

/**
 * The common main(): config (one clear line and exit 2 when invalid), logger, metrics, sink, the
 * service, the health server, EMF on stdout when the sink is CloudWatch, and draining on SIGTERM or
 * Ctrl-C (one drain per request to stop: see shutdown.ts).
 */
export async function runService<S extends Schema>(definition: ServiceDefinition<S>): Promise<void> {
  try {
    await start(definition);
  } catch (err) {
    // Start-up errors are the only ones that exit: one line, naming the variable when it is config.
    const detail = err instanceof ConfigError ? err.message : `failed to start: ${(err as Error).message}`;
    process.stderr.write(`netsidecar-${definition.name}: ${detail}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
}

async function start<S extends Schema>(definition: ServiceDefinition<S>): Promise<void> {
  const earlySignals = catchEarlySignals();
  const runtime = await openRuntime(definition);
  const { config, logger, registry, sink, logGroup } = runtime;
  const readiness = new Readiness();
  // A sink that can only refuse (spool full, disk failing) makes the task not ready: the NLB then
  // sends new flows to a task that can keep them.
  readiness.add('sink', () => sink.refusalReason());
  const service = await definition.start({ ...runtime, readiness });
  const health = await startHealthServer({ port: definition.healthPort(config), host: definition.healthAddress?.(config), registry, readiness });

  const emf = config.NETSIDECAR_SINK === 'cloudwatch' ? new EmfPublisher({ registry }) : null;
  const publishMetrics = () => emf?.publish().catch((err: unknown) => logger.warn('EMF publication failed', { err }));
  const emfTimer = emf ? setInterval(() => void publishMetrics(), config.NETSIDECAR_EMF_INTERVAL) : undefined;
  emfTimer?.unref();
  logger.info('started', { sink: config.NETSIDECAR_SINK, logGroup, healthAddress: health.address, healthPort: health.port });

  const shutdown = handleShutdown({
    deadlineMs: config.NETSIDECAR_SHUTDOWN_DEADLINE,
    logger,
    // Said when the drain is cut short: accepted events not delivered yet (the CloudWatch sink's
    // spooled ones are replayed at the next start on the same data directory).
    undelivered: () => ({ undeliveredEvents: sink.queuedEvents(), sink: sink.kind }),
    drain: async (deadline) => {
      readiness.markShuttingDown();
      // A service that fails to stop cleanly still hands over what the sink holds: the sink is
      // drained whatever stop() did, and the failure then makes the exit code 1.
      const stopped = await service.stop(deadline).then(
        () => null,
        (err: unknown) => err,
      );
      if (stopped !== null) logger.error('service stop failed: draining the sink anyway', { err: stopped });
      const report = await sink.close(deadline);
      clearInterval(emfTimer);
      // The counters since the last interval, which a stopping task would otherwise never send.
      await publishMetrics();
      logger.info('drained', { ...report });
      await health.close();
      if (stopped !== null) throw stopped instanceof Error ? stopped : new Error('service stop failed', { cause: stopped });
    },
  });
  // A SIGTERM that came while starting is honoured now, with the drain it would have skipped.
  earlySignals.release((signal) => void shutdown.trigger(signal));
}
