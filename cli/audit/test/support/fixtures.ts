import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { splitMessage } from '@netsidecar/contracts';
import { fileNameOf } from '@netsidecar/sink';
import { MAX_EVENT_MESSAGE_BYTES } from '@netsidecar/test-support';

/** One stored event as a service would write it: to a file sink line or a CloudWatch event. */
export interface Seed {
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

export const NOW = Date.parse('2026-03-10T00:00:00.000Z');
const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

export function syslogEvent(host: string, t: number, message: string, extra: Record<string, unknown> = {}): Seed {
  const body = {
    schema: 'syslog/1',
    receivedAt: iso(t),
    sourceIp: host.includes(':') ? host : '192.0.2.10',
    sourcePort: 51514,
    transport: 'udp',
    facility: 23,
    facilityName: 'local7',
    severity: 5,
    severityName: 'notice',
    timestamp: iso(t - 3),
    timestampRaw: null,
    host,
    app: 'rpd',
    procId: null,
    msgId: null,
    message,
    structuredData: null,
    vendor: null,
    raw: `<189>${message}`,
    ...extra,
  };
  return { group: '/netsidecar/syslog', stream: host.replace(/:/g, '_'), timestamp: t, message: JSON.stringify(body) };
}

export function ntpSample(t: number, synchronised: boolean, offsetMs: number): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'upstream_sample',
    server: '169.254.169.123:123',
    result: synchronised ? 'ok' : 'timeout',
    kissCode: null,
    offsetMs: synchronised ? offsetMs : null,
    delayMs: synchronised ? 0.17 : null,
    stratum: synchronised ? 1 : null,
    leap: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0.1,
    refId: 'GPS',
    selected: synchronised,
    synchronised,
    servedOffsetMs: offsetMs,
    servedStratum: synchronised ? 2 : 0,
    servedRootDelayMs: 0.17,
    servedRootDispersionMs: 0.13,
    hostClockErrorBoundMs: null,
  };
  return { group: '/netsidecar/ntp', stream: 'upstream', timestamp: t, message: JSON.stringify(body) };
}

export function ntpStatus(t: number, synchronised: boolean, reason: string | null): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'status',
    synchronised,
    previousSynchronised: !synchronised,
    selected: synchronised ? '169.254.169.123:123' : null,
    previousSelected: null,
    leap: 0,
    stratum: synchronised ? 2 : 0,
    refId: 'GPS',
    offsetMs: 0.01,
    rootDelayMs: 0.1,
    rootDispersionMs: 0.1,
    lastSampleAgeS: 16,
    holdoverS: 3600,
    reason,
  };
  return { group: '/netsidecar/ntp', stream: 'upstream', timestamp: t, message: JSON.stringify(body) };
}

export function ntpClient(ip: string, t: number, offsetMs: number): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'client_summary',
    clientIp: ip,
    periodStart: iso(t - 300_000),
    periodEnd: iso(t),
    requests: 19,
    timeReplies: 19,
    kodSent: 0,
    cryptoNakSent: 0,
    dropped: 0,
    versions: [4],
    authenticated: true,
    authenticatedRequests: 19,
    unauthenticatedRequests: 0,
    authFailures: 0,
    keyId: 10,
    clientOffsetMs: offsetMs,
    clientOffsetBoundMs: 0.4,
    clientOffsetMethod: 'exchange',
  };
  return { group: '/netsidecar/ntp', stream: ip.replace(/:/g, '_'), timestamp: t, message: JSON.stringify(body) };
}

/** A router's clock off by more than the service's threshold (`client_clock_warning`). */
export function ntpClockWarning(ip: string, t: number, offsetMs: number, thresholdMs = 1000): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'client_clock_warning',
    clientIp: ip,
    version: 4,
    clientOffsetMs: offsetMs,
    clientOffsetBoundMs: 0.4,
    clientOffsetMethod: 'exchange',
    thresholdMs,
    message: `client clock is ${Math.abs(offsetMs / 1000).toFixed(3)} s ${offsetMs > 0 ? 'ahead' : 'behind'} (threshold ${thresholdMs / 1000} s)`,
  };
  return { group: '/netsidecar/ntp', stream: ip.replace(/:/g, '_'), timestamp: t, message: JSON.stringify(body) };
}

/**
 * What ntp-proxy writes with `NETSIDECAR_NTP_UPSTREAM=local` (its default off AWS): this machine's
 * clock as the reference, refid LOCL, stratum 9 in the sample and 10 served, always "synchronised".
 */
export function ntpLocalSample(t: number): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'upstream_sample',
    server: 'local',
    result: 'ok',
    kissCode: null,
    offsetMs: 0.002,
    delayMs: 0,
    stratum: 9,
    leap: 0,
    rootDelayMs: 0,
    rootDispersionMs: 0,
    refId: 'LOCL',
    selected: true,
    synchronised: true,
    servedOffsetMs: 0.002,
    servedStratum: 10,
    servedRootDelayMs: 0,
    servedRootDispersionMs: 0.01,
    hostClockErrorBoundMs: null,
  };
  return { group: '/netsidecar/ntp', stream: 'upstream', timestamp: t, message: JSON.stringify(body) };
}

export function ntpLocalStatus(t: number): Seed {
  const body = {
    schema: 'ntp/1',
    time: iso(t),
    type: 'status',
    synchronised: true,
    previousSynchronised: false,
    selected: 'local',
    previousSelected: null,
    leap: 0,
    stratum: 10,
    refId: 'LOCL',
    offsetMs: 0.002,
    rootDelayMs: 0,
    rootDispersionMs: 0.01,
    lastSampleAgeS: 0,
    holdoverS: 3600,
    reason: null,
  };
  return { group: '/netsidecar/ntp', stream: 'upstream', timestamp: t, message: JSON.stringify(body) };
}

export function configEvent(device: string, t: number, version: number, drift: string, detachDiff = false): Seed[] {
  const uploadId = `00000000-0000-4000-8000-${String(version).padStart(12, '0')}`;
  const diff = version === 1 ? null : `--- ${device} v${version - 1}\n+++ ${device} v${version}\n@@ -1 +1 @@\n-hostname a\n+hostname b${version}\n`;
  const body = {
    schema: 'config/1',
    receivedAt: iso(t),
    uploadId,
    device,
    deviceFrom: 'filename',
    vendor: 'cisco-ios',
    version,
    previousVersion: version === 1 ? null : version - 1,
    source: {
      method: 'PUT',
      path: `/configs/${device}-${version}`,
      filename: `${device}-${version}`,
      ip: '10.0.0.5',
      principal: 'rtr-upload',
      userAgent: 'cisco-IOS',
      gzip: false,
      bytes: 100,
      decodedBytes: 100,
    },
    who: 'admin',
    when: iso(t - 60_000),
    whenRaw: null,
    sha256: 'a'.repeat(64),
    sha256Original: 'b'.repeat(64),
    sha256Normalized: 'c'.repeat(64),
    previousSha256: version === 1 ? null : 'd'.repeat(64),
    changed: true,
    diff: detachDiff ? null : diff,
    diffAdded: 1,
    diffRemoved: 1,
    drift: drift === 'drifted',
    driftStatus: drift,
    driftDiff: drift === 'drifted' ? `--- ${device} intended\n+++ ${device} v${version}\n` : null,
    intendedSha256: null,
    redactions: 2,
    redactionsByKind: { secret: 2 },
    freeText: [],
    config: `hostname ${device}\nenable secret 9 <redacted:1f4e9a07>\n`,
    configBytes: 50,
    configLines: 2,
    detached: detachDiff ? ['diff'] : [],
    parts: detachDiff ? 2 : 0,
    storeKey: `${device}/${String(version).padStart(8, '0')}`,
  };
  const seeds: Seed[] = [{ group: '/netsidecar/config', stream: device, timestamp: t, message: JSON.stringify(body) }];
  if (detachDiff && diff !== null) {
    const half = Math.floor(diff.length / 2);
    [diff.slice(0, half), diff.slice(half)].forEach((data, k) =>
      seeds.push({
        group: '/netsidecar/config',
        stream: device,
        timestamp: t,
        message: JSON.stringify({ schema: 'config-part/1', receivedAt: iso(t), uploadId, device, field: 'diff', part: k + 1, parts: 2, data }),
      }),
    );
  }
  return seeds;
}

export function scanEvent(t: number, type: string, severity: string, fingerprint: string, extra: Record<string, unknown> = {}): Seed {
  const digest = 'sha256:' + '9f86'.repeat(16);
  const body = {
    schema: 'scan/1',
    time: iso(t),
    type,
    digest,
    repository: 'registry.example/payments-api',
    imageRef: `registry.example/payments-api@${digest}`,
    owner: 'payments',
    fingerprint,
    vulnerabilityId: `CVE-2026-${fingerprint}`,
    severity,
    pkgName: 'libexpat1',
    installedVersion: '2.5.0-1',
    fixedVersion: '2.5.0-2',
    vendorStatus: 'fixed',
    target: 'payments-api (debian 12.6)',
    title: 'x',
    scanId: 'scan-1',
    reopened: false,
    ...extra,
  };
  return { group: '/netsidecar/scan', stream: 'worker', timestamp: t, message: JSON.stringify(body) };
}

/**
 * The shared data set of the equality tests: three syslog devices (one IPv6, one that stops on
 * 03-03, one with an event over 1 MB that the CloudWatch sink splits), NTP upstream samples with
 * an unsynchronised hour, and two routers' clock offsets (one stops asking on 03-04).
 */
export function dataset(): Seed[] {
  const seeds: Seed[] = [];
  const start = Date.parse('2026-03-01T00:00:00.000Z');
  for (let i = 0; i < 5 * 24; i++) {
    const t = start + i * H;
    seeds.push(syslogEvent('rtr-tyo-1', t + 1_000, `%LINK-3-UPDOWN: Interface Gi0/${i % 4}, changed state to ${i % 2 ? 'up' : 'down'}`));
    if (i < 2 * 24 + 6) seeds.push(syslogEvent('rtr-osa-2', t + 2_000, `=cmd|' /C calc'!A0 ${i}, "quoted"`));
    if (i % 3 === 0) seeds.push(syslogEvent('2001:db8::1', t + 1_000, `BGP peer ${i} Established`));
  }
  // Over 1 MB: the CloudWatch sink sends it as part/1 messages, the file sink as one line.
  seeds.push(syslogEvent('rtr-tyo-1', start + 30 * H + 500, 'show tech ' + 'x'.repeat(1_500_000)));
  for (let i = 0; i < 4 * 24 * 6; i++) {
    const t = start + i * 600_000;
    const unsynced = t >= start + 26 * H && t < start + 27 * H;
    seeds.push(ntpSample(t, !unsynced, 0.01 + (i % 7) / 1000));
  }
  seeds.push(ntpStatus(start + 26 * H, false, 'no valid upstream sample for 3601 s (holdover 3600 s)'));
  seeds.push(ntpStatus(start + 27 * H, true, null));
  for (let i = 0; i < 4 * 24 * 2; i++) {
    const t = start + i * 1_800_000 + 7;
    seeds.push(ntpClient('10.0.0.1', t, -2.5 + (i % 10) / 10));
    if (i < 3 * 24 * 2) seeds.push(ntpClient('10.0.0.2', t, 40 + i / 10));
  }
  seeds.push(...configEvent('rtr-tyo-1', start + 5 * H, 1, 'in_sync'));
  seeds.push(...configEvent('rtr-tyo-1', start + 29 * H, 2, 'in_sync', true));
  seeds.push(...configEvent('rtr-tyo-1', start + 50 * H, 3, 'drifted'));
  seeds.push(...configEvent('rtr-osa-2', start + 8 * H, 4, 'no_intended'));
  seeds.push(scanEvent(start + 3 * H, 'finding_new', 'CRITICAL', 'f1'));
  seeds.push(scanEvent(start + 3 * H + 1, 'finding_new', 'HIGH', 'f2'));
  seeds.push(scanEvent(start + 3 * H + 2, 'finding_new', 'LOW', 'f3'));
  seeds.push(scanEvent(start + 40 * H, 'finding_resolved', 'CRITICAL', 'f1', { reason: 'fixed' }));
  // Before the range only (the look-back of `evidence`): a device whose last upload is before
  // --from, a finding opened before it and untouched in it, one opened and closed before it, and
  // one opened before it and resolved in it.
  const before = Date.parse('2026-02-26T10:00:00.000Z');
  seeds.push(...configEvent('rtr-kix-3', before, 7, 'in_sync'));
  seeds.push(...configEvent('rtr-kix-3', before + 30 * H, 8, 'drifted', true));
  seeds.push(scanEvent(before, 'finding_new', 'MEDIUM', 'f5'));
  seeds.push(scanEvent(before + 1, 'finding_new', 'CRITICAL', 'f4'));
  seeds.push(scanEvent(before + 2, 'finding_new', 'HIGH', 'f6'));
  seeds.push(scanEvent(before + H, 'finding_resolved', 'MEDIUM', 'f5', { reason: 'fixed' }));
  seeds.push(scanEvent(before + H + 1, 'scan_finished', 'UNKNOWN', '-'));
  seeds.push(scanEvent(start + 20 * H, 'finding_resolved', 'HIGH', 'f6', { reason: 'fixed' }));
  // Stable: events of one stream keep their order when times are equal (the config parts).
  return seeds.sort((a, b) => a.timestamp - b.timestamp);
}

/** Writes seeds as the file sink would: one line per event, appended in arrival order. */
export async function writeFileSink(dataDir: string, seeds: readonly Seed[]): Promise<void> {
  const byFile = new Map<string, string[]>();
  for (const s of seeds) {
    const path = join(dataDir, 'logs', s.group.replace(/^\/+/, ''), fileNameOf(s.stream));
    (byFile.get(path) ?? byFile.set(path, []).get(path)!).push(s.message + '\n');
  }
  for (const [path, lines] of byFile) {
    await mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    await appendFile(path, lines.join(''));
  }
}

/** Stores seeds in (fake) CloudWatch as the CloudWatch sink would, splitting messages over 1 MB. */
export async function putToCloudWatch(client: CloudWatchLogsClient, seeds: readonly Seed[], retentionInDays?: number): Promise<number> {
  const streams = new Map<string, Seed[]>();
  for (const s of seeds) {
    const key = `${s.group}\u0000${s.stream}`;
    (streams.get(key) ?? streams.set(key, []).get(key)!).push(s);
  }
  const groups = new Set(seeds.map((s) => s.group));
  for (const group of groups) {
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    if (retentionInDays !== undefined) await client.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays }));
  }
  let calls = 0;
  for (const [key, list] of streams) {
    const [group, stream] = key.split('\u0000') as [string, string];
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    let batch: { timestamp: number; message: string }[] = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch }));
      calls++;
      batch = [];
      bytes = 0;
    };
    for (const s of list) {
      for (const message of splitMessage(s.message, MAX_EVENT_MESSAGE_BYTES)) {
        const size = Buffer.byteLength(message) + 26;
        if (batch.length >= 10_000 || bytes + size > 1_000_000 || (batch.length > 0 && s.timestamp - batch[0]!.timestamp > 20 * 3_600_000)) {
          await flush();
        }
        batch.push({ timestamp: s.timestamp, message });
        bytes += size;
      }
    }
    await flush();
  }
  return calls;
}
