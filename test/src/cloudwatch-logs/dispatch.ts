import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import type { FaultPlan } from './faults.js';
import type { Input } from './input.js';
import type { Operation } from './operation.js';
import { operations } from './operations/index.js';
import type { QueryStore } from './query-store.js';
import { internalFailure, limitExceeded, resourceNotFound, ServiceError, serviceUnavailable, throttling, unknownOperation } from './service-error.js';
import type { LogStore } from './store.js';
import type { CallRecord } from './types.js';
import { checkEnvelope, dropConnection, parseJsonObject, readBody, sendError, sendJson, targetOperation } from './wire.js';

/**
 * One request, start to end: read it, check the envelope, record the call, apply the scripted
 * fault if any, run the operation, answer. Nothing a client sends can throw out of here: bad input
 * becomes an error answer, and a bug of the fake becomes a 500 `InternalFailure` whose message
 * says so (and shows in `calls()` as `error: 'InternalFailure'` without a `fault`).
 */
export interface DispatchDeps {
  readonly store: LogStore;
  readonly queries: QueryStore;
  readonly faults: FaultPlan;
  readonly calls: CallLog;
  readonly now: () => number;
  /** Hung requests, so `close()` can end them. */
  readonly hangs: Set<() => void>;
}

export { operations };

function answerError(res: ServerResponse, record: CallRecord, error: unknown): void {
  const answer = error instanceof ServiceError ? error : internalFailure(`fake CloudWatch Logs bug: ${(error as Error)?.message ?? String(error)}`);
  record.status = answer.status;
  record.error = answer.type;
  sendError(res, answer);
}

function run(op: Operation, input: Input, region: string, deps: DispatchDeps, record: CallRecord): { body?: object; error?: unknown } {
  try {
    const body = op.apply(input, { store: deps.store, queries: deps.queries, now: deps.now(), region });
    record.applied = true;
    return { body };
  } catch (error) {
    return { error };
  }
}

/** Holds the request unanswered; resolves true when it should now be answered, false if never. */
function hang(res: ServerResponse, ms: number | undefined, deps: DispatchDeps): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const end = (answer: boolean): void => {
      if (!deps.hangs.delete(stop)) return;
      clearTimeout(timer);
      res.off('close', onClose);
      resolve(answer);
    };
    const stop = (): void => end(false);
    const onClose = (): void => end(false);
    deps.hangs.add(stop);
    res.on('close', onClose);
    if (ms !== undefined) timer = setTimeout(() => end(!res.destroyed), ms);
  });
}

export async function dispatch(req: IncomingMessage, res: ServerResponse, deps: DispatchDeps): Promise<void> {
  const done = deps.calls.begin();
  try {
    const read = await readBody(req);
    const record: CallRecord = { operation: targetOperation(req) ?? '', status: 0, applied: false, at: deps.now() };
    if (read.kind === 'aborted') {
      deps.calls.add(record); // the client went away mid-request: nothing to answer
      return;
    }
    let op: Operation;
    let input: Input;
    let region: string;
    try {
      if (read.kind === 'too-large') throw new ServiceError('RequestEntityTooLargeException', 413, 'Request body too large');
      const envelope = checkEnvelope(req);
      const known = operations.get(envelope.operation);
      if (known === undefined) throw unknownOperation(`Unknown operation ${envelope.operation}`);
      op = known;
      region = envelope.region;
      input = parseJsonObject(read.body);
      if (typeof input['logGroupName'] === 'string') record.logGroup = input['logGroupName'];
      if (typeof input['logStreamName'] === 'string') record.logStream = input['logStreamName'];
    } catch (error) {
      deps.calls.add(record);
      answerError(res, record, error);
      return;
    }
    try {
      Object.assign(record, op.measure?.(input));
    } catch {
      // measuring is best effort; the operation itself reports bad input
    }

    const fault = deps.faults.take(op.name);
    if (fault !== undefined) record.fault = fault.kind;
    deps.calls.add(record);

    switch (fault?.kind) {
      case 'throttle':
        return answerError(res, record, throttling());
      case 'service-unavailable':
        return answerError(res, record, serviceUnavailable());
      case 'internal-error':
        return answerError(res, record, internalFailure());
      case 'resource-not-found':
        return answerError(res, record, resourceNotFound(op.notFoundMessage));
      case 'limit-exceeded':
        // The words of StartQuery's own quota check (operations/start-query.ts).
        return answerError(res, record, limitExceeded(`Account maximum query concurrency limit of [${deps.queries.maxConcurrent}] reached.`));
      case 'error':
        return answerError(res, record, new ServiceError(fault.type ?? 'UnmodeledException', fault.status ?? 400, 'scripted error answer'));
      case 'drop-before':
        return dropConnection(res);
      case 'drop-after':
        run(op, input, region, deps, record);
        return dropConnection(res);
      case 'hang':
        if (!(await hang(res, fault.ms, deps))) return dropConnection(res);
        break;
      case undefined: {
        const slow = deps.faults.latencyOf(op.name);
        if (slow !== undefined && !(await hang(res, slow, deps))) return dropConnection(res);
        break;
      }
    }

    const result = run(op, input, region, deps, record);
    if (result.error !== undefined) return answerError(res, record, result.error);
    record.status = 200;
    sendJson(res, 200, result.body ?? {});
  } catch (error) {
    // Last resort, e.g. a socket error while answering: never an unhandled rejection.
    if (!res.headersSent && !res.destroyed) sendError(res, internalFailure(`fake CloudWatch Logs bug: ${String(error)}`));
  } finally {
    done();
  }
}
