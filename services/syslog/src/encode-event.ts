import { parseSyslog, type ParseFormat, type ReceiveContext } from './parser/index.js';
import { serialiseEvent, type EventEncoding } from './event-encoding.js';

/** A message turned into what the sink needs: the event's JSON, the name of its device and how it parsed. */
export interface EncodedEvent {
  message: string;
  /** The device's name (its `host`, else its source IP) as it came: the main thread names the stream. */
  device: string;
  format: ParseFormat;
}

/**
 * Parse and serialise. The same function runs on the main thread or in a parse worker; it never
 * throws. The stream is named on the main thread (the runtime's EventWriter), where the cap on new
 * streams per source sees every worker's messages.
 */
export class EventEncoder {
  constructor(private readonly encoding: EventEncoding) {}

  encode(raw: Uint8Array, context: ReceiveContext): EncodedEvent {
    const { event, format } = parseSyslog(raw, context);
    // The clock as read, a number: parsing the event's ISO text back cost a Date.parse per message.
    let receivedMs = context.receivedAt.getTime();
    if (!Number.isFinite(receivedMs)) receivedMs = Date.parse(event.receivedAt); // the parser read the clock itself
    return { message: serialiseEvent(event, format, this.encoding, receivedMs), device: event.host ?? event.sourceIp, format };
  }
}
