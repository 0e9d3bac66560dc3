import { serviceTable } from '@netsidecar/contracts';
import { boolean, byteSize, duration, integer, oneOf, port, text, type Variable } from '@netsidecar/config';
import { udpIoModes, type UdpIoMode } from '@netsidecar/udp-batch';

const { ports } = serviceTable.syslog;
const optionalPath = (raw: string): string | null => text(raw);

const workerCount = integer(0, 64);

function parseWorkers(raw: string): number | 'auto' {
  if (raw.trim() === 'auto') return 'auto';
  try {
    return workerCount(raw);
  } catch {
    throw new Error('expected auto or an integer from 0 to 64');
  }
}

/** The syslog service's own variables (README.md lists them). */
export const syslogVariables = {
  NETSIDECAR_SYSLOG_BIND_ADDRESS: {
    parse: text,
    default: '::', // every IPv6 and IPv4 address; falls back to 0.0.0.0 where IPv6 is off
    description: 'Address the UDP, TCP and TLS listeners bind to.',
  },
  NETSIDECAR_SYSLOG_UDP_PORT: { parse: port, default: ports.udp, description: 'UDP syslog (RFC 5426); the NLB maps UDP 514 here.' },
  NETSIDECAR_SYSLOG_TCP_PORT: { parse: port, default: ports.tcp, description: 'TCP syslog, RFC 6587 octet-counting or LF framing; the NLB maps TCP 601 here.' },
  NETSIDECAR_SYSLOG_TLS_PORT: { parse: port, default: ports.tls, description: 'TLS syslog (RFC 5425); only opened when a certificate is configured.' },
  NETSIDECAR_SYSLOG_TLS_CERT_FILE: { parse: optionalPath, default: null as string | null, description: 'PEM certificate chain for the TLS listener.' },
  NETSIDECAR_SYSLOG_TLS_KEY_FILE: { parse: optionalPath, default: null as string | null, description: 'PEM private key for the TLS listener.' },
  NETSIDECAR_SYSLOG_HEALTH_PORT: { parse: port, default: ports.health, description: 'GET /healthz and GET /metrics.' },
  NETSIDECAR_SYSLOG_UDP_RECEIVE_BUFFER: {
    parse: byteSize(64 * 1024, 1024 ** 3),
    default: 32 * 1024 * 1024, // 32 MiB: about 50,000 typical datagrams absorb a 0.5 s stall; the kernel caps it at net.core.rmem_max
    description: 'UDP socket receive buffer (SO_RCVBUF); the effective size is logged at start.',
  },
  NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE: {
    parse: byteSize(0, 1024 ** 3),
    // 8 MiB: about 35,000 typical datagrams, 0.35 s at 100,000/s, wherever rmem_max cannot be raised (Fargate: ~208 KiB)
    default: 8 * 1024 * 1024,
    description:
      'With the recvmmsg addon: a thread of its own reads UDP into a queue of this many bytes, so a busy event loop does not leave the kernel buffer to overflow; 0 reads on the event loop.',
  },
  NETSIDECAR_SYSLOG_UDP_IO: {
    parse: oneOf(udpIoModes),
    default: 'auto' as UdpIoMode, // recvmmsg where the addon is built (Linux), else node:dgram with a warning
    description: 'How UDP is read: recvmmsg (the udp-batch addon, many datagrams per system call), dgram (node:dgram), or auto.',
  },
  NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: {
    parse: byteSize(480, 16 * 1024 * 1024), // RFC 5424 receivers must accept 480 bytes
    default: 64 * 1024, // 64 KiB: the largest UDP datagram; RFC 5425 suggests receivers take at least 8 KiB
    description: 'Largest message accepted; larger ones are counted as message_too_large.',
  },
  NETSIDECAR_SYSLOG_PARSE_WORKERS: {
    parse: parseWorkers,
    default: 'auto' as number | 'auto', // 2 when there is a core for each beside the reading thread, else 1 and a second for streams (parseWorkerCount)
    description:
      'Worker threads that parse UDP datagrams and TCP/TLS frames (results are delivered in the order read, so each device keeps its order); 0 = none; auto = 2 with 3 or more cores; with 2 cores 1, and a second once TCP or TLS senders wait on it; 1 core: 1.',
  },
  NETSIDECAR_SYSLOG_SCHEMA: {
    parse: (raw: string): 1 | 2 => (oneOf(['1', '2'] as const)(raw) === '1' ? 1 : 2),
    default: 2 as 1 | 2, // the saved queries, the alarms' metric filter and the audit CLI read both
    description:
      'The event written: 2 (syslog/2, under half the bytes of syslog/1, nothing lost) or 1 (syslog/1, for saved queries or filters of your own that read its fields).',
  },
  NETSIDECAR_SYSLOG_NATIVE_ENCODER: {
    parse: boolean,
    default: true, // the same bytes as the TypeScript encoder (tested line for line), at a fraction of the CPU
    description:
      'Encode the commonest Cisco IOS lines (UTC clock, %FAC-SEV-MNEMONIC code) to syslog/2 in C where the addon is built; false leaves every line to the TypeScript parser.',
  },
  NETSIDECAR_SYSLOG_MAX_CONNECTIONS: {
    parse: integer(1, 1_000_000),
    default: 10_000,
    description: 'Open TCP and TLS connections at most; more are refused and counted.',
  },
  NETSIDECAR_SYSLOG_FRAME_BUDGET: {
    parse: byteSize(64 * 1024, 4 * 1024 ** 3),
    default: 32 * 1024 * 1024, // 32 MiB: 511 unfinished 64 KiB frames at once; routers rarely leave one pending
    description: 'Memory for unfinished TCP/TLS frames across all connections; when used up, connections not holding one stop being read (TCP backpressure).',
  },
  NETSIDECAR_SYSLOG_FRAME_TIMEOUT: {
    parse: duration(1_000),
    default: 10_000, // 10 s: a router sends a frame in milliseconds; only a stalled or hostile sender takes longer
    description: 'While the frame budget is used up, a connection whose unfinished frame is older than this is closed (held_frame_timeout).',
  },
  NETSIDECAR_SYSLOG_IDLE_TIMEOUT: {
    parse: duration(1_000),
    default: 15 * 60_000, // 15 min: routers keep quiet connections open between bursts
    description: 'A TCP or TLS connection silent for this long is closed and counted as idle_timeout.',
  },
  NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE: {
    parse: integer(0, 1_000_000),
    default: 30, // a router names itself: one stream; a relay forwarding many devices gets 30 at once, then 30 a minute
    description:
      'New log streams (host names) one source address may open per minute; beyond, its events go to the source address stream (streams_capped_total{reason=source_limit}). 0: no cap.',
  },
  NETSIDECAR_SYSLOG_NEW_STREAMS_PER_MINUTE: {
    parse: integer(0, 1_000_000),
    default: 600, // 10 a second on average: CloudWatch limits CreateLogStream per account, and each new stream costs calls
    description:
      'New log streams all sources together may open per minute; beyond, events go to their source address stream (streams_capped_total{reason=global_limit}). 0: no cap.',
  },
} satisfies Record<string, Variable<unknown>>;
