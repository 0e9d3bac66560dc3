import { EventWriter, type StreamNames } from '@netsidecar/runtime';
import type { Sink, WriteOutcome } from '@netsidecar/sink';
import type { ParseFormat, ReceiveContext } from './parser/index.js';
import { EventEncoder } from './encode-event.js';
import type { EventEncoding } from './event-encoding.js';
import { parseFormats } from './parse-batch.js';
import type { SyslogMetrics } from './metrics.js';

/**
 * The one path every message takes, whatever the transport: count it, encode it (here, or in a
 * parse worker that hands back the result), hand the event to the runtime's EventWriter (which
 * names its stream, capping new ones per source, and counts what the sink refused). Never throws.
 */
export class Ingest {
  // prom-client hashes a label object on every inc(); bound children skip that on the hot path.
  private readonly received;
  private readonly parsed;
  private readonly encoder: EventEncoder;
  private readonly writer: EventWriter;
  private readonly sink: Sink;

  /** `streams`: how streams are named and new ones capped (service.ts); without it, no cap. */
  constructor(
    sink: Sink,
    logGroup: string,
    private readonly metrics: SyslogMetrics,
    encoding: EventEncoding,
    streams?: StreamNames,
  ) {
    this.sink = sink;
    this.encoder = new EventEncoder(encoding);
    this.received = { udp: metrics.received.labels('udp'), tcp: metrics.received.labels('tcp'), tls: metrics.received.labels('tls') };
    this.parsed = { rfc5424: metrics.parsed.labels('rfc5424'), rfc3164: metrics.parsed.labels('rfc3164'), unparsed: metrics.unparsed.labels() };
    this.writer = new EventWriter({ sink, logGroup, dropped: metrics.dropped, streams });
  }

  /** Counts a message of `length` bytes as received; false when it is empty (then counted as dropped, nothing to keep). */
  receive(length: number, transport: ReceiveContext['transport']): boolean {
    this.received[transport].inc();
    if (length > 0) return true;
    this.metrics.dropped.inc({ reason: 'empty' });
    return false;
  }

  /** Receive, encode and deliver on this thread: without parse workers. */
  accept(raw: Uint8Array, context: ReceiveContext): WriteOutcome {
    if (!this.receive(raw.length, context.transport)) return 'ok';
    const encoded = this.encoder.encode(raw, context);
    return this.deliver(encoded.message, context.sourceIp, encoded.device, encoded.format, context.receivedAt.getTime());
  }

  /** Whether the sink takes events as lines of bytes: then the parse workers encode them so (`deliverLine`). */
  get acceptsLines(): boolean {
    return this.writer.acceptsLines;
  }

  /** Resolves when the sink is below its high-water mark again (the parse pool waits on it after a `backpressure`). */
  whenWritable(): Promise<void> {
    return this.sink.whenWritable();
  }

  /** Counts parsed events by format (`counts` in `parseFormats` order): runs of lines are delivered without their formats. */
  countParsed(counts: Uint32Array): void {
    for (let f = 0; f < counts.length; f++) if (counts[f]! > 0) this.parsed[parseFormats[f]!].inc(counts[f]);
  }

  /**
   * `deliver` for `events` events from `sourceIp` about `device`, encoded as their lines' bytes
   * (each its JSON and `\n`, UTF-8), in one call; counted as parsed by `countParsed`.
   */
  deliverLines(lines: Uint8Array, events: number, sourceIp: string, device: string, receivedAt: number): WriteOutcome {
    return this.writer.writeLinesFrom(sourceIp, device, receivedAt, lines, events);
  }

  /** Hands an encoded event from `sourceIp` about `device` (its `host`, else `sourceIp`) to the writer. */
  deliver(message: string, sourceIp: string, device: string, format: ParseFormat, receivedAt: number): WriteOutcome {
    this.parsed[format].inc();
    return this.writer.writeMessageFrom(sourceIp, device, receivedAt, message);
  }
}
