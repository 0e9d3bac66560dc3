import type { Sink } from '@netsidecar/sink';
import { encodeSyslog2 } from '@netsidecar/contracts';
import type { ParseFormat, SyslogEvent } from './parser/index.js';

/**
 * Which event the service writes (NETSIDECAR_SYSLOG_SCHEMA): `syslog/2` by default, `syslog/1` for
 * teams whose own saved queries read the old fields. Plain data, so that it travels to the parse
 * workers as workerData.
 */
export interface EventEncoding {
  schema: 1 | 2;
  /**
   * Whether `syslog/2` carries the receive time (`rt`, epoch ms). Always, today: the CloudWatch sink
   * also sends it as the event's timestamp, but the S3 archive keeps the message alone (Firehose's
   * message extraction drops the CloudWatch envelope) and an audit from the archive needs each
   * event's receive time. Omitting it would save 19 bytes an event (docs/ARCHITECTURE.md, event contract).
   */
  receivedAt: boolean;
  /**
   * Whether the parse workers encode the commonest lines in C (native/line_encoder.c) where the
   * addon is built: the same bytes, at a fraction of the cost (NETSIDECAR_SYSLOG_NATIVE_ENCODER).
   */
  native: boolean;
}

export function eventEncoding(schema: 1 | 2, _sink: Sink['kind'], native = true): EventEncoding {
  return { schema, receivedAt: true, native };
}

/** The event's JSON (`receivedAtMs`: `event.receivedAt` in epoch ms): `syslog/2` when configured and representable (it always is for parser output), else `syslog/1`. */
export function serialiseEvent(event: SyslogEvent, format: ParseFormat, encoding: EventEncoding, receivedAtMs: number): string {
  if (encoding.schema === 2) {
    const message = encodeSyslog2(event, format, encoding, receivedAtMs);
    if (message !== null) return message;
  }
  return JSON.stringify(event);
}
