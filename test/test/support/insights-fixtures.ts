// Events shaped exactly as the services emit them (syslog/1: docs/ARCHITECTURE.md and
// packages/contracts/src/syslog/syslog1.ts; ntp/1: services/ntp-proxy/README.md), for Logs Insights tests.
import type { InsightsEvent } from '@netsidecar/test-support';
import { FACILITY_NAMES, SEVERITY_NAMES } from '@netsidecar/contracts';

export const SYSLOG_GROUP = '/netsidecar/syslog';
export const NTP_GROUP = '/netsidecar/ntp';
/** 2026-03-01 12:00:00.000 UTC. */
export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export interface SyslogFields {
  host?: string | null;
  sourceIp?: string;
  severity?: number | null;
  facility?: number | null;
  app?: string | null;
  msgId?: string | null;
  message?: string;
  vendor?: Record<string, unknown> | null;
  structuredData?: Record<string, Record<string, string | string[]>> | null;
  transport?: 'udp' | 'tcp' | 'tls';
}

/** A syslog/1 event as one CloudWatch log event: timestamp = receivedAt, stream = host else source IP. */
export function syslogEvent(at: number, fields: SyslogFields = {}): InsightsEvent {
  const severity = fields.severity === undefined ? 5 : fields.severity;
  const facility = fields.facility === undefined ? 23 : fields.facility;
  const host = fields.host === undefined ? 'rtr-tyo-1' : fields.host;
  const sourceIp = fields.sourceIp ?? '203.0.113.5';
  const message = fields.message ?? 'Interface GigabitEthernet0/1, changed state to down';
  const event = {
    schema: 'syslog/1',
    receivedAt: new Date(at).toISOString(),
    sourceIp,
    sourcePort: 51514,
    transport: fields.transport ?? 'udp',
    facility,
    severity,
    facilityName: facility === null ? null : FACILITY_NAMES[facility],
    severityName: severity === null ? null : SEVERITY_NAMES[severity],
    timestamp: new Date(at - 3).toISOString(),
    timestampRaw: 'Mar  1 12:00:00.003 UTC',
    host,
    app: fields.app === undefined ? null : fields.app,
    procId: null,
    msgId: fields.msgId === undefined ? null : fields.msgId,
    message,
    structuredData: fields.structuredData === undefined ? null : fields.structuredData,
    vendor: fields.vendor === undefined ? null : fields.vendor,
    raw: `<${(facility ?? 1) * 8 + (severity ?? 5)}>${message}`,
  };
  return { timestamp: at, ingestionTime: at + 200, message: JSON.stringify(event), logStream: host ?? sourceIp, logGroup: SYSLOG_GROUP };
}

export function ntpEvent(at: number, stream: string, fields: Record<string, unknown>): InsightsEvent {
  const event = { schema: 'ntp/1', time: new Date(at).toISOString(), ...fields };
  return { timestamp: at, ingestionTime: at + 150, message: JSON.stringify(event), logStream: stream, logGroup: NTP_GROUP };
}

export function upstreamSample(at: number, fields: Record<string, unknown> = {}): InsightsEvent {
  return ntpEvent(at, 'upstream', {
    type: 'upstream_sample',
    server: '169.254.169.123:123',
    result: 'ok',
    kissCode: null,
    offsetMs: 0.012,
    delayMs: 0.174,
    stratum: 1,
    leap: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0.122,
    refId: 'GPS',
    selected: true,
    synchronised: true,
    servedOffsetMs: 0.011,
    servedStratum: 2,
    servedRootDelayMs: 0.174,
    servedRootDispersionMs: 0.131,
    hostClockErrorBoundMs: 0.31,
    ...fields,
  });
}

export function clientSummary(at: number, clientIp: string, fields: Record<string, unknown> = {}): InsightsEvent {
  return ntpEvent(at, clientIp.replaceAll(':', '_'), {
    type: 'client_summary',
    clientIp,
    periodStart: new Date(at - 5 * MINUTE).toISOString(),
    periodEnd: new Date(at).toISOString(),
    requests: 19,
    timeReplies: 18,
    kodSent: 1,
    cryptoNakSent: 0,
    dropped: 0,
    versions: [3, 4],
    authenticated: true,
    authenticatedRequests: 19,
    unauthenticatedRequests: 0,
    authFailures: 0,
    keyId: 10,
    clientOffsetMs: -2.71,
    clientOffsetBoundMs: 0.4,
    clientOffsetMethod: 'exchange',
    ...fields,
  });
}

export function clockWarning(at: number, clientIp: string, offsetMs: number): InsightsEvent {
  return ntpEvent(at, clientIp.replaceAll(':', '_'), {
    type: 'client_clock_warning',
    clientIp,
    version: 4,
    clientOffsetMs: offsetMs,
    clientOffsetBoundMs: 0.4,
    clientOffsetMethod: 'exchange',
    thresholdMs: 1000,
    message: `client clock is ${Math.abs(offsetMs / 1000).toFixed(3)} s ${offsetMs < 0 ? 'behind' : 'ahead'} (threshold 1 s)`,
  });
}

/** A mixed day: three routers' syslog over an hour, NTP upstream samples, summaries and warnings. */
export function realisticEvents(): InsightsEvent[] {
  return [
    syslogEvent(T0 + 1 * SECOND, {
      host: 'rtr-tyo-1',
      severity: 3,
      msgId: 'LINK-3-UPDOWN',
      message: 'Interface GigabitEthernet0/1, changed state to down',
      vendor: { name: 'cisco', counter: 65, seq: 65, mnemonic: 'LINK-3-UPDOWN', facility: 'LINK', severity: 3 },
    }),
    syslogEvent(T0 + 2 * SECOND, {
      host: 'rtr-tyo-1',
      severity: 5,
      msgId: 'LINEPROTO-5-UPDOWN',
      message: 'Line protocol on Interface GigabitEthernet0/1, changed state to down',
      vendor: { name: 'cisco', counter: 66, seq: 66, mnemonic: 'LINEPROTO-5-UPDOWN', facility: 'LINEPROTO', severity: 5 },
    }),
    syslogEvent(T0 + 4 * MINUTE + 59 * SECOND + 999, {
      host: 'rtr-tyo-1',
      severity: 5,
      msgId: 'BGP-5-ADJCHANGE',
      message: 'neighbor 10.1.1.1 Down BGP Notification sent',
      vendor: { name: 'cisco', counter: 67, mnemonic: 'BGP-5-ADJCHANGE', facility: 'BGP', severity: 5 },
    }),
    syslogEvent(T0 + 5 * MINUTE, {
      host: 'rtr-tyo-1',
      severity: 5,
      msgId: 'BGP-5-ADJCHANGE',
      message: 'neighbor 10.1.1.1 Up',
      vendor: { name: 'cisco', counter: 68, mnemonic: 'BGP-5-ADJCHANGE', facility: 'BGP', severity: 5 },
    }),
    syslogEvent(T0 + 7 * MINUTE, {
      host: 'rtr-osa-2',
      sourceIp: '203.0.113.6',
      severity: 4,
      app: 'rpd',
      msgId: 'BGP_PREFIX_THRESH_EXCEEDED',
      facility: 3,
      message: 'BGP_PREFIX_THRESH_EXCEEDED: 10.1.1.1 (External AS 64512): Configured maximum prefix-limit threshold(160) exceeded',
      structuredData: { 'junos@2636.1.1.1.2.18': { 'peer-name': '10.1.1.1', 'peer-as': '64512' } },
      vendor: { name: 'junos' },
    }),
    syslogEvent(T0 + 8 * MINUTE, {
      host: 'rtr-osa-2',
      sourceIp: '203.0.113.6',
      severity: 4,
      app: 'sshd',
      facility: 4,
      transport: 'tls',
      message: 'Failed password for admin from 198.51.100.7 port 52144 ssh2',
    }),
    syslogEvent(T0 + 9 * MINUTE, {
      host: 'rtr-osa-2',
      sourceIp: '203.0.113.6',
      severity: 4,
      app: 'sshd',
      facility: 4,
      transport: 'tls',
      message: 'Failed password for root from 198.51.100.7 port 52145 ssh2',
    }),
    syslogEvent(T0 + 12 * MINUTE, { host: null, sourceIp: '198.51.100.20', severity: null, facility: null, message: 'garbage without a PRI' }),
    syslogEvent(T0 + 31 * MINUTE, {
      host: 'rtr-tyo-1',
      severity: 0,
      msgId: 'SYS-0-PANIC',
      message: 'System panic',
      vendor: { name: 'cisco', counter: 69, mnemonic: 'SYS-0-PANIC', facility: 'SYS', severity: 0 },
    }),
    upstreamSample(T0 + 0 * MINUTE),
    upstreamSample(T0 + 1 * MINUTE, { offsetMs: 0.02 }),
    upstreamSample(T0 + 2 * MINUTE, { result: 'timeout', offsetMs: null, delayMs: null, stratum: null, leap: null, refId: null, synchronised: true }),
    upstreamSample(T0 + 3 * MINUTE, { result: 'kiss', kissCode: 'RATE', offsetMs: null, delayMs: null, synchronised: false, selected: false }),
    ntpEvent(T0 + 3 * MINUTE + 1, 'upstream', {
      type: 'status',
      synchronised: false,
      previousSynchronised: true,
      selected: null,
      previousSelected: '169.254.169.123:123',
      leap: 3,
      stratum: 16,
      refId: null,
      offsetMs: null,
      rootDelayMs: null,
      rootDispersionMs: null,
      lastSampleAgeS: 180,
      holdoverS: 0,
      reason: 'no_valid_sample',
    }),
    clientSummary(T0 + 5 * MINUTE, '203.0.113.5', { clientOffsetMs: -2.71 }),
    clientSummary(T0 + 5 * MINUTE, '203.0.113.6', { clientOffsetMs: 1.5, authenticated: false, authFailures: 2, keyId: null }),
    clientSummary(T0 + 10 * MINUTE, '203.0.113.5', { clientOffsetMs: -3.1 }),
    clientSummary(T0 + 10 * MINUTE, '2001:db8::1', { clientOffsetMs: null, clientOffsetBoundMs: null, clientOffsetMethod: 'hidden' }),
    clockWarning(T0 + 6 * MINUTE, '203.0.113.9', -5001),
    clockWarning(T0 + 11 * MINUTE, '203.0.113.9', -5200.5),
    clockWarning(T0 + 11 * MINUTE, '203.0.113.6', 1200),
  ];
}
