import type { Registry } from 'prom-client';
import { capReasons } from '@netsidecar/runtime';
import { HotCounter, counter, gauge } from '@netsidecar/telemetry';

/**
 * Reason codes for everything the service did not turn into an event. Each is a label value of
 * `netsidecar_syslog_dropped_total{reason}`; README.md explains them.
 */
export const dropReasons = [
  'message_too_large', // a UDP datagram or TCP frame above NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE
  'sink_full', // the sink's memory and spool were full: only UDP can end here; TCP is paused instead
  'parse_backlog', // UDP read by node:dgram while the parse workers were behind (recvmmsg stops reading instead)
  'sink_closed', // arrived while shutting down
  'framing_error', // a TCP octet count that was not a number: the connection is closed
  'truncated_frame', // the connection ended inside an octet-counted frame
  'connection_limit', // a TCP or TLS connection above NETSIDECAR_SYSLOG_MAX_CONNECTIONS
  'idle_timeout', // a connection silent for NETSIDECAR_SYSLOG_IDLE_TIMEOUT (a connection, not a message)
  'tls_handshake_failed', // a TLS client that did not complete the handshake (a connection, not a message)
  'empty', // an empty datagram or frame: nothing to keep
  'held_frame_timeout', // a connection whose unfinished frame held the frame budget too long while others waited (a connection)
  'shutdown_deadline', // a connection still sending when the shutdown's reading time ended (a connection)
] as const;
export type DropReason = (typeof dropReasons)[number];

/** Gauge of the datagrams the kernel dropped for the UDP socket (from /proc/net/udp*): loss before we read. */
export const UDP_KERNEL_DROPS_METRIC = 'netsidecar_syslog_udp_kernel_drops';
/** Gauges of the UDP receive queue (NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE): bytes held now, and times its thread found it full. */
export const UDP_RECEIVE_QUEUE_BYTES_METRIC = 'netsidecar_syslog_udp_receive_queue_bytes';
export const UDP_RECEIVE_QUEUE_FULL_METRIC = 'netsidecar_syslog_udp_receive_queue_full_waits';

export type SyslogMetrics = ReturnType<typeof createSyslogMetrics>;

export function createSyslogMetrics(registry: Registry) {
  const dropped = counter(registry, 'netsidecar_syslog_dropped_total', 'Inputs not turned into events, by reason code', ['reason']);
  for (const reason of dropReasons) dropped.inc({ reason }, 0); // every reason visible at 0 from the start
  return {
    // Counted once per message: hot counters (see HotCounter).
    received: new HotCounter(registry, 'netsidecar_syslog_received_total', 'Syslog messages received, by transport', ['transport']),
    parsed: new HotCounter(registry, 'netsidecar_syslog_parsed_total', 'Messages parsed, by the format recognised', ['format']),
    unparsed: new HotCounter(registry, 'netsidecar_syslog_unparsed_total', 'Messages kept whole as the message because no format matched'),
    dropped,
    // Not a loss: the events went to their source address stream (NETSIDECAR_SYSLOG_NEW_STREAMS_*).
    streamsCapped: capped(registry),
    connections: gauge(registry, 'netsidecar_syslog_connections', 'Open TCP and TLS connections', ['transport']),
    udpReceiveBuffer: gauge(registry, 'netsidecar_syslog_udp_receive_buffer_bytes', 'Effective UDP receive buffer (SO_RCVBUF)'),
  };
}

function capped(registry: Registry) {
  const streamsCapped = counter(
    registry,
    'netsidecar_syslog_streams_capped_total',
    'Events sent to their source address stream because the cap on new streams refused their host name its own, by reason',
    ['reason'],
  );
  for (const reason of capReasons) streamsCapped.inc({ reason }, 0);
  return streamsCapped;
}
