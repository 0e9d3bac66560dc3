import { parseSyslog, type ParseFormat, type ReceiveContext } from './parser/index.js';
import { serialiseEvent, type EventEncoding } from './event-encoding.js';
import { encodesNatively, NativeLineEncoder } from './native-line-encoder.js';

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
  /**
   * The C encoder of the commonest lines, for whole batches (encodeBatch uses it): only for
   * `syslog/2` with the receive time, the event it writes, and only where the addon was built.
   */
  readonly fast: NativeLineEncoder | null;

  constructor(private readonly encoding: EventEncoding) {
    this.fast = encodesNatively(encoding) ? NativeLineEncoder.load() : null;
  }

  encode(raw: Uint8Array, context: ReceiveContext): EncodedEvent {
    // receivedMs: the number the parser rendered receivedAt from (no Date.parse of the ISO text per message).
    const { event, format, receivedMs } = parseSyslog(raw, context);
    return { message: serialiseEvent(event, format, this.encoding, receivedMs), device: event.host ?? event.sourceIp, format };
  }
}
