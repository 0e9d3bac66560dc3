import type { Sink, WriteOutcome } from '@netsidecar/sink';
import type { ParseFormat, ReceiveContext } from './parser/index.js';
import { EventEncoder } from './encode-event.js';
import type { SyslogMetrics } from './metrics.js';

/**
 * The one path every message takes, whatever the transport: count it, encode it (here, or in a
 * parse worker that hands back the result), hand the event to the sink, count what happened.
 * Never throws.
 */
export class Ingest {
  // prom-client hashes a label object on every inc(); bound children skip that on the hot path.
  private readonly received;
  private readonly parsed;
  private readonly encoder = new EventEncoder();
  private sinkClosed = false;

  constructor(
    private readonly sink: Sink,
    private readonly logGroup: string,
    private readonly metrics: SyslogMetrics,
  ) {
    this.received = { udp: metrics.received.labels('udp'), tcp: metrics.received.labels('tcp'), tls: metrics.received.labels('tls') };
    this.parsed = { rfc5424: metrics.parsed.labels('rfc5424'), rfc3164: metrics.parsed.labels('rfc3164'), unparsed: metrics.unparsed.labels() };
  }

  /** Counts a message of `length` bytes as received; false when it is empty (then counted as dropped, nothing to keep). */
  receive(length: number, transport: ReceiveContext['transport']): boolean {
    this.received[transport].inc();
    if (length > 0) return true;
    this.metrics.dropped.inc({ reason: 'empty' });
    return false;
  }

  /** Receive, encode and deliver on this thread: TCP and TLS, and UDP without parse workers. */
  accept(raw: Uint8Array, context: ReceiveContext): WriteOutcome {
    if (!this.receive(raw.length, context.transport)) return 'ok';
    const encoded = this.encoder.encode(raw, context);
    return this.deliver(encoded.message, encoded.stream, encoded.format, context.receivedAt.getTime());
  }

  /** Hands an encoded event to the sink. */
  deliver(message: string, stream: string, format: ParseFormat, receivedAt: number): WriteOutcome {
    this.parsed[format].inc();
    const outcome = this.sink.write({ logGroup: this.logGroup, logStream: stream, timestamp: receivedAt, message });
    if (outcome === 'full' || outcome === 'closed') this.metrics.dropped.inc({ reason: outcome === 'closed' || this.sinkClosed ? 'sink_closed' : 'sink_full' });
    return outcome;
  }

  /** After this, refusals are counted as `sink_closed` rather than `sink_full`. */
  markClosing(): void {
    this.sinkClosed = true;
  }
}
