// Events made by the services' own code, as CloudWatch would store them: the material the saved
// queries and metric filter patterns are tested on.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commonVariables, loadConfig } from '@netsidecar/config';
import { hashPassword, startConfigUploadService, uploadVariables } from '@netsidecar/config-upload';
import { createNtpMetrics, NtpEvents } from '@netsidecar/ntp-proxy';
import {
  ScanEvents,
  createScanMetrics,
  findingEvent,
  imageCoverageEvent,
  imageFields,
  noFailure,
  type FindingRecord,
  type ImageRecord,
} from '@netsidecar/scan-scheduler';
import { FileSink, toLogStreamName, type Sink, type SinkEvent } from '@netsidecar/sink';
import { EventEncoder, eventEncoding } from '@netsidecar/syslog';
import { Readiness, createLogger, createRegistry } from '@netsidecar/telemetry';
import type { InsightsEvent } from '@netsidecar/test-support';
import { secretWriterScript } from '../src/secret-files.js';

const run = promisify(execFile);

/** A sink that keeps what it is given: the services hand it exactly what CloudWatch would store. */
export function captureSink(into: InsightsEvent[]): Sink {
  return {
    kind: 'stdout',
    durableOnWrite: false,
    write(event: SinkEvent) {
      into.push({ timestamp: event.timestamp, message: event.message, logStream: event.logStream, logGroup: event.logGroup });
      return 'ok';
    },
    writeGroup(events: readonly SinkEvent[]) {
      for (const event of events) into.push({ timestamp: event.timestamp, message: event.message, logStream: event.logStream, logGroup: event.logGroup });
      return 'ok';
    },
    whenWritable: async () => {},
    flush: async () => {},
    close: async () => ({}) as never,
    queuedEvents: () => 0,
    refusalReason: () => null,
  };
}

const base = Date.parse('2026-11-22T14:00:00.000Z');

/** Router lines as Cisco IOS, Junos (BSD and RFC 5424) and Arista EOS send them, through the real parser. */
export const syslogLines: { line: string; sourceIp: string; atMs: number }[] = [
  { line: '<189>65: rtr-tyo-1: Nov 22 14:00:00.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down', sourceIp: '10.1.1.1', atMs: 0 },
  {
    line: '<189>66: rtr-tyo-1: Nov 22 14:00:01.003 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 10.9.9.9] [localport: 22] [Reason: Login Authentication Failed] at 14:00:01 UTC Sun Nov 22 2026',
    sourceIp: '10.1.1.1',
    atMs: 1_000,
  },
  {
    line: '<189>67: rtr-tyo-1: Nov 22 14:00:02.003 UTC: %BGP-5-ADJCHANGE: neighbor 169.254.100.1 Down BGP Notification sent',
    sourceIp: '10.1.1.1',
    atMs: 2_000,
  },
  { line: '<189>68: rtr-tyo-1: Nov 22 14:00:03.003 UTC: %BGP-5-ADJCHANGE: neighbor 10.77.0.2 Up', sourceIp: '10.1.1.1', atMs: 3_000 },
  { line: '<189>69: rtr-tyo-1: Nov 22 14:00:04.003 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/2, changed state to up', sourceIp: '10.1.1.1', atMs: 4_000 },
  {
    line: '<187>70: rtr-tyo-1: Nov 22 14:00:05.003 UTC: %PLATFORM-3-ELEMENT_CRITICAL: R0/0: smand: 1/0: Temperature value (91) has crossed its critical threshold',
    sourceIp: '10.1.1.1',
    atMs: 5_000,
  },
  {
    line: '<28>Nov 22 14:00:00 rtr-osa-2 rpd[2345]: BGP_STATE_CHANGED: peer 169.254.100.5 (External AS 64512) changed state from Established to Idle (event RecvNotify) (instance master)',
    sourceIp: '10.2.2.2',
    atMs: 10_000,
  },
  {
    line: '<28>1 2026-11-22T14:00:11.000Z rtr-osa-2 mib2d 2345 SNMP_TRAP_LINK_DOWN [junos@2636.1.1.1.2.18 snmp-interface-index="512" admin-status="up(1)" operational-status="down(2)" interface-name="ge-0/0/1"] ifIndex 512, ifAdminStatus up(1), ifOperStatus down(2), ifName ge-0/0/1',
    sourceIp: '10.2.2.2',
    atMs: 11_000,
  },
  {
    line: "<38>Nov 22 14:00:12 rtr-osa-2 sshd[4242]: SSHD_LOGIN_FAILED: Login failed for user 'root' from host '10.9.9.9'",
    sourceIp: '10.2.2.2',
    atMs: 12_000,
  },
  {
    line: '<190>Nov 22 14:00:20 sw-ams-1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet3, changed state to down',
    sourceIp: '10.3.3.3',
    atMs: 20_000,
  },
  {
    line: '<190>Nov 22 14:00:21 sw-ams-1 Bgp: %BGP-5-ADJCHANGE: peer 169.254.100.9 (VRF default AS 64512) old state Established event HoldTime new state Idle',
    sourceIp: '10.3.3.3',
    atMs: 21_000,
  },
  { line: '<86>Nov 22 14:00:22 sw-ams-1 sshd[999]: Failed password for admin from 10.9.9.9 port 5555 ssh2', sourceIp: '10.3.3.3', atMs: 22_000 },
  {
    line: '<186>Nov 22 14:00:23 sw-ams-1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet4, changed state to up',
    sourceIp: '10.3.3.3',
    atMs: 23_000,
  },
  // A device without a host name in its lines: known by its address; quiet since long before the others.
  { line: '<11>kernel: disk failure on /dev/sda', sourceIp: '10.4.4.4', atMs: -3 * 3_600_000 },
];

/**
 * The lines above as the syslog service's encoder writes them for the CloudWatch sink, in either
 * contract version (NETSIDECAR_SYSLOG_SCHEMA): the saved queries and filter patterns read both.
 */
export function syslogEvents(schema: 1 | 2): InsightsEvent[] {
  const encoder = new EventEncoder(eventEncoding(schema, 'cloudwatch'));
  return syslogLines.map(({ line, sourceIp, atMs }) => {
    const { message, device } = encoder.encode(Buffer.from(line), { receivedAt: new Date(base + atMs), sourceIp, sourcePort: 514, transport: 'udp' });
    return { timestamp: base + atMs, message, logStream: toLogStreamName(device), logGroup: '/netsidecar/syslog' };
  });
}

export function ntpEvents(): InsightsEvent[] {
  const events: InsightsEvent[] = [];
  const writer = new NtpEvents({ sink: captureSink(events), logGroup: '/netsidecar/ntp', dropped: createNtpMetrics(createRegistry('ntp')).eventsDropped });
  const warning = (clientIp: string, offsetMs: number, at: number) =>
    writer.write(clientIp, base + at, {
      type: 'client_clock_warning',
      clientIp,
      version: 4,
      clientOffsetMs: offsetMs,
      clientOffsetBoundMs: 0.4,
      clientOffsetMethod: 'exchange',
      thresholdMs: 1000,
      message: `client clock is ${Math.abs(offsetMs) / 1000} s ${offsetMs < 0 ? 'behind' : 'ahead'} (threshold 1 s)`,
    });
  warning('10.1.1.1', -5001, 0);
  warning('10.1.1.1', -7200.5, 300_000);
  warning('10.2.2.2', 1500, 0);
  writer.write('upstream', base, {
    type: 'status',
    synchronised: false,
    previousSynchronised: true,
    selected: null,
    previousSelected: '169.254.169.123:123',
    leap: 3,
    stratum: 0,
    refId: '',
    offsetMs: 0.01,
    rootDelayMs: 0.2,
    rootDispersionMs: 54,
    lastSampleAgeS: 3601,
    holdoverS: 3600,
    reason: 'no valid upstream sample for 3601 s (holdover 3600 s)',
  });
  return events;
}

export function scanEvents(): InsightsEvent[] {
  const events: InsightsEvent[] = [];
  let now = base;
  const dropped = createScanMetrics(createRegistry('scan'), 1, () => 0).eventsDropped;
  const scan = new ScanEvents({ sink: captureSink(events), logGroup: '/netsidecar/scan', dropped, now: () => new Date((now += 1000)) });
  const image = imageFields({
    digest: `sha256:${'9f'.repeat(32)}`,
    repository: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/payments-api',
    owner: 'payments',
  });
  const finding = (id: string, severity: FindingRecord['severity']): FindingRecord => ({
    digest: image.digest,
    fingerprint: `fp-${id}`,
    vulnerabilityId: id,
    pkgName: 'libexpat1',
    installedVersion: '2.5.0-1',
    fixedVersion: '2.5.0-1+deb12u1',
    severity,
    vendorStatus: 'fixed',
    target: 'payments-api (debian 12.6)',
    title: 'libexpat: Integer Overflow',
    status: 'new',
    firstSeenAt: new Date(base).toISOString(),
    lastSeenAt: new Date(base).toISOString(),
    notifiedAt: null,
    resolvedAt: null,
    resolvedNotifiedAt: null,
    resolvedReason: null,
    ignoreStatement: null,
    ignoreExpiresAt: null,
    history: [],
  });
  scan.emit('worker', findingEvent('finding_new', image, finding('CVE-2024-45491', 'CRITICAL'), 'scan-1', false));
  scan.emit('worker', findingEvent('finding_new', image, finding('CVE-2024-0001', 'HIGH'), 'scan-1', false));
  scan.emit('worker', findingEvent('finding_new', image, finding('CVE-2024-0002', 'MEDIUM'), 'scan-1', false));
  scan.emit('worker', { ...findingEvent('finding_resolved', image, finding('CVE-2023-9999', 'CRITICAL'), null, false), reason: 'fixed' } as never);

  // Two planning runs of the planner's own coverage builder: payments-api is stale in the first and
  // scanned (fresh) by the second; web-frontend was never scanned; batch was scanned a day ago and
  // every attempt since timed out (failing).
  const day = 24 * 3_600_000;
  const record = (digest: string, repository: string, owner: string, lastScannedAt: string | null): ImageRecord => ({
    digest,
    repository,
    references: [`${repository}:1.0`],
    locations: [{ platform: 'ecs', cluster: 'prod', workload: `service:${owner}`, namespace: null }],
    owner,
    running: true,
    firstSeenAt: new Date(base - 30 * day).toISOString(),
    lastSeenAt: new Date(base).toISOString(),
    lastScannedAt,
    lastQueuedAt: null,
    lastScanId: null,
    dbUpdatedAt: null,
    trivyVersion: null,
    ...noFailure(),
    openCounts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 0, UNKNOWN: 0 },
  });
  const web = record(`sha256:${'ab'.repeat(32)}`, '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/web-frontend', 'web', null);
  const failingSince = new Date(base - 6 * 3_600_000).toISOString();
  const batch: ImageRecord = {
    ...record(`sha256:${'cd'.repeat(32)}`, '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/batch', 'data', new Date(base - day / 2).toISOString()),
    failingSince,
    failedAttempts: 5,
    lastScanErrorCode: 'trivy_timeout',
    lastScanError: 'trivy image exited 1: FATAL Fatal error run error: image scan error: analyze error: timeout: context deadline exceeded',
    lastScanFailedAt: new Date(base - 3_600_000).toISOString(),
  };
  for (const [planId, paymentsScannedAt] of [
    ['plan-1', new Date(base - 3 * day).toISOString()],
    ['plan-2', new Date(base).toISOString()],
  ] as const) {
    const run = { planId, plannedAt: new Date(now).toISOString(), now: new Date(now), maxAgeMs: day };
    scan.emit('planner', imageCoverageEvent(record(image.digest, image.repository, 'payments', paymentsScannedAt), run));
    scan.emit('planner', imageCoverageEvent(web, run));
    scan.emit('planner', imageCoverageEvent(batch, run));
  }
  return events;
}

export const intendedConfig = [
  '!',
  'hostname rtr-tyo-1',
  'enable secret 9 $9$abcdefghijklmn$0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
  'interface GigabitEthernet0/1',
  ' description uplink',
  '!',
  'end',
  '',
].join('\n');

/**
 * The real config-upload service (file sink, file store) with its users file and redaction key
 * written by the deploy stack's secret-files script, exactly as the init container writes them;
 * rtr-tyo-1 uploads its intended config, then a changed one (drift); rtr-osa-2 has no intended config.
 */
/** The compliance rules of the config events (services/config-upload README, "Compliance rules"). */
export const complianceRules = [
  {
    id: 'enable-secret-set',
    description: 'an enable secret of type 9 is set (seen as its tag)',
    devices: 'rtr-*',
    require: ['enable secret 9 <redacted:[0-9a-f]{8}>'],
  },
  { id: 'uplink-shut', description: 'the unused uplink is shut down', devices: 'rtr-tyo-*', section: '^interface GigabitEthernet0/1$', require: ['shutdown'] },
];

export async function configEvents(t: { teardown(fn: () => unknown): void }): Promise<InsightsEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-deploy-config-'));
  let cleanup = () => rm(dir, { recursive: true, force: true });
  t.teardown(() => cleanup());
  const secretsDir = join(dir, 'secrets');
  const intendedDir = join(dir, 'intended');
  await mkdir(secretsDir);
  await mkdir(intendedDir);
  await writeFile(join(intendedDir, 'rtr-tyo-1.cfg'), intendedConfig);
  // rtr-tyo-1 v1 fails `uplink-shut` and v2 (which shuts the uplink) passes it; rtr-osa-2 has no
  // enable secret: of the latest uploads, only rtr-osa-2's fails a rule.
  await writeFile(join(dir, 'compliance.json'), JSON.stringify({ rules: complianceRules }));
  const password = 'R0uter-Upl0ad-Pa55';
  const { salt, hash } = await hashPassword(password);
  await run(process.execPath, ['-e', secretWriterScript], {
    env: {
      SECRETS_DIR: secretsDir,
      SECRET_FILE_UPLOAD_USERS: `# from Secrets Manager\nrtr-upload:scrypt:${salt}:${hash}:rtr-*:upload`,
      SECRET_FILE_UPLOAD_REDACTION_KEY: 'deploy-test-redaction-key-0123456789',
    },
  });
  const config = loadConfig(
    { ...commonVariables, ...uploadVariables },
    {
      ownPrefix: 'NETSIDECAR_UPLOAD_',
      env: {
        NETSIDECAR_DATA_DIR: join(dir, 'data'),
        NETSIDECAR_UPLOAD_BIND_ADDRESS: '127.0.0.1',
        NETSIDECAR_UPLOAD_PORT: '0',
        NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
        NETSIDECAR_UPLOAD_USERS_FILE: join(secretsDir, 'upload.users'),
        NETSIDECAR_UPLOAD_REDACTION_KEY_FILE: join(secretsDir, 'upload.redaction.key'),
        NETSIDECAR_UPLOAD_INTENDED_DIR: intendedDir,
        NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE: join(dir, 'compliance.json'),
        NETSIDECAR_UPLOAD_RATE_LIMIT: '0',
      },
    },
  );
  const registry = createRegistry('config');
  const logger = createLogger({ level: 'warn', write: () => {} });
  const sink = new FileSink({ dataDir: join(dir, 'data'), registry, logger });
  const service = await startConfigUploadService({ config, logger, registry, readiness: new Readiness(), sink, logGroup: '/netsidecar/config' });
  cleanup = async () => {
    await service.stop();
    await sink.close(Date.now() + 2_000);
    await rm(dir, { recursive: true, force: true });
  };
  const put = async (name: string, body: string) => {
    const response = await fetch(`http://127.0.0.1:${service.port}/configs/${name}`, {
      method: 'PUT',
      body,
      headers: { authorization: `Basic ${Buffer.from(`rtr-upload:${password}`).toString('base64')}`, 'content-type': 'text/plain' },
    });
    if (response.status !== 201) throw new Error(`upload ${name}: ${response.status} ${await response.text()}`);
  };
  await put('rtr-tyo-1.cfg', intendedConfig);
  await put('rtr-tyo-1.cfg', intendedConfig.replace(' description uplink\n', ' description uplink\n shutdown\n'));
  await put('rtr-osa-2.cfg', 'hostname rtr-osa-2\n');
  await sink.flush();
  const logDir = join(dir, 'data', 'logs', 'netsidecar', 'config');
  const events: InsightsEvent[] = [];
  for (const file of (await readdir(logDir)).sort()) {
    for (const line of (await readFile(join(logDir, file), 'utf8')).split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line) as { receivedAt: string };
      events.push({ timestamp: Date.parse(event.receivedAt), message: line, logStream: file.replace(/\.jsonl$/, ''), logGroup: '/netsidecar/config' });
    }
  }
  return events;
}
