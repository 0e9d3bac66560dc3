import type { Logger } from '@netsidecar/telemetry';
import { RetryRun, type RetryContext } from '../retry/retry-run.js';
import type { CreationRate } from './creation-rate.js';
import { createLogGroup, createLogStream, putLogEvents, type DeliveryEvent, type OperationContext } from './operations.js';
import { rejectedReasons } from './rejected-events.js';

/**
 * Delivers one batch of one stream until every event in it has an outcome, and yields each
 * outcome as soon as it is known: `delivered`, or a reason code (too_old, invalid_parameter...).
 * One call per step, in three states (the shape of vector's CloudWatch request future):
 *
 *   put            PutLogEvents. Stored: done (the events CloudWatch did not keep get their
 *                  reason). Group or stream missing: create-stream. Refused (a 4xx verdict on the
 *                  request): the batch is bisected, each half delivered on its own, down to the
 *                  single events CloudWatch refuses, so one bad event neither takes its neighbours
 *                  with it nor loops.
 *   create-stream  CreateLogStream. Created, or already there (another task won the race): put.
 *                  Group missing: create-group.
 *   create-group   CreateLogGroup. Created, or already there: create-stream.
 *
 * A create call first waits for its turn under the sink's creation rate (creation-rate.ts).
 *
 * Any other failure waits (retry/: a short backoff for a listed failure, a long wait for an unknown
 * one) and tries the same step again, for as long as it takes. A
 * destination CloudWatch refuses to create (an invalid name) rejects the batch. Only the sink
 * stopping (SinkStoppedError, thrown out of a call or a wait) ends it early; the events not
 * yielded yet then stay in the spool.
 */

export interface DeliveryContext extends OperationContext, RetryContext {
  /** The pace of create calls, shared by every delivery of the sink (creation-rate.ts). */
  creations: CreationRate;
}

export interface DeliveryBatch<E extends DeliveryEvent> {
  logGroup: string;
  logStream: string;
  /** In timestamp order, as PutLogEvents wants them. */
  events: readonly E[];
}

export interface Settlement<E> {
  events: readonly E[];
  /** `delivered` or a reason code. */
  outcome: string;
}

type CreateState = 'create-stream' | 'create-group';

/** Where a delivery stands; a create step keeps its own run of retries. */
type Step = { state: 'put' } | { state: CreateState; retries: RetryRun };

/** The create states: their operation, and where its answers lead. */
const CREATE: Record<CreateState, { operation: string; done: Step['state']; parentMissing: Step['state'] }> = {
  'create-stream': { operation: 'CreateLogStream', done: 'put', parentMissing: 'create-group' },
  // A group create never answers "missing"; should it, the stream is tried again.
  'create-group': { operation: 'CreateLogGroup', done: 'create-stream', parentMissing: 'create-stream' },
};

export async function* deliver<E extends DeliveryEvent>(ctx: DeliveryContext, batch: DeliveryBatch<E>): AsyncGenerator<Settlement<E>, void> {
  const { logGroup, logStream, events } = batch;
  const where = { logGroup, logStream };
  const putRetries = new RetryRun(ctx, 'PutLogEvents', where);
  /** This delivery created (or found) the stream: a put that still misses it waits before creating again. */
  let created = false;
  const enter = (state: Step['state']): Step => {
    if (state === 'put') {
      created = true;
      return { state };
    }
    return { state, retries: new RetryRun(ctx, CREATE[state].operation, state === 'create-stream' ? where : { logGroup }) };
  };
  let step: Step = { state: 'put' };

  for (;;) {
    if (step.state === 'put') {
      const put = await putLogEvents(ctx, logGroup, logStream, events);
      switch (put.kind) {
        case 'ok':
          putRetries.succeeded();
          yield* storedWithRejections(ctx.logger, where, events, put.output.rejectedLogEventsInfo);
          return;
        case 'accepted': // DataAlreadyAcceptedException (pre-2023 sequence tokens): stored before
          yield { events, outcome: 'delivered' };
          return;
        case 'missing':
          // No wait for the usual first event of a new device; a wait when creating did not
          // help (eventual consistency).
          if (created) await putRetries.failed(put, undefined);
          step = enter('create-stream');
          break;
        case 'reject':
          if (events.length > 1) {
            const half = Math.ceil(events.length / 2);
            yield* deliver(ctx, { ...batch, events: events.slice(0, half) });
            yield* deliver(ctx, { ...batch, events: events.slice(half) });
            return;
          }
          // No message text, not even CloudWatch's error message (it can quote the event).
          ctx.logger.warn('cloudwatch refused an event', { ...where, reason: put.reason, code: put.code, timestamp: events[0]!.timestamp });
          yield { events, outcome: put.reason };
          return;
        default:
          await putRetries.failed(put, put.err);
      }
      continue;
    }

    const next = CREATE[step.state];
    await ctx.creations.take(ctx.timers, ctx.stop);
    const create = step.state === 'create-stream' ? await createLogStream(ctx, logGroup, logStream) : await createLogGroup(ctx, logGroup);
    switch (create.kind) {
      case 'ok':
        step.retries.succeeded();
        ctx.logger.info('cloudwatch created', { operation: next.operation, ...(step.state === 'create-stream' ? where : { logGroup }) });
        step = enter(next.done);
        break;
      case 'exists': // another task won the race
        step = enter(next.done);
        break;
      case 'missing':
        step = enter(next.parentMissing);
        break;
      case 'reject':
        ctx.logger.warn('cloudwatch destination cannot be created; events rejected', { ...where, reason: create.reason, events: events.length });
        yield { events, outcome: create.reason };
        return;
      default:
        await step.retries.failed(create, create.err);
    }
  }
}

/** PutLogEvents stored the batch: every event delivered, except those CloudWatch said it did not keep. */
function* storedWithRejections<E>(
  logger: Logger,
  where: Record<string, string>,
  events: readonly E[],
  info: Parameters<typeof rejectedReasons>[0],
): Generator<Settlement<E>> {
  const reasons = rejectedReasons(info, events.length);
  if (reasons === undefined) {
    yield { events, outcome: 'delivered' };
    return;
  }
  const byOutcome = new Map<string, E[]>();
  reasons.forEach((reason, i) => {
    const outcome = reason ?? 'delivered';
    const list = byOutcome.get(outcome) ?? [];
    list.push(events[i]!);
    byOutcome.set(outcome, list);
  });
  for (const [outcome, settled] of byOutcome) yield { events: settled, outcome };
  const counts = Object.fromEntries([...byOutcome].filter(([o]) => o !== 'delivered').map(([o, e]) => [o, e.length]));
  logger.warn('cloudwatch rejected events', { ...where, rejected: counts });
}
