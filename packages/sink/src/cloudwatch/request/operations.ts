import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  type CloudWatchLogsClient,
  type PutLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { classifyError, type ErrorClass } from '../retry/classify-error.js';
import { SinkStoppedError } from '../timers.js';
import { call, type CallContext, type Operation } from './call.js';

/**
 * The three CloudWatch Logs operations the sink uses, each one try with its verdict: the output,
 * or what the retry policy (retry/classify-error.ts) makes of the failure. Only the sink stopping
 * throws (SinkStoppedError).
 */

export interface OperationContext extends CallContext {
  client: CloudWatchLogsClient;
}

/** One try: `ok` with the output, or the failure's class (retry/classify-error.ts) and the error. */
export type Attempt<T> = { kind: 'ok'; output: T } | (ErrorClass & { err: unknown });

export interface DeliveryEvent {
  timestamp: number;
  message: string;
}

export function putLogEvents(
  ctx: OperationContext,
  logGroupName: string,
  logStreamName: string,
  events: readonly DeliveryEvent[],
): Promise<Attempt<PutLogEventsCommandOutput>> {
  const logEvents = events.map((e) => ({ timestamp: e.timestamp, message: e.message }));
  return attempt(ctx, 'PutLogEvents', (abortSignal) => ctx.client.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }), { abortSignal }));
}

export function createLogStream(ctx: OperationContext, logGroupName: string, logStreamName: string): Promise<Attempt<unknown>> {
  return attempt(ctx, 'CreateLogStream', (abortSignal) => ctx.client.send(new CreateLogStreamCommand({ logGroupName, logStreamName }), { abortSignal }));
}

export function createLogGroup(ctx: OperationContext, logGroupName: string): Promise<Attempt<unknown>> {
  return attempt(ctx, 'CreateLogGroup', (abortSignal) => ctx.client.send(new CreateLogGroupCommand({ logGroupName }), { abortSignal }));
}

async function attempt<T>(ctx: CallContext, operation: Operation, send: (signal: AbortSignal) => Promise<T>): Promise<Attempt<T>> {
  try {
    return { kind: 'ok', output: await call(ctx, operation, send) };
  } catch (err) {
    if (err instanceof SinkStoppedError) throw err;
    return { ...classifyError(err), err };
  }
}
