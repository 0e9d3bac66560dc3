import type { RunningService, ServiceContext } from '@netsidecar/runtime';
import { ConfigError, type ConfigOf } from '@netsidecar/config';
import { gauge, kernelUdpDrops } from '@netsidecar/telemetry';
import { chooseUdpIo } from '@netsidecar/udp-batch';
import { loadKeys } from './auth/load-keys.js';
import { AnchoredClock } from './clock/anchored-clock.js';
import type { Clock } from './clock/clock.js';
import { measurePrecision } from './clock/precision.js';
import { ServedClock } from './clock/served-clock.js';
import type { ntpVariables } from './config.js';
import { clientSummaryFields, clientWarningFields, statusFields, upstreamSampleFields } from './event-builders.js';
import { NtpEvents, roundMs, upstreamStream } from './events.js';
import { createNtpMetrics, registerReferenceGauges } from './metrics.js';
import { nsToMs } from './packet/ntp-time.js';
import { ClientTable } from './server/client-table.js';
import type { ClientOffset } from './server/client-offset.js';
import { startNtpListener } from './server/ntp-listener.js';
import { RateLimiter } from './server/rate-limiter.js';
import { Responder } from './server/responder.js';
import { readHostClockBound, type HostClockBound } from './upstream/host-clock-bound.js';
import { UpstreamPoller } from './upstream/poller.js';
import { Reference } from './upstream/reference.js';
import { SntpClient, type QueryResult } from './upstream/sntp-client.js';
import { localSource, serverSource, type ReferenceSource } from './upstream/source.js';

export type NtpConfig = ConfigOf<typeof ntpVariables>;

/** Test seams; production uses the defaults. */
export interface NtpServiceOptions {
  /** The raw clock (default: process.hrtime anchored to Date.now). */
  rawClock?: Clock;
  /** The wall clock the `local` source follows (default Date.now). */
  wallClockMs?: () => number;
  /** Our precision, log2 s (default: measured). */
  precision?: number;
  /** For the rate limiter's leak (default Math.random). */
  random?: () => number;
  /** Start burst: requests and spacing (default 4, 2 s apart, as chrony's iburst). */
  burstCount?: number;
  burstSpacingMs?: number;
  upstreamTimeoutMs?: number;
  /** The ECS task metadata endpoint (default: $ECS_CONTAINER_METADATA_URI_V4; null to skip). */
  taskMetadataUri?: string | null;
  /** How often the client summaries and status checks run on their own (0: never; tests call them). */
  statusCheckIntervalMs?: number;
}

export interface RunningNtp extends RunningService {
  readonly port: number;
  readonly address: string;
  readonly reference: Reference;
  readonly served: ServedClock;
  /** Polls every upstream source now, outside the schedule. */
  pollNow(): Promise<void>;
  /** Writes the client summaries now (a timer does every NETSIDECAR_NTP_CLIENT_SUMMARY_INTERVAL). */
  flushClientSummaries(): void;
  /** Writes a status event if synchronisation changed (a timer checks every second). */
  checkStatus(): void;
}

const hostClockPollMs = 60_000; // the metadata endpoint refreshes ClockErrorBound about once a minute

export async function startNtpService(context: ServiceContext<NtpConfig>, options: NtpServiceOptions = {}): Promise<RunningNtp> {
  const { config, logger, registry, readiness, sink, logGroup } = context;
  const metrics = createNtpMetrics(registry);
  const events = new NtpEvents({ sink, logGroup, dropped: metrics.eventsDropped });
  const keys = loadKeys({ file: config.NETSIDECAR_NTP_KEYS_FILE, text: config.NETSIDECAR_NTP_KEYS });
  if (config.NETSIDECAR_NTP_REQUIRE_AUTH && !keys) {
    throw new ConfigError('NETSIDECAR_NTP_REQUIRE_AUTH', 'requiring authentication needs keys: set NETSIDECAR_NTP_KEYS_FILE or NETSIDECAR_NTP_KEYS');
  }

  const served = new ServedClock(options.rawClock ?? new AnchoredClock());
  const precision = options.precision ?? measurePrecision();
  const pollIntervalMs = config.NETSIDECAR_NTP_POLL_INTERVAL;
  const upstream = config.NETSIDECAR_NTP_UPSTREAM;
  const holdoverMs = config.NETSIDECAR_NTP_HOLDOVER;
  const nowMs = () => nsToMs(served.nowNs());

  let client: SntpClient | null = null;
  let sources: ReferenceSource[];
  if (upstream.kind === 'local') {
    const stratum = config.NETSIDECAR_NTP_LOCAL_STRATUM;
    sources = [localSource({ raw: served.raw, wallClockMs: options.wallClockMs, stratum, precision })];
    logger.warn(
      `NETSIDECAR_NTP_UPSTREAM is 'local': serving THIS MACHINE'S OWN CLOCK as stratum ${stratum} (refid LOCL), not a trusted source. ` +
        'Fine for a local run; on AWS set NETSIDECAR_NTP_UPSTREAM=169.254.169.123 (the image does).',
      { stratum },
    );
  } else {
    client = new SntpClient({
      clock: served.raw,
      precision,
      timeoutMs: options.upstreamTimeoutMs ?? Math.min(2_000, pollIntervalMs / 2), // Amazon Time Sync answers in well under 1 ms
      pollExponent: Math.round(Math.log2(pollIntervalMs / 1000)),
      onStray: (reason) => metrics.upstreamStray.inc({ reason }),
      onError: (err) => logger.debug('upstream socket error', { err }),
    });
    sources = upstream.servers.map((server) => serverSource(server, client!));
  }
  const reference = new Reference({ sources, holdoverMs, served });
  readiness.add('upstream', () => reference.state().reason);

  let hostClock: HostClockBound | null = null;
  registerReferenceGauges(registry, reference);

  const onResult = (source: ReferenceSource, result: QueryResult): void => {
    metrics.upstreamSamples.inc({ server: source.label, result: result.ok ? 'ok' : result.reason });
    reference.addResult(source.label, result);
    if (result.ok) {
      metrics.upstreamOffset.set({ server: source.label }, Number(result.sample.offsetNs) / 1e9);
      metrics.upstreamDelay.set({ server: source.label }, Number(result.sample.delayNs) / 1e9);
    } else {
      logger.debug('upstream sample rejected', { server: source.label, result: result.reason, kissCode: result.kissCode });
    }
    events.write(upstreamStream, nowMs(), upstreamSampleFields(source, result, reference.state(), hostClock));
    checkStatus();
  };

  const checkStatus = (): void => {
    const change = reference.transition();
    if (!change) return;
    const state = reference.state();
    events.write(upstreamStream, nowMs(), statusFields(change, state, holdoverMs));
    const fields = {
      selected: state.selected,
      stratum: state.stratum,
      refId: state.refIdText,
      offsetMs: roundMs(nsToMs(state.offsetNs)),
      reason: state.reason,
    };
    if (state.synchronised) logger.info(change.previousSynchronised ? 'upstream source changed' : 'synchronised', fields);
    else logger.warn('not synchronised: answering LI=3, stratum 0, and not ready', fields);
  };

  const limiter = new RateLimiter(
    {
      enabled: config.NETSIDECAR_NTP_RATE_LIMIT,
      intervalLog2: config.NETSIDECAR_NTP_RATE_LIMIT_INTERVAL,
      burst: config.NETSIDECAR_NTP_RATE_LIMIT_BURST,
      leakLog2: config.NETSIDECAR_NTP_RATE_LIMIT_LEAK,
    },
    options.random,
  );
  const summaryIntervalMs = config.NETSIDECAR_NTP_CLIENT_SUMMARY_INTERVAL;
  const clients = new ClientTable({
    maxClients: config.NETSIDECAR_NTP_MAX_CLIENTS,
    idleMs: Math.max(2 * summaryIntervalMs, 3_600_000), // keep the exchange memory of a slow poller (ntpd maxpoll 17 is 36 h; most poll ≤ 1024 s)
    newBucket: (ms) => limiter.newBucket(ms),
    bucketIsFull: (bucket, ms) => limiter.isFull(bucket, ms),
    onEvict: () => metrics.clientsEvicted.inc(),
  });
  gauge(registry, 'netsidecar_ntp_clients', 'Client addresses remembered', [], function () {
    this.set(clients.size);
  });
  const thresholdMs = config.NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD;
  const onClientWarning = (entry: { ip: string; lastVersion: number }, offset: ClientOffset): void => {
    metrics.clientClockWarnings.inc();
    events.write(entry.ip, nowMs(), clientWarningFields(entry.ip, entry.lastVersion, offset, thresholdMs));
  };
  const responder = new Responder({
    reference,
    keys,
    requireAuth: config.NETSIDECAR_NTP_REQUIRE_AUTH,
    limiter,
    clients,
    metrics,
    precision,
    offsetThresholdNs: BigInt(thresholdMs) * 1_000_000n,
    onClientWarning,
  });

  const flushClientSummaries = (): void => {
    const now = nowMs();
    for (const summary of clients.takeSummaries(now)) events.write(summary.clientIp, now, clientSummaryFields(summary));
  };

  const io = chooseUdpIo(config.NETSIDECAR_NTP_UDP_IO);
  const listener = await startNtpListener({
    io,
    address: config.NETSIDECAR_NTP_BIND_ADDRESS,
    port: config.NETSIDECAR_NTP_PORT,
    receiveBufferBytes: config.NETSIDECAR_NTP_UDP_RECEIVE_BUFFER,
    clock: served,
    responder,
    logger,
  });
  metrics.udpReceiveBuffer.set(listener.receiveBufferBytes);
  gauge(registry, 'netsidecar_ntp_udp_kernel_drops', 'Requests the kernel dropped before the service read them (receive buffer full)', [], function () {
    const drops = kernelUdpDrops(listener.port);
    if (drops !== null) this.set(drops);
  });

  const poller = new UpstreamPoller({
    sources,
    pollIntervalMs,
    burstCount: options.burstCount ?? (upstream.kind === 'local' ? 1 : 4),
    burstSpacingMs: options.burstSpacingMs ?? 2_000,
    onResult,
    onError: (source, err) => logger.error('upstream query failed', { server: source.label, err }),
  });
  poller.start();

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, run: () => void) => {
    if (ms <= 0) return;
    const timer = setInterval(run, ms);
    timer.unref();
    timers.push(timer);
  };
  every(options.statusCheckIntervalMs ?? 1_000, checkStatus);
  every(options.statusCheckIntervalMs === 0 ? 0 : summaryIntervalMs, flushClientSummaries);

  const metadataUri = options.taskMetadataUri === undefined ? (process.env.ECS_CONTAINER_METADATA_URI_V4 ?? null) : options.taskMetadataUri;
  if (metadataUri) {
    const bound = gauge(registry, 'netsidecar_ntp_host_clock_error_bound_seconds', "Fargate's ClockErrorBound for this task (task metadata endpoint v4)");
    const refresh = () =>
      void readHostClockBound(metadataUri).then(
        (value) => {
          hostClock = value;
          if (value) bound.set(value.boundMs / 1000);
        },
        (err: unknown) => logger.debug('task metadata endpoint unavailable', { err }),
      );
    refresh();
    every(hostClockPollMs, refresh);
  }

  logger.info('listening', {
    ntpPort: listener.port,
    address: listener.address,
    udpIo: io.kind,
    upstream: upstream.kind === 'local' ? 'local' : upstream.servers.map((server) => server.label),
    pollIntervalMs,
    holdoverMs,
    precision,
    keys: keys?.summary() ?? null,
    requireAuth: config.NETSIDECAR_NTP_REQUIRE_AUTH,
    rateLimit: limiter.settings,
  });

  return {
    port: listener.port,
    address: listener.address,
    reference,
    served,
    pollNow: () => poller.pollNow(),
    flushClientSummaries,
    checkStatus,
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await listener.close();
      await poller.stop();
      await client?.close();
      // The last partial period of every client goes out before the runtime drains the sink.
      flushClientSummaries();
    },
  };
}
