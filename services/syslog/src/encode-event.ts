import { toLogStreamName } from '@netsidecar/sink';
import { parseSyslog, type ParseFormat, type ReceiveContext } from './parser/index.js';
import { serialiseEvent, type EventEncoding } from './event-encoding.js';

/** A message turned into what the sink needs: the event's JSON, its stream and how it parsed. */
export interface EncodedEvent {
  message: string;
  stream: string;
  format: ParseFormat;
}

const maxCachedStreamNames = 10_000; // devices in a large data centre, with room to spare

/**
 * Parse, serialise, and pick the stream (device name, else the source IP). The same function runs
 * on the main thread or in a parse worker; it never throws.
 */
export class EventEncoder {
  private readonly streamNames = new Map<string, string>();

  constructor(private readonly encoding: EventEncoding) {}

  encode(raw: Uint8Array, context: ReceiveContext): EncodedEvent {
    const { event, format } = parseSyslog(raw, context);
    return { message: serialiseEvent(event, format, this.encoding), stream: this.streamName(event.host ?? event.sourceIp), format };
  }

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
}
