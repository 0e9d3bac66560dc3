import { isIP } from 'node:net';
import { toLogStreamName } from '@netsidecar/sink';
import type { AuditEvent } from '../event.js';
import { parseEvent } from '../event.js';
import { mergeByTime } from '../source/merge.js';
import type { EventQuery, EventSource } from '../source/source.js';

/**
 * A stream named after a source address (`203.0.113.5`, or `2001_db8__1` for `2001:db8::1` as
 * toLogStreamName writes it): where the syslog service puts an event whose host name the cap on
 * new streams (NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE / _PER_MINUTE) refused a stream of its own.
 * The event keeps its real `host`.
 */
export function isSourceAddressStream(stream: string): boolean {
  return isIP(stream) === 4 || (stream.includes('_') && isIP(stream.replaceAll('_', ':')) === 6);
}

/** Host names a quoted filter term can carry as they are, and JSON writes unescaped. */
const plainHost = /^[A-Za-z0-9._:-]+$/;

/**
 * The events of one syslog device in `[from, to)`: its own stream, merged in time (then stream)
 * order with the events whose `host` is the device in the source address streams. FilterLogEvents
 * gets the name as a term (`"<device>"`: events that contain it) to fetch less; `host` is checked
 * here for every source.
 */
export async function syslogDeviceEvents(source: EventSource, query: EventQuery, device: string): Promise<AsyncIterable<AuditEvent>> {
  const own = toLogStreamName(device);
  const capped = (await source.streams('syslog', query)).filter((s) => s !== own && isSourceAddressStream(s));
  const ownEvents = source.events({ ...query, streams: [own] });
  if (capped.length === 0) return ownEvents;
  const hint = plainHost.test(device) ? { hint: `"${device}"` } : {};
  return mergeByTime([ownEvents, ofHost(source.events({ ...query, streams: capped, ...hint }), device)]);
}

async function* ofHost(events: AsyncIterable<AuditEvent>, host: string): AsyncGenerator<AuditEvent> {
  for await (const event of events) if (parseEvent(event.message)?.['host'] === host) yield event;
}
