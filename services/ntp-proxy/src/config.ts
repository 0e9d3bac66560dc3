import { serviceTable } from '@netsidecar/contracts';
import { boolean, byteSize, duration, integer, oneOf, port, text, type Variable } from '@netsidecar/config';
import { udpIoModes, type UdpIoMode } from '@netsidecar/udp-batch';
import { parseUpstream, type UpstreamSetting } from './upstream/server-list.js';

const { ports } = serviceTable.ntp;
const optionalPath = (raw: string): string | null => text(raw);

/** The NTP service's own variables (README.md lists them). */
export const ntpVariables = {
  NETSIDECAR_NTP_BIND_ADDRESS: {
    parse: text,
    default: '::', // every IPv6 and IPv4 address; falls back to 0.0.0.0 where IPv6 is off
    description: 'Address the NTP UDP socket binds to.',
  },
  NETSIDECAR_NTP_PORT: { parse: port, default: ports.udp, description: 'NTP over UDP; the NLB maps UDP 123 here.' },
  NETSIDECAR_NTP_HEALTH_PORT: { parse: port, default: ports.health, description: 'GET /healthz and GET /metrics.' },
  NETSIDECAR_NTP_UPSTREAM: {
    parse: parseUpstream,
    // `local` so that `npm start` works off AWS; the image sets the Amazon Time Sync address.
    default: { kind: 'local' } as UpstreamSetting,
    description: "'local' (this machine's clock, refid LOCL) or upstream servers: 169.254.169.123,[fd00:ec2::123] (port optional).",
  },
  NETSIDECAR_NTP_POLL_INTERVAL: {
    parse: duration(1_000, 36 * 3_600_000),
    default: 16_000, // 16 s (poll 4): what AWS recommends for chrony against 169.254.169.123 (minpoll 4 maxpoll 4)
    description: 'How often each upstream server is asked, after a start burst of 4 requests 2 s apart.',
  },
  NETSIDECAR_NTP_HOLDOVER: {
    parse: duration(0, 7 * 24 * 3_600_000),
    default: 3_600_000, // 1 h: root dispersion has grown to 54 ms by then (15 µs/s)
    description: 'How long the service keeps serving as synchronised without a valid upstream sample; then LI=3, stratum 0, not ready.',
  },
  NETSIDECAR_NTP_LOCAL_STRATUM: {
    parse: integer(1, 15),
    default: 10, // as chrony's `local stratum 10`: far below any real source
    description: "Stratum served when NETSIDECAR_NTP_UPSTREAM is 'local'.",
  },
  NETSIDECAR_NTP_KEYS_FILE: {
    parse: optionalPath,
    default: null as string | null,
    description: 'Symmetric keys, chrony keyfile format: ID TYPE KEY (MD5, SHA1, AES128; HEX:... or ASCII:...).',
  },
  NETSIDECAR_NTP_KEYS: {
    parse: optionalPath,
    default: null as string | null,
    description:
      'The same keys as NETSIDECAR_NTP_KEYS_FILE, as the variable\'s value (lines separated by newlines or ";"): how ECS injects a Secrets Manager secret. Set one of the two.',
  },
  NETSIDECAR_NTP_REQUIRE_AUTH: {
    parse: boolean,
    default: false,
    description: 'When true, requests without a MAC are dropped (auth_required); needs NETSIDECAR_NTP_KEYS_FILE.',
  },
  NETSIDECAR_NTP_RATE_LIMIT: { parse: boolean, default: true, description: 'Per-client response rate limiting with KoD RATE.' },
  NETSIDECAR_NTP_RATE_LIMIT_INTERVAL: {
    parse: integer(-4, 12),
    default: 3, // chrony's default: 2^3 = 8 s between responses on average
    description: 'log2 of the average seconds between responses a client may get (chrony ratelimit interval).',
  },
  NETSIDECAR_NTP_RATE_LIMIT_BURST: {
    parse: integer(1, 255),
    default: 8,
    description: 'Responses a client may get above the average (chrony ratelimit burst).',
  },
  NETSIDECAR_NTP_RATE_LIMIT_LEAK: {
    parse: integer(0, 4),
    default: 2, // 1 in 4 limited requests gets a KoD RATE
    description: 'log2 of how many limited requests get one KoD RATE (chrony ratelimit leak).',
  },
  NETSIDECAR_NTP_MAX_CLIENTS: {
    parse: integer(16, 10_000_000),
    default: 100_000, // about 40 MB at most; a router estate is a few thousand
    description: 'Client addresses remembered (rate limit, offset estimate, summary counts); least recently seen first out.',
  },
  NETSIDECAR_NTP_CLIENT_SUMMARY_INTERVAL: {
    parse: duration(1_000, 24 * 3_600_000),
    default: 5 * 60_000, // 5 min
    description: 'How often each active client gets a client_summary event.',
  },
  NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD: {
    parse: duration(1, 24 * 3_600_000),
    default: 1_000, // 1 s
    description: 'A client clock off by more than this gets a client_clock_warning event.',
  },
  NETSIDECAR_NTP_UDP_IO: {
    parse: oneOf(udpIoModes),
    default: 'auto' as UdpIoMode, // recvmmsg/sendmmsg where the addon is built (Linux), else node:dgram with a warning
    description: 'How requests are read and answered: recvmmsg (the udp-batch addon, many per system call), dgram (node:dgram), or auto.',
  },
  NETSIDECAR_NTP_UDP_RECEIVE_BUFFER: {
    parse: byteSize(64 * 1024, 1024 ** 3),
    default: 8 * 1024 * 1024, // 8 MiB: about 90,000 requests, a 1 s stall at 50k/s with room; capped by net.core.rmem_max
    description: 'UDP socket receive buffer (SO_RCVBUF); the effective size is logged at start.',
  },
} satisfies Record<string, Variable<unknown>>;
