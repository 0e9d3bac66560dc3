import { isRefusal, type Refusal, type Sink, type WriteOutcome } from '@netsidecar/sink';
import { StreamNames, type ReasonCounter } from './stream-names.js';

/** Why the sink did not take an event: the label values the writer counts. */
export const sinkDropReasons = ['sink_full', 'sink_closed'] as const;
export type SinkDropReason = (typeof sinkDropReasons)[number];

export interface EventWriterOptions {
  sink: Sink;
  /** `<NETSIDECAR_LOG_GROUP_PREFIX>/<service>`. */
  logGroup: string;
  /**
   * The service's `…_dropped_total{reason}` counter: the writer counts each event the sink refused
   * there, as `sink_full` or `sink_closed` (both visible at 0 from the start).
   */
  dropped: ReasonCounter;
  /** How streams are named (and new ones capped). Default: every name its own stream, no cap. */
  streams?: StreamNames;
}

/**
 * The one way a service hands events to the sink: it stamps them (`schema` and `time`, the same
 * instant as the CloudWatch timestamp), names their stream (`toLogStreamName`, through
 * `StreamNames`), and counts what the sink refused in the service's `dropped{reason}` counter, by
 * the sink's own word (`full` → `sink_full`, `closed` → `sink_closed`). It never throws and never
 * retries: a refused event is counted and gone, which is what "dropped" means in every service.
 * (config-upload writes an upload's events with `Sink.writeGroup` itself: a refusal there is
 * the uploader's 503, not a drop.)
 */
export class EventWriter {
  readonly #sink: Sink;
  readonly #logGroup: string;
  readonly #streams: StreamNames;
  readonly #dropped: Record<Refusal, { inc(amount?: number): void }>;

  constructor(options: EventWriterOptions) {
    this.#sink = options.sink;
    this.#logGroup = options.logGroup;
    this.#streams = options.streams ?? new StreamNames();
    // Bound children: the hot path of syslog comes through here once per message.
    this.#dropped = { full: options.dropped.labels('sink_full'), closed: options.dropped.labels('sink_closed') };
    this.#dropped.full.inc(0);
    this.#dropped.closed.inc(0);
  }

  /** A JSON event `{ schema, time, ...fields }`, `time` being `timeMs` in ISO 8601 UTC. */
  writeEvent(stream: string, timeMs: number, schema: string, fields: object): WriteOutcome {
    const message = JSON.stringify({ schema, time: new Date(timeMs).toISOString(), ...fields });
    return this.#write(this.#streams.of(stream), timeMs, message);
  }

  /** An event already serialised (syslog encodes in its parse workers), to the stream of a name the service chose. */
  writeMessage(stream: string, timestamp: number, message: string): WriteOutcome {
    return this.#write(this.#streams.of(stream), timestamp, message);
  }

  /**
   * An event already serialised whose stream name came in the message from `source` (a syslog
   * `host`): its own stream as the new-stream cap allows, else `source`'s (see StreamNames.from).
   */
  writeMessageFrom(source: string, name: string, timestamp: number, message: string): WriteOutcome {
    return this.#write(this.#streams.from(source, name), timestamp, message);
  }

  /**
   * `writeMessageFrom` for `events` events from `source` about `name`, encoded as their lines'
   * bytes (each the UTF-8 of its message and `\n`), in one call: one stream lookup and one sink
   * call for them all. Sinks without `writeLines` get them as a group of messages stamped `timestamp`.
   */
  writeLinesFrom(source: string, name: string, timestamp: number, lines: Uint8Array, events: number): WriteOutcome {
    const logStream = this.#streams.from(source, name, events);
    const outcome = this.#sink.writeLines
      ? this.#sink.writeLines({ logGroup: this.#logGroup, logStream, lines, events })
      : this.#sink.writeGroup(messagesOf(lines).map((message) => ({ logGroup: this.#logGroup, logStream, timestamp, message })));
    this.#count(outcome, events);
    return outcome;
  }

  /** Whether the sink takes events as lines of bytes (`writeLinesFrom` then builds no string). */
  get acceptsLines(): boolean {
    return this.#sink.writeLines !== undefined;
  }

  #write(logStream: string, timestamp: number, message: string): WriteOutcome {
    const outcome = this.#sink.write({ logGroup: this.#logGroup, logStream, timestamp, message });
    this.#count(outcome, 1);
    return outcome;
  }

  #count(outcome: WriteOutcome, events: number): void {
    if (isRefusal(outcome)) this.#dropped[outcome].inc(events);
  }
}

const utf8 = new TextDecoder();

/** The messages of lines: their text without the `\n`s. */
function messagesOf(lines: Uint8Array): string[] {
  return utf8.decode(lines.subarray(0, lines.length - 1)).split('\n');
}
