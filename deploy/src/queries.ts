import type { ServiceName } from './services.js';

/**
 * The saved Logs Insights queries, in one place: the stack saves them as QueryDefinitions and the
 * tests run each one against events the services' own code produces. Field names are the public
 * event contract (`syslog/1` and `syslog/2`, `ntp/1`, `config/1`, `scan/1`); a renamed field needs a new schema
 * version, and these tests fail first.
 */
export interface SavedQuery {
  /** QueryDefinition name; `/` makes folders in the console. */
  name: string;
  /** The log groups it runs on (by service). */
  services: ServiceName[];
  query: string;
}

/** The router as a person names it: its syslog host name, else the address it sends from. */
const device = 'coalesce(host, sourceIp) as device';

/**
 * Syslog events of either contract version: `syslog/1` says `schema`, `syslog/2` says `v: 2`
 * (services/syslog/README.md). The fields the queries read are in both; `syslog/2` leaves out
 * `facilityName`/`severityName`, so the queries use the numbers.
 */
const isSyslogEvent = '(schema = "syslog/1" or v = 2)';

/** Login failures as Cisco (SEC_LOGIN, AAA), Junos (SSHD_LOGIN_FAILED, LOGIN_FAILED), Arista and any sshd say them. */
export const failedLoginPattern = '(?i)LOGIN_FAILED|LOGIN_FAILURE|AUTHFAIL|AUTHENTICATION_FAILED|failed password|login failed|authentication fail';
/** BGP neighbour state changes: Cisco and Arista `BGP-5-ADJCHANGE`, Junos `BGP_STATE_CHANGED`. */
export const bgpStatePattern = 'BGP-5-ADJCHANGE|BGP_STATE_CHANGED|BGP-5-NBR_RESET|BGP-3-NOTIFICATION';
/** Link and line protocol changes: Cisco/Arista `LINK-3-UPDOWN`, `LINEPROTO-5-UPDOWN`; Junos `SNMP_TRAP_LINK_DOWN`. */
export const interfaceStatePattern = 'UPDOWN|LINK_DOWN|LINK-3-CHANGED|LINK-5-CHANGED';

function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** BGP changes; restricted to the Direct Connect neighbours when they are configured. */
export function bgpQuery(peers: readonly string[]): string {
  const peerFilter = peers.length > 0 ? ` and message like /(^|[^0-9a-fA-F.:])(${peers.map(regexLiteral).join('|')})([^0-9a-fA-F.:]|$)/` : '';
  return [
    `fields @timestamp, ${device}, msgId, message`,
    `| filter ${isSyslogEvent} and msgId like /${bgpStatePattern}/${peerFilter}`,
    '| sort @timestamp desc',
  ].join('\n');
}

export function savedQueries(options: { directConnectBgpPeers: readonly string[] }): SavedQuery[] {
  return [
    {
      name: 'netsidecar/config/changes-with-diff',
      services: ['config'],
      // Add `and device = "rtr-tyo-1"` to the filter for one device (the README shows it).
      query: [
        'fields receivedAt, device, version, previousVersion, who, when, source.principal, diffAdded, diffRemoved, diff, detached',
        '| filter schema = "config/1" and changed = 1',
        '| sort device asc, receivedAt desc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/config/drifting-from-git',
      services: ['config'],
      query: [
        'filter schema = "config/1"',
        '| stats latest(driftStatus) as status, latest(version) as version, latest(receivedAt) as lastUpload by device',
        '| filter status = "drifted"',
        '| sort device asc',
      ].join('\n'),
    },
    {
      // The latest upload of each device: a device that was fixed drops out. `compliance` is null
      // without a rules file (services/config-upload README, "Compliance rules"): the query is empty.
      name: 'netsidecar/config/compliance-failures',
      services: ['config'],
      query: [
        'filter schema = "config/1"',
        '| stats latest(compliance.failedCount) as failedRules, latest(version) as version, latest(receivedAt) as lastUpload by device',
        '| filter failedRules > 0',
        '| sort failedRules desc, device asc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/ntp/router-clocks-off',
      services: ['ntp'],
      query: [
        'fields @timestamp, clientIp, clientOffsetMs, clientOffsetMethod',
        '| filter schema = "ntp/1" and type = "client_clock_warning"',
        '| stats count(*) as warnings, max(abs(clientOffsetMs)) as worstMs by clientIp',
        '| sort worstMs desc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/ntp/time-source-changes',
      services: ['ntp'],
      query: [
        'fields @timestamp, synchronised, reason, selected, stratum, offsetMs',
        '| filter schema = "ntp/1" and type = "status"',
        '| sort @timestamp desc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/syslog/failed-logins',
      services: ['syslog'],
      query: [
        `fields @timestamp, ${device}, msgId, message`,
        `| filter ${isSyslogEvent} and (msgId like /${failedLoginPattern}/ or message like /${failedLoginPattern}/)`,
        '| sort @timestamp desc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/syslog/bgp-direct-connect-peers',
      services: ['syslog'],
      query: bgpQuery(options.directConnectBgpPeers),
    },
    {
      name: 'netsidecar/syslog/interfaces-down',
      services: ['syslog'],
      query: [
        `fields @timestamp, ${device}, msgId, message`,
        `| filter ${isSyslogEvent} and msgId like /${interfaceStatePattern}/ and message like /(?i)down/`,
        '| sort @timestamp desc',
      ].join('\n'),
    },
    {
      name: 'netsidecar/syslog/severity-0-3-by-device',
      services: ['syslog'],
      query: [
        `fields ${device}`,
        `| filter ${isSyslogEvent} and severity <= 3`,
        '| stats count(*) as messages by device, severity',
        '| sort severity asc, messages desc',
      ].join('\n'),
    },
    {
      // Logs Insights has no "now": run it over the last day; the devices on top, with a lastSeen
      // more than an hour before the end of the range, are silent (the SilentDevice alarms page for
      // the monitored ones).
      name: 'netsidecar/syslog/devices-by-last-message',
      services: ['syslog'],
      query: [
        `fields ${device}`,
        `| filter ${isSyslogEvent}`,
        '| stats max(@timestamp) as lastSeen, count(*) as messages by device',
        '| sort lastSeen asc',
      ].join('\n'),
    },
    {
      // The coverage report of the last planning runs: one row per image, its newest image_coverage
      // event (flag failing, never_scanned or stale; empty when fresh; a failing image with since
      // when, how many attempts and the error code). Whole events rather than stats latest(), which
      // would fall back to an older run's flag where the newest one is null.
      name: 'netsidecar/scan/image-coverage',
      services: ['scan'],
      query: [
        'fields @timestamp, owner, repository, digest, flag, lastScannedAt, dbUpdatedAt, openFindings.CRITICAL, openFindings.HIGH, failingSince, failedAttempts, lastScanErrorCode, workloadsTotal, planId',
        '| filter schema = "scan/1" and type = "image_coverage"',
        '| sort @timestamp desc',
        '| dedup digest',
      ].join('\n'),
    },
    {
      name: 'netsidecar/scan/new-critical-high-findings',
      services: ['scan'],
      query: [
        'fields @timestamp, owner, repository, vulnerabilityId, severity, pkgName, installedVersion, fixedVersion',
        '| filter schema = "scan/1" and type = "finding_new" and severity in ["CRITICAL", "HIGH"]',
        '| sort @timestamp desc',
      ].join('\n'),
    },
  ];
}
