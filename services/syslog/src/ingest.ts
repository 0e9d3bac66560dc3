import type { Sink, WriteOutcome } from '@netsidecar/sink';
import { toLogStreamName } from '@netsidecar/sink';
import { parseSyslog, type ReceiveContext } from './parser/index.js';
import type { SyslogMetrics } from './metrics.js';

const maxCachedStreamNames = 10_000; // devices in a large data centre, with room to spare

/**
 * The one path every message takes, whatever the transport: parse, pick the stream (device name,
 * else the source IP), hand the event to the sink, count what happened. Never throws.
 */
export class Ingest {
  // prom-client hashes a label object on every inc(); bound children skip that on the hot path.
  private readonly received;
  private readonly parsed;

  constructor(
    private readonly sink: Sink,
    private readonly logGroup: string,
    private readonly metrics: SyslogMetrics,
  ) {
    this.received = { udp: metrics.received.labels('udp'), tcp: metrics.received.labels('tcp'), tls: metrics.received.labels('tls') };
    this.parsed = { rfc5424: metrics.parsed.labels('rfc5424'), rfc3164: metrics.parsed.labels('rfc3164'), unparsed: metrics.unparsed };
  }

  accept(raw: Uint8Array, context: ReceiveContext): WriteOutcome {
    this.received[context.transport].inc();
    if (raw.length === 0) {
      this.metrics.dropped.inc({ reason: 'empty' });
      return 'ok';
    }
    const { event, format } = parseSyslog(raw, context);
    this.parsed[format].inc();
    const outcome = this.sink.write({
      logGroup: this.logGroup,
      logStream: this.streamName(event.host ?? event.sourceIp),
      timestamp: context.receivedAt.getTime(),
      message: JSON.stringify(event),
    });
    if (outcome === 'refused') this.metrics.dropped.inc({ reason: this.sinkClosed ? 'sink_closed' : 'sink_full' });
    return outcome;
  }

  private sinkClosed = false;
  private readonly streamNames = new Map<string, string>();

  /** Device names repeat: sanitise each once. Bounded, since hosts come from the network. */
  private streamName(device: string): string {
    let name = this.streamNames.get(device);
    if (name === undefined) {
      if (this.streamNames.size >= maxCachedStreamNames) this.streamNames.clear();
      name = toLogStreamName(device);
      this.streamNames.set(device, name);
    }
    return name;
  }

  /** After this, refusals are counted as `sink_closed` rather than `sink_full`. */
  markClosing(): void {
    this.sinkClosed = true;
  }
}

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) is reported as `192.0.2.1`. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
