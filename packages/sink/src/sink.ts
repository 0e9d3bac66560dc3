/**
 * A sink is the only way out of a service (docs/ARCHITECTURE.md). It owns batching, retries, spooling
 * and draining at shutdown. Services hand it finished events and never see CloudWatch, files or
 * stdout themselves.
 */

/** One event: exactly one CloudWatch log event, or one line of a file sink `.jsonl` file. */
export interface SinkEvent {
  /** Full log group name, e.g. `/netsidecar/syslog`. */
  logGroup: string;
  /** Log stream name; build it with `toLogStreamName()`. */
  logStream: string;
  /** Milliseconds since the epoch: the event's `receivedAt` (the service's clock). */
  timestamp: number;
  /** The JSON text of the event, one line, no trailing newline. */
  message: string;
}

/**
 * What happened to a `write()`:
 * - `ok`: accepted; the sink will deliver it at least once.
 * - `backpressure`: accepted too, but the sink is above its high-water mark; a producer that can
 *   pause (a TCP socket) should pause until `whenWritable()` resolves.
 * - `refused`: NOT accepted, because memory and spool are both full or the sink is closing. The
 *   caller counts it as dropped with reason `sink_full` or `sink_closed`; it must not retry in a loop.
 */
export type WriteOutcome = 'ok' | 'backpressure' | 'refused';

export interface DrainReport {
  /** Events delivered to the destination during the drain. */
  delivered: number;
  /** Events still not delivered when the deadline passed; with a spool they survive a restart. */
  pending: number;
  /** True when the pending events are safe on disk (spool) and will be replayed on the next start. */
  pendingSpooled: boolean;
}

export interface Sink {
  readonly kind: 'file' | 'stdout' | 'cloudwatch';
  write(event: SinkEvent): WriteOutcome;
  /** Resolves when the sink is below its high-water mark again (at once when it already is). */
  whenWritable(): Promise<void>;
  /** Delivers everything accepted so far (or fails after retries only for non-retryable errors). */
  flush(): Promise<void>;
  /**
   * Stops accepting (later writes are `refused`), delivers what it can before `deadline`
   * (ms since the epoch, by the sink's clock), and releases its resources.
   */
  close(deadline: number): Promise<DrainReport>;
  /** Events accepted and not yet delivered (memory and spool). */
  queuedEvents(): number;
  /**
   * Why new events would be refused or stuck right now (memory and spool full, writes failing), or
   * null. The runtime turns `/healthz` not-ready with it, so the NLB sends new flows to a healthy
   * task instead of one that can only count drops. Closing is not a reason: shutdown has its own.
   */
  refusalReason(): string | null;
}

/**
 * CloudWatch forbids `:` and `*` in stream names and allows at most 512 characters; the file sink
 * also needs a name that is one safe path component. IPv6 source addresses contain `:`, so they
 * become `2001_db8__1`. The same function serves both sinks so the names agree.
 */
export function toLogStreamName(name: string): string {
  let safe = name.replace(/[:*/\\\u0000-\u001f]/g, '_');
  if (safe === '' || safe === '.' || safe === '..') safe = `_${safe}`;
  return safe.length > 512 ? safe.slice(0, 512) : safe;
}
