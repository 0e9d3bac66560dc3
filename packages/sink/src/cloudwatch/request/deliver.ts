import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '@netsidecar/telemetry';
import { backoffDelay } from '../retry/backoff.js';
import { call, type CallContext, type Operation } from './call.js';
import { classifyError, type ErrorClass } from '../retry/classify-error.js';
import { rejectedReasons } from './rejected-events.js';
import { SinkStoppedError, sleep } from '../timers.js';

/**
 * Sends one batch of one stream until every event in it has an outcome: delivered, or rejected
 * with a reason code. Retryable failures are retried forever with capped full-jitter backoff; a
 * missing group or stream is created; a batch CloudWatch refuses (4xx) is bisected down to the
 * single events it refuses, so one bad event never takes its neighbours with it nor loops.
 * Only the sink stopping (SinkStoppedError) ends it early; the events then stay in the spool.
 */

export interface DeliveryEvent {
  timestamp: number;
  message: string;
}

export interface DeliveryContext extends CallContext {
  client: CloudWatchLogsClient;
  logger: Logger;
  random: () => number;
  retryBaseMs: number;
  retryCapMs: number;
}

/** `outcome` is `delivered` or a reason code (too_old, invalid_parameter, ...). */
export type Settle<E> = (events: readonly E[], outcome: string) => void;

export async function deliverBatch<E extends DeliveryEvent>(
  ctx: DeliveryContext,
  logGroupName: string,
  logStreamName: string,
  batch: readonly E[],
  settle: Settle<E>,
): Promise<void> {
  const where = { logGroup: logGroupName, logStream: logStreamName };
  const retry = new RetryState(ctx, 'PutLogEvents', where);
  let created = false;
  for (;;) {
    let verdict: ErrorClass;
    try {
      const output = await call(ctx, 'PutLogEvents', (abortSignal) =>
        ctx.client.send(
          new PutLogEventsCommand({
            logGroupName,
            logStreamName,
            logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })),
          }),
          { abortSignal },
        ),
      );
      retry.succeeded();
      settleWithRejections(ctx.logger, where, batch, output.rejectedLogEventsInfo, settle);
      return;
    } catch (err) {
      if (err instanceof SinkStoppedError) throw err;
      verdict = classifyError(err);
      if (verdict.kind === 'retry' || verdict.kind === 'exists') {
        await retry.failed(verdict.code, err);
        continue;
      }
    }
    if (verdict.kind === 'accepted') {
      settle(batch, 'delivered');
      return;
    }
    if (verdict.kind === 'missing') {
      // Back off only when creating did not help the last time (eventual consistency), so the
      // usual first-event-of-a-new-device case costs no wait.
      if (created) await retry.failed(verdict.code, undefined);
      const failure = await ensureDestination(ctx, logGroupName, logStreamName);
      if (failure !== undefined) {
        ctx.logger.warn('cloudwatch destination cannot be created; events rejected', { ...where, reason: failure, events: batch.length });
        settle(batch, failure);
        return;
      }
      created = true;
      continue;
    }
    if (verdict.kind === 'reject') {
      if (batch.length === 1) {
        const event = batch[0]!;
        // No message text, not even CloudWatch's error message (it can quote the event).
        ctx.logger.warn('cloudwatch refused an event', { ...where, reason: verdict.reason, code: verdict.code, timestamp: event.timestamp });
        settle(batch, verdict.reason);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await deliverBatch(ctx, logGroupName, logStreamName, batch.slice(0, half), settle);
      await deliverBatch(ctx, logGroupName, logStreamName, batch.slice(half), settle);
      return;
    }
  }
}

function settleWithRejections<E>(
  logger: Logger,
  where: Record<string, string>,
  batch: readonly E[],
  info: Parameters<typeof rejectedReasons>[0],
  settle: Settle<E>,
): void {
  const reasons = rejectedReasons(info, batch.length);
  if (reasons === undefined) {
    settle(batch, 'delivered');
    return;
  }
  const byOutcome = new Map<string, E[]>();
  reasons.forEach((reason, i) => {
    const outcome = reason ?? 'delivered';
    const list = byOutcome.get(outcome) ?? [];
    list.push(batch[i]!);
    byOutcome.set(outcome, list);
  });
  for (const [outcome, events] of byOutcome) settle(events, outcome);
  const counts = Object.fromEntries([...byOutcome].filter(([o]) => o !== 'delivered').map(([o, e]) => [o, e.length]));
  logger.warn('cloudwatch rejected events', { ...where, rejected: counts });
}

/**
 * Creates the stream, and the group first when the stream cannot be created for want of it.
 * ResourceAlreadyExistsException is success (another task won the race). Returns a reason code
 * when CloudWatch refuses for good (an invalid name), `undefined` when both exist.
 */
async function ensureDestination(ctx: DeliveryContext, logGroupName: string, logStreamName: string): Promise<string | undefined> {
  for (;;) {
    const where = { logGroup: logGroupName, logStream: logStreamName };
    const stream = await create(ctx, 'CreateLogStream', where, () =>
      new CreateLogStreamCommand({ logGroupName, logStreamName }),
    );
    if (stream !== 'missing') return stream;
    const group = await create(ctx, 'CreateLogGroup', { logGroup: logGroupName }, () => new CreateLogGroupCommand({ logGroupName }));
    if (group === 'missing') continue;
    if (group !== undefined) return group;
  }
}

/** One create call, retried; `undefined` when it exists now, `missing` for a missing parent. */
async function create(
  ctx: DeliveryContext,
  operation: Operation,
  where: Record<string, string>,
  command: () => CreateLogGroupCommand | CreateLogStreamCommand,
): Promise<string | undefined> {
  const retry = new RetryState(ctx, operation, where);
  for (;;) {
    try {
      await call(ctx, operation, (abortSignal) => ctx.client.send(command() as CreateLogGroupCommand, { abortSignal }));
      retry.succeeded();
      ctx.logger.info('cloudwatch created', { operation, ...where });
      return undefined;
    } catch (err) {
      if (err instanceof SinkStoppedError) throw err;
      const verdict = classifyError(err);
      if (verdict.kind === 'exists') return undefined;
      if (verdict.kind === 'missing') return 'missing';
      if (verdict.kind === 'reject') return verdict.reason;
      await retry.failed(verdict.code, err);
    }
  }
}

/** Backoff and the operator's view of a run of failures: first one, every 10th, and recovery. */
class RetryState {
  #attempt = 0;
  constructor(
    private readonly ctx: DeliveryContext,
    private readonly operation: Operation,
    private readonly where: Record<string, string>,
  ) {}

  async failed(code: string, err: unknown): Promise<void> {
    const attempt = this.#attempt++;
    const delay = backoffDelay(attempt, this.ctx.random, this.ctx.retryBaseMs, this.ctx.retryCapMs);
    if (attempt % 10 === 0) {
      const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
      this.ctx.logger.warn('cloudwatch call failed; retrying', {
        operation: this.operation,
        ...this.where,
        code,
        ...(status === undefined ? {} : { status }),
        attempt: attempt + 1,
        retryInMs: delay,
      });
    }
    await sleep(this.ctx.timers, delay, this.ctx.stop);
  }

  succeeded(): void {
    if (this.#attempt > 0) this.ctx.logger.info('cloudwatch call succeeded after retries', { operation: this.operation, ...this.where, failures: this.#attempt });
    this.#attempt = 0;
  }
}
