import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError, type ConfigOf } from '@netsidecar/config';
import type { scanVariables } from './config.js';
import type { Runtime, RunningService, ServiceContext } from '@netsidecar/runtime';
import { writeCoverage } from './report/coverage-report.js';
import { runPlan } from './plan/planner.js';
import { SqsScanQueue } from './queue/scan-queue.js';
import { SqsConsumer } from './queue/sqs-consumer.js';
import { scanImage } from './scan/scan-image.js';
import type { StateStore } from './state/records.js';
import { coverageDir, dynamoStore, inventorySources, plumbing, trivyRunner, type ScanConfig } from './wiring.js';

export type ScanServiceContext = ServiceContext<ConfigOf<typeof scanVariables>>;

function queueUrl(config: ScanConfig): string {
  if (config.NETSIDECAR_SCAN_QUEUE_URL === null) throw new ConfigError('NETSIDECAR_SCAN_QUEUE_URL', 'required for plan and worker');
  return config.NETSIDECAR_SCAN_QUEUE_URL;
}

/** The worker: an SQS consumer scanning at most NETSIDECAR_SCAN_CONCURRENCY images at once. */
export async function startWorker(
  context: ScanServiceContext,
  overrides: { store?: StateStore; sqs?: SQSClient } = {},
): Promise<RunningService & { consumer: SqsConsumer }> {
  const { config, logger } = context;
  const url = queueUrl(config);
  const store = overrides.store ?? dynamoStore(config);
  let consumer: SqsConsumer | undefined;
  const { events, metrics, notifier } = plumbing({ ...context, store, running: () => consumer?.runningScans ?? 0 });
  const trivy = trivyRunner(config);
  consumer = new SqsConsumer({
    client: overrides.sqs ?? new SQSClient({}),
    queueUrl: url,
    concurrency: config.NETSIDECAR_SCAN_CONCURRENCY,
    logger,
    handle: (request, attempt) =>
      scanImage(request, attempt, { store, trivy, notifier, events, metrics, now: () => new Date(), ignoreFile: config.NETSIDECAR_SCAN_IGNORE_FILE }),
    onMessage: (result) => metrics.messages.inc({ result }),
    onMalformed: () =>
      events.emit('worker', {
        type: 'error',
        stage: 'message',
        code: 'message_malformed',
        message: 'SQS message body is not a scan-request/1',
        cluster: null,
        retried: false,
      }),
  });
  consumer.start();
  const started = consumer;
  context.readiness.add('sqs', () => (started.consecutiveReceiveFailures >= 3 ? `${started.consecutiveReceiveFailures} SQS receives failed in a row` : null));
  return { consumer: started, stop: () => started.stop() };
}

/**
 * The planning run, started by EventBridge Scheduler (RunTask with command `plan`) through runJob:
 * it throws only when it could not run at all (the state store unreachable); inventory, DB version
 * and enqueue failures are `error` events of a run that finished.
 */
export async function runPlanningRun(context: Runtime<ConfigOf<typeof scanVariables>>, overrides: { store?: StateStore; sqs?: SQSClient } = {}): Promise<void> {
  const { config } = context;
  const store = overrides.store ?? dynamoStore(config);
  const { events, notifier } = plumbing({ ...context, store, running: () => 0 });
  const trivy = trivyRunner(config);
  const result = await runPlan({
    sources: await inventorySources(config),
    store,
    queue: new SqsScanQueue({ client: overrides.sqs ?? new SQSClient({}), queueUrl: queueUrl(config) }),
    events,
    notifier,
    now: () => new Date(),
    leaseMs: config.NETSIDECAR_SCAN_QUEUE_LEASE,
    maxEnqueue: config.NETSIDECAR_SCAN_MAX_ENQUEUE,
    maxAgeMs: config.NETSIDECAR_SCAN_MAX_AGE,
    dbRescanMinAgeMs: config.NETSIDECAR_SCAN_DB_RESCAN_MIN_AGE,
    trivyDb: () => trivy.dbInfo(),
  });
  // The files are a convenience (in AWS they go with the task): the run's coverage is in its events.
  const files = await writeCoverage(coverageDir(config), result.coverage).catch((err: unknown) => {
    context.logger.error('coverage files not written; the coverage events were', { err });
    return null;
  });
  context.logger.info('planning run finished', {
    planId: result.planId,
    enqueued: result.enqueued.length,
    coverage: files?.markdown ?? null,
    ...result.timings,
  });
  await context.sink.flush();
}
