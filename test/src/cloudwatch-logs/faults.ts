import type { Fault, FaultKind, OutageKind } from './types.js';

/**
 * The fault script: per-operation FIFO queues of single faults, and outages that last until
 * lifted. A call takes its operation's next queued fault first; otherwise its operation's outage,
 * otherwise the `'*'` outage. Mistakes in a script (an unknown operation or kind) throw at once,
 * in the test that wrote them, instead of silently never firing.
 */
const FAULT_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'throttle',
  'service-unavailable',
  'internal-error',
  'hang',
  'drop-before',
  'drop-after',
  'resource-not-found',
  'limit-exceeded',
  'error',
]);
const OUTAGE_KINDS: ReadonlySet<OutageKind> = new Set<OutageKind>(['service-unavailable', 'drop-before', 'throttle']);

export class FaultPlan {
  private readonly queues = new Map<string, Fault[]>();
  private readonly outages = new Map<string, OutageKind>();
  private readonly latencies = new Map<string, number>();

  constructor(private readonly knownOperations: ReadonlySet<string>) {}

  private checkOperation(operation: string): void {
    if (!this.knownOperations.has(operation)) {
      throw new TypeError(`fake CloudWatch Logs: unknown operation ${JSON.stringify(operation)}; ` + `known: ${[...this.knownOperations].join(', ')}`);
    }
  }

  enqueue(operation: string, faults: readonly Fault[]): void {
    this.checkOperation(operation);
    for (const fault of faults) {
      if (!FAULT_KINDS.has(fault.kind)) throw new TypeError(`fake CloudWatch Logs: unknown fault kind ${JSON.stringify(fault.kind)}`);
      if (fault.kind === 'hang' && fault.ms !== undefined && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
        throw new TypeError(`fake CloudWatch Logs: hang.ms must be a non-negative number, got ${fault.ms}`);
      }
      if (
        fault.kind === 'error' &&
        !(
          /^[A-Za-z][A-Za-z0-9]*$/.test(fault.type ?? 'x') &&
          (fault.status ?? 400) >= 400 &&
          (fault.status ?? 400) <= 599 &&
          Number.isInteger(fault.status ?? 400)
        )
      ) {
        throw new TypeError(`fake CloudWatch Logs: error needs a type name and a 4xx or 5xx status, got ${JSON.stringify(fault)}`);
      }
    }
    const queue = this.queues.get(operation) ?? [];
    queue.push(...faults.map((f) => ({ ...f })));
    this.queues.set(operation, queue);
  }

  setOutage(operation: string, kind: OutageKind | null): void {
    if (operation !== '*') this.checkOperation(operation);
    if (kind === null) {
      this.outages.delete(operation);
      return;
    }
    if (!OUTAGE_KINDS.has(kind)) throw new TypeError(`fake CloudWatch Logs: ${JSON.stringify(kind)} cannot be an outage`);
    this.outages.set(operation, kind);
  }

  setLatency(operation: string, ms: number | null): void {
    if (operation !== '*') this.checkOperation(operation);
    if (ms === null) {
      this.latencies.delete(operation);
      return;
    }
    if (!(Number.isFinite(ms) && ms >= 0)) throw new TypeError(`fake CloudWatch Logs: latency must be a non-negative number of ms, got ${ms}`);
    this.latencies.set(operation, ms);
  }

  /** How long a call of `operation` that meets no fault waits before it is applied, if at all. */
  latencyOf(operation: string): number | undefined {
    return this.latencies.get(operation) ?? this.latencies.get('*');
  }

  /** The fault for this call of `operation`, consuming a queued one. */
  take(operation: string): Fault | undefined {
    const queued = this.queues.get(operation)?.shift();
    if (queued !== undefined) return queued;
    const kind = this.outages.get(operation) ?? this.outages.get('*');
    return kind === undefined ? undefined : { kind };
  }
}
