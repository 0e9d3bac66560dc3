import { CodedError } from '@netsidecar/config';
import { errorCode } from '../retry/classify-error.js';
import type { SinkMetrics } from '../metrics.js';
import { SinkStoppedError, type Timers } from '../timers.js';

export type Operation = 'PutLogEvents' | 'CreateLogGroup' | 'CreateLogStream';

/** The per-request timeout fired: the connection hung, so the call is retried like a network error. */
export class RequestTimeoutError extends CodedError<'RequestTimeout'> {
  constructor(operation: string, ms: number) {
    super('RequestTimeout', `${operation} not answered within ${ms} ms`);
  }
}

export interface CallContext {
  timers: Timers;
  requestTimeoutMs: number;
  metrics: SinkMetrics;
  /** Aborted when the sink stops: in-flight calls end at once, their events stay in the spool. */
  stop: AbortSignal;
}

/**
 * One CloudWatch call with its own timeout. The timeout runs on the injected timers (a fake clock
 * in tests) and aborts the request through its AbortSignal; the call also loses a race against the
 * abort, so nothing inside the SDK can keep a hung connection waited on.
 */
export async function call<T>(ctx: CallContext, operation: Operation, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (ctx.stop.aborted) throw new SinkStoppedError();
  const controller = new AbortController();
  let timedOut = false;
  const timer = ctx.timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.requestTimeoutMs);
  const onStop = () => controller.abort();
  ctx.stop.addEventListener('abort', onStop, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  try {
    const result = await Promise.race([send(controller.signal), aborted]);
    ctx.metrics.calls.inc({ operation, outcome: 'ok' });
    return result;
  } catch (err) {
    if (ctx.stop.aborted) throw new SinkStoppedError();
    const failure = timedOut ? new RequestTimeoutError(operation, ctx.requestTimeoutMs) : err;
    ctx.metrics.calls.inc({ operation, outcome: 'error' });
    ctx.metrics.errors.inc({ code: errorCode(failure) });
    throw failure;
  } finally {
    ctx.timers.clearTimeout(timer);
    ctx.stop.removeEventListener('abort', onStop);
  }
}
