/**
 * The fields of each `ntp/1` event, from the service's state (README.md defines them). Kept apart from
 * the wiring so that what a field means is in one place.
 */
import { refIdToString } from './packet/refid.js';
import { nsToMs } from './packet/ntp-time.js';
import { roundMs, type ClientClockWarningEvent, type ClientSummaryEvent, type StatusEvent, type UpstreamSampleEvent } from './events.js';
import type { ClientOffset } from './server/client-offset.js';
import type { ClientSummary } from './server/client-table.js';
import type { HostClockBound } from './upstream/host-clock-bound.js';
import type { ReferenceState, Transition } from './upstream/reference.js';
import type { QueryResult } from './upstream/sntp-client.js';
import type { ReferenceSource } from './upstream/source.js';

type Fields<E> = Omit<E, 'schema' | 'time'>;

export function upstreamSampleFields(
  source: ReferenceSource,
  result: QueryResult,
  state: ReferenceState,
  hostClock: HostClockBound | null,
): Fields<UpstreamSampleEvent> {
  const sample = result.ok ? result.sample : null;
  return {
    type: 'upstream_sample',
    server: source.label,
    result: result.ok ? 'ok' : result.reason,
    kissCode: result.ok ? null : result.kissCode,
    offsetMs: sample ? roundMs(nsToMs(sample.offsetNs)) : null,
    delayMs: sample ? roundMs(nsToMs(sample.delayNs)) : null,
    stratum: sample ? sample.stratum : result.ok ? null : result.stratum,
    leap: sample ? sample.leap : result.ok ? null : result.leap,
    rootDelayMs: sample ? roundMs(sample.rootDelayS * 1000) : null,
    rootDispersionMs: sample ? roundMs(sample.rootDispersionS * 1000) : null,
    refId: sample ? (source.local ? 'LOCL' : refIdToString(sample.refId, sample.stratum)) : null,
    selected: state.selected === source.label,
    synchronised: state.synchronised,
    servedOffsetMs: roundMs(nsToMs(state.offsetNs)),
    servedStratum: state.stratum,
    servedRootDelayMs: roundMs(state.rootDelayS * 1000),
    servedRootDispersionMs: roundMs(state.rootDispersionS * 1000),
    hostClockErrorBoundMs: hostClock?.boundMs ?? null,
  };
}

export function statusFields(change: Transition, state: ReferenceState, holdoverMs: number): Fields<StatusEvent> {
  return {
    type: 'status',
    ...change,
    leap: state.leap,
    stratum: state.stratum,
    refId: state.refIdText,
    offsetMs: roundMs(nsToMs(state.offsetNs)),
    rootDelayMs: roundMs(state.rootDelayS * 1000),
    rootDispersionMs: roundMs(state.rootDispersionS * 1000),
    lastSampleAgeS: state.lastSampleAgeS === null ? null : Math.round(state.lastSampleAgeS * 1000) / 1000,
    holdoverS: holdoverMs / 1000,
    reason: state.reason,
  };
}

export function clientSummaryFields(summary: ClientSummary): Fields<ClientSummaryEvent> {
  const offset = summary.offset;
  return {
    type: 'client_summary',
    clientIp: summary.clientIp,
    periodStart: new Date(summary.periodStartMs).toISOString(),
    periodEnd: new Date(summary.periodEndMs).toISOString(),
    requests: summary.requests,
    timeReplies: summary.timeReplies,
    kodSent: summary.kodSent,
    cryptoNakSent: summary.cryptoNakSent,
    dropped: summary.dropped,
    versions: summary.versions,
    authenticated: summary.authenticatedRequests > 0 && summary.authenticatedRequests === summary.requests,
    authenticatedRequests: summary.authenticatedRequests,
    unauthenticatedRequests: summary.unauthenticatedRequests,
    authFailures: summary.authFailures,
    keyId: summary.keyId,
    clientOffsetMs: offset ? roundMs(nsToMs(offset.offsetNs)) : null,
    clientOffsetBoundMs: offset?.boundNs != null ? roundMs(nsToMs(offset.boundNs)) : null,
    clientOffsetMethod: offset ? offset.method : summary.offsetHidden ? 'hidden' : null,
  };
}

export function clientWarningFields(clientIp: string, version: number, offset: ClientOffset, thresholdMs: number): Fields<ClientClockWarningEvent> {
  const offsetMs = roundMs(nsToMs(offset.offsetNs));
  return {
    type: 'client_clock_warning',
    clientIp,
    version,
    clientOffsetMs: offsetMs,
    clientOffsetBoundMs: offset.boundNs === null ? null : roundMs(nsToMs(offset.boundNs)),
    clientOffsetMethod: offset.method,
    thresholdMs,
    message: `client clock is ${Math.abs(offsetMs / 1000).toFixed(3)} s ${offsetMs > 0 ? 'ahead' : 'behind'} (threshold ${thresholdMs / 1000} s)`,
  };
}
