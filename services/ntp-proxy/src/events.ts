/**
 * The `ntp/1` events (README.md defines every field). One JSON object per CloudWatch log event in
 * `<prefix>/ntp`; field names are a public interface for Logs Insights queries: a rename needs
 * `ntp/2`. Stream `upstream` takes the upstream samples and status changes; each client address has
 * its own stream (as each device has in syslog) for its summaries and clock warnings.
 */
import { NTP_UPSTREAM_STREAM, schemaIds } from '@netsidecar/contracts';
import { EventWriter, type ReasonCounter } from '@netsidecar/runtime';
import type { Sink } from '@netsidecar/sink';

export const ntpSchema = schemaIds.ntp1;
export const upstreamStream = NTP_UPSTREAM_STREAM;

interface EventBase {
  schema: typeof ntpSchema;
  /** UTC, ms, the service's (served) clock; also the CloudWatch event timestamp. */
  time: string;
}

export interface UpstreamSampleEvent extends EventBase {
  type: 'upstream_sample';
  server: string;
  /** `ok`, `timeout`, `send_failed` or a reject reason (`unsynchronised`, `kiss`, ...). */
  result: string;
  kissCode: string | null;
  offsetMs: number | null;
  delayMs: number | null;
  stratum: number | null;
  leap: number | null;
  rootDelayMs: number | null;
  rootDispersionMs: number | null;
  refId: string | null;
  /** After this sample, the service follows this server. */
  selected: boolean;
  synchronised: boolean;
  /** What the service serves after this sample. */
  servedOffsetMs: number;
  servedStratum: number;
  servedRootDelayMs: number;
  servedRootDispersionMs: number;
  /** Fargate's ClockErrorBound for this task, when the task metadata endpoint gives it. */
  hostClockErrorBoundMs: number | null;
}

export interface StatusEvent extends EventBase {
  type: 'status';
  synchronised: boolean;
  previousSynchronised: boolean;
  selected: string | null;
  previousSelected: string | null;
  leap: number;
  stratum: number;
  refId: string;
  offsetMs: number;
  rootDelayMs: number;
  rootDispersionMs: number;
  lastSampleAgeS: number | null;
  holdoverS: number;
  reason: string | null;
}

export type OffsetMethodField = 'exchange' | 'transmit' | 'hidden' | null;

export interface ClientSummaryEvent extends EventBase {
  type: 'client_summary';
  clientIp: string;
  periodStart: string;
  periodEnd: string;
  requests: number;
  timeReplies: number;
  kodSent: number;
  cryptoNakSent: number;
  dropped: number;
  versions: number[];
  /** Every request of the period carried a valid MAC. */
  authenticated: boolean;
  authenticatedRequests: number;
  unauthenticatedRequests: number;
  authFailures: number;
  keyId: number | null;
  clientOffsetMs: number | null;
  clientOffsetBoundMs: number | null;
  clientOffsetMethod: OffsetMethodField;
}

export interface ClientClockWarningEvent extends EventBase {
  type: 'client_clock_warning';
  clientIp: string;
  version: number;
  clientOffsetMs: number;
  clientOffsetBoundMs: number | null;
  clientOffsetMethod: 'exchange' | 'transmit';
  thresholdMs: number;
  message: string;
}

export type NtpEvent = UpstreamSampleEvent | StatusEvent | ClientSummaryEvent | ClientClockWarningEvent;

type WithoutBase<E> = E extends EventBase ? Omit<E, 'schema' | 'time'> : never;

/**
 * The ntp/1 events, typed, written through the runtime's EventWriter (which stamps them, names the
 * stream and counts refusals in `netsidecar_ntp_events_dropped_total{reason}`).
 */
export class NtpEvents {
  readonly #writer: EventWriter;

  constructor(options: { sink: Sink; logGroup: string; dropped: ReasonCounter }) {
    this.#writer = new EventWriter(options);
  }

  write(stream: string, timeMs: number, fields: WithoutBase<NtpEvent>): void {
    this.#writer.writeEvent(stream, timeMs, ntpSchema, fields);
  }
}

/** ns → ms with µs kept, for event fields. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
