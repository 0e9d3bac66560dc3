import type { Registry } from 'prom-client';
import { counter, gauge } from '@netsidecar/telemetry';
import type { Reference } from './upstream/reference.js';
import { rejectReasons } from './upstream/sample.js';

/**
 * Reason codes for requests that got no reply. Each is a label value of
 * `netsidecar_ntp_dropped_total{reason}`; README.md explains them.
 */
export const dropReasons = [
  'too_short', // fewer than 48 bytes
  'control_query', // mode 6 (ntpq) or 7 (ntpdc, monlist): never answered
  'not_client_mode', // any other mode than 3 (symmetric, broadcast, server, reserved)
  'bad_version', // VN 0
  'malformed', // extension fields or MAC of impossible lengths
  'rate_limited', // over the per-client rate limit, and not picked for a KoD RATE
  'auth_required', // no MAC while NETSIDECAR_NTP_REQUIRE_AUTH is on
  'reply_too_large', // a reply would be larger than its request (never expected: a safety net)
  'send_failed', // the kernel refused the reply
] as const;
export type DropReason = (typeof dropReasons)[number];

export const replyKinds = ['time', 'unsynchronised', 'kod_rate', 'crypto_nak'] as const;
export type ReplyKind = (typeof replyKinds)[number];

export const authResults = ['ok', 'none', 'bad_mac', 'unknown_key'] as const;
export type AuthResult = (typeof authResults)[number];

export const upstreamResults = ['ok', 'timeout', 'send_failed', ...rejectReasons] as const;

export type NtpMetrics = ReturnType<typeof createNtpMetrics>;

export function createNtpMetrics(registry: Registry) {
  const dropped = counter(registry, 'netsidecar_ntp_dropped_total', 'Requests not answered, by reason code', ['reason']);
  for (const reason of dropReasons) dropped.inc({ reason }, 0); // every reason visible at 0 from the start
  const replies = counter(registry, 'netsidecar_ntp_replies_total', 'Replies sent, by kind', ['kind']);
  for (const kind of replyKinds) replies.inc({ kind }, 0);
  const auth = counter(registry, 'netsidecar_ntp_auth_total', 'Mode 3 requests by authentication result', ['result']);
  for (const result of authResults) auth.inc({ result }, 0);
  return {
    requests: counter(registry, 'netsidecar_ntp_requests_total', 'NTP datagrams received'),
    replies,
    dropped,
    auth,
    upstreamSamples: counter(registry, 'netsidecar_ntp_upstream_samples_total', 'Upstream queries, by server and result (ok, timeout or a reject reason)', [
      'server',
      'result',
    ]),
    upstreamStray: counter(registry, 'netsidecar_ntp_upstream_stray_total', 'Datagrams on the upstream socket that answered no request of ours', ['reason']),
    upstreamOffset: gauge(registry, 'netsidecar_ntp_upstream_offset_seconds', 'Offset of the last valid sample (upstream − raw clock)', ['server']),
    upstreamDelay: gauge(registry, 'netsidecar_ntp_upstream_delay_seconds', 'Round-trip delay of the last valid sample', ['server']),
    clientsEvicted: counter(
      registry,
      'netsidecar_ntp_clients_evicted_total',
      'Clients dropped from the full client table (least recently seen first); their counts since the last summary are lost',
    ),
    clientClockWarnings: counter(
      registry,
      'netsidecar_ntp_client_clock_warnings_total',
      'client_clock_warning events: a client clock off by more than the threshold',
    ),
    eventsDropped: counter(registry, 'netsidecar_ntp_events_dropped_total', 'ntp/1 events the sink refused', ['reason']),
    udpReceiveBuffer: gauge(registry, 'netsidecar_ntp_udp_receive_buffer_bytes', 'Effective UDP receive buffer (SO_RCVBUF)'),
  };
}

/** Gauges read from the reference at each scrape (and EMF publication). */
export function registerReferenceGauges(registry: Registry, reference: Reference): void {
  gauge(registry, 'netsidecar_ntp_synchronised', '1 while serving synchronised time, 0 while answering LI=3 (unsynchronised)', [], function () {
    this.set(reference.state().synchronised ? 1 : 0);
  });
  gauge(registry, 'netsidecar_ntp_offset_seconds', 'Offset applied to the served clock (upstream estimate − raw clock)', [], function () {
    this.set(Number(reference.state().offsetNs) / 1e9);
  });
  gauge(registry, 'netsidecar_ntp_root_delay_seconds', 'Root delay served', [], function () {
    this.set(reference.state().rootDelayS);
  });
  gauge(registry, 'netsidecar_ntp_root_dispersion_seconds', 'Root dispersion served (grows with the age of the last sample)', [], function () {
    this.set(reference.state().rootDispersionS);
  });
  gauge(registry, 'netsidecar_ntp_stratum', 'Stratum served (0 when unsynchronised)', [], function () {
    this.set(reference.state().stratum);
  });
  gauge(registry, 'netsidecar_ntp_last_sample_age_seconds', 'Seconds since the last valid upstream sample', [], function () {
    const age = reference.state().lastSampleAgeS;
    if (age !== null) this.set(age);
  });
}
