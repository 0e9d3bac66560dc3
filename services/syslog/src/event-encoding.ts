import type { Sink } from '@netsidecar/sink';
import { encodeSyslog2 } from './contract.js';
import type { ParseFormat, SyslogEvent } from './parser/index.js';

/**
 * Which event the service writes (NETSIDECAR_SYSLOG_SCHEMA): `syslog/2` by default, `syslog/1` for
 * teams whose own saved queries read the old fields. Plain data, so that it travels to the parse
 * workers as workerData.
 */
export interface EventEncoding {
  schema: 1 | 2;
  /**
   * `syslog/2` carries `receivedAt` only where the sink does not keep it as the event time: the
   * CloudWatch sink sends it as the event's timestamp, the file and stdout sinks keep the message
   * alone (and the awslogs driver stamps stdout lines with its own clock).
   */
  receivedAt: boolean;
}

export function eventEncoding(schema: 1 | 2, sink: Sink['kind']): EventEncoding {
  return { schema, receivedAt: sink !== 'cloudwatch' };
}

/** The event's JSON: `syslog/2` when configured and representable (it always is for parser output), else `syslog/1`. */
export function serialiseEvent(event: SyslogEvent, format: ParseFormat, encoding: EventEncoding): string {
  if (encoding.schema === 2) {
    const message = encodeSyslog2(event, format, encoding);
    if (message !== null) return message;
  }
  return JSON.stringify(event);
}
