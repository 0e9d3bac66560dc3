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
 * Events of one stream already encoded where they were built (syslog's parse workers): the bytes of
 * their lines, so a sink that writes lines (file, stdout) copies them out as they are, without a
 * string, or a call, per event on the thread that writes.
 */
export interface EncodedLines {
  logGroup: string;
  logStream: string;
  /** Each event's line, the UTF-8 of its `SinkEvent.message` followed by `\n`, back to back. */
  lines: Uint8Array;
  /** How many events (lines) `lines` holds. */
  events: number;
}

/**
 * What happened to a `write()` or a `writeGroup()`:
 * - `ok`: accepted; the sink will deliver it at least once.
 * - `backpressure`: accepted too, but the sink is above its high-water mark; a producer that can
 *   pause (a TCP socket) should pause until `whenWritable()` resolves.
 * - `full`: NOT accepted: the sink holds all it may (memory, spool, a failing file's share) or
 *   cannot store it (spool writes failing). It may take events again later.
 * - `closed`: NOT accepted: `close()` was called; it never takes events again.
 *
 * A refused event is the caller's to count (the runtime's EventWriter counts `sink_full` and
 * `sink_closed`); it must not be retried in a loop.
 */
export type WriteOutcome = 'ok' | 'backpressure' | 'full' | 'closed';

/** The two refusals. */
export type Refusal = Extract<WriteOutcome, 'full' | 'closed'>;

/** True when the event (or group) was NOT accepted. */
export function isRefusal(outcome: WriteOutcome): outcome is Refusal {
  return outcome === 'full' || outcome === 'closed';
}

export interface DrainReport {
  /** Events delivered to the destination during the drain. */
  delivered: number;
  /** Events still not delivered when the deadline passed; with a spool they survive a restart. */
  pending: number;
  /** True when the pending events are safe on disk (spool) and will be replayed on the next start. */
  pendingSpooled: boolean;
}

export interface Sink {
  /** Which sink this is, for the operational log; behaviour is asked through the members below. */
  readonly kind: 'file' | 'stdout' | 'cloudwatch';
  /**
   * True when an accepted event survives the death of the process as soon as `write()` returns
   * (the CloudWatch sink writes ahead to its spool inside `write()`); false when it is durable only
   * once `flush()` resolves (the file and stdout sinks hold it in memory or in a pipe until then).
   */
  readonly durableOnWrite: boolean;
  write(event: SinkEvent): WriteOutcome;
  /**
   * Only on sinks that write lines of bytes (file, stdout): `write()` of each event of `lines`, in
   * order, all accepted or all refused (under the limits `write()` keeps). A service checks for it
   * to decide whether to encode events as bytes. The bytes are the caller's again once the call
   * returns (the syslog parse pool reuses its buffers): a sink that keeps them keeps a copy.
   */
  writeLines?(lines: EncodedLines): WriteOutcome;
  /**
   * Takes `events` as one unit, accepted or refused whole: accepted when the sink has room for all
   * of them under the limits `write()` keeps, otherwise none is taken (and all are counted refused).
   * What is accepted stays together: one spool append that a crash cannot split (CloudWatch), one
   * buffered unit written in one write per file (file), one write (stdout). For what must never be
   * delivered in part, such as an upload's `config/1` event and its `config-part/1` parts.
   */
  writeGroup(events: readonly SinkEvent[]): WriteOutcome;
  /** Resolves when the sink is below its high-water mark again (at once when it already is). */
  whenWritable(): Promise<void>;
  /** Delivers everything accepted so far (or fails after retries only for non-retryable errors). */
  flush(): Promise<void>;
  /**
   * Stops accepting (later writes are `closed`), delivers what it can before `deadline`
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
