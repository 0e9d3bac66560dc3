import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { NewStreamCap, StreamNames, type RunningService, type ServiceContext } from '@netsidecar/runtime';
import { ConfigError, type ConfigOf } from '@netsidecar/config';
import { gauge, kernelUdpDrops } from '@netsidecar/telemetry';
import { chooseUdpIo, leastReceiveQueueBytes } from '@netsidecar/udp-batch';
import type { syslogVariables } from './config.js';
import { Ingest } from './ingest.js';
import { eventEncoding } from './event-encoding.js';
import { encodesNatively } from './native-line-encoder.js';

import { ParsePool } from './parse-pool.js';
import { UDP_KERNEL_DROPS_METRIC, UDP_RECEIVE_QUEUE_BYTES_METRIC, UDP_RECEIVE_QUEUE_FULL_METRIC, createSyslogMetrics } from './metrics.js';
import { startStreamListener, type StreamListener } from './stream-listener.js';
import { FrameBudget } from './frame-budget.js';
import { startUdpListener } from './udp-listener.js';

export type SyslogConfig = ConfigOf<typeof syslogVariables>;

export interface RunningSyslog extends RunningService {
  readonly udpPort: number;
  readonly tcpPort: number;
  /** null when no certificate is configured. */
  readonly tlsPort: number | null;
}

/** Opens the UDP, TCP and (with a certificate) TLS listeners, all feeding one Ingest. */
export async function startSyslogService(context: ServiceContext<SyslogConfig>): Promise<RunningSyslog> {
  const { config, sink, registry } = context;
  const logger = context.logger;
  const metrics = createSyslogMetrics(registry);
  const encoding = eventEncoding(config.NETSIDECAR_SYSLOG_SCHEMA, sink.kind, config.NETSIDECAR_SYSLOG_NATIVE_ENCODER);
  // Host names come from message text: new streams are capped per source address and per minute.
  const cap = new NewStreamCap({ perSource: config.NETSIDECAR_SYSLOG_NEW_STREAMS_PER_SOURCE, perMinute: config.NETSIDECAR_SYSLOG_NEW_STREAMS_PER_MINUTE });
  const ingest = new Ingest(sink, context.logGroup, metrics, encoding, new StreamNames({ cap, capped: metrics.streamsCapped }));
  const address = config.NETSIDECAR_SYSLOG_BIND_ADDRESS;
  // Read before any socket opens, so a bad certificate stops the start cleanly.
  const tlsFiles = readTlsFiles(config.NETSIDECAR_SYSLOG_TLS_CERT_FILE, config.NETSIDECAR_SYSLOG_TLS_KEY_FILE);

  checkReceiveQueue(config.NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE, config.NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE);
  const io = chooseUdpIo(config.NETSIDECAR_SYSLOG_UDP_IO);
  const { workers, maxWorkers } = parseWorkerCount(config.NETSIDECAR_SYSLOG_PARSE_WORKERS, availableParallelism());
  const pool = workers > 0 ? await ParsePool.start({ workers, maxWorkers, encoding, ingest, logger }) : null;
  const udp = await startUdpListener({
    io,
    pool,
    address,
    port: config.NETSIDECAR_SYSLOG_UDP_PORT,
    receiveBufferBytes: config.NETSIDECAR_SYSLOG_UDP_RECEIVE_BUFFER,
    receiveQueueBytes: config.NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE,
    maxMessageBytes: config.NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE,
    ingest,
    metrics,
    logger,
  });
  gauge(registry, UDP_KERNEL_DROPS_METRIC, 'Datagrams the kernel dropped before the service read them (receive buffer full)', [], function () {
    const drops = kernelUdpDrops(udp.port);
    if (drops !== null) this.set(drops);
  });
  // Which side lost the race when the kernel drops: a full receive queue means the event loop (or
  // the parse workers behind it) was behind; an empty one, that the receive thread was not scheduled.
  gauge(registry, UDP_RECEIVE_QUEUE_BYTES_METRIC, 'Bytes in the UDP receive queue (datagrams read, not yet parsed)', [], function () {
    this.set(udp.receiveQueue()?.usedBytes ?? 0);
  });
  gauge(registry, UDP_RECEIVE_QUEUE_FULL_METRIC, 'Times the UDP receive thread found its queue full and stopped reading (since start)', [], function () {
    this.set(udp.receiveQueue()?.fullWaits ?? 0);
  });

  // One budget for TCP and TLS together: it bounds the memory of the whole process.
  const budget = new FrameBudget(config.NETSIDECAR_SYSLOG_FRAME_BUDGET, config.NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE, config.NETSIDECAR_SYSLOG_FRAME_TIMEOUT);
  const streamOptions = {
    address,
    budget,
    maxMessageBytes: config.NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE,
    maxConnections: config.NETSIDECAR_SYSLOG_MAX_CONNECTIONS,
    idleTimeoutMs: config.NETSIDECAR_SYSLOG_IDLE_TIMEOUT,
    ingest,
    pool,
    sink,
    metrics,
    logger,
  };
  const tcp = await startStreamListener({ ...streamOptions, transport: 'tcp', port: config.NETSIDECAR_SYSLOG_TCP_PORT });

  let tls: StreamListener | null = null;
  if (tlsFiles) {
    tls = await startStreamListener({ ...streamOptions, transport: 'tls', port: config.NETSIDECAR_SYSLOG_TLS_PORT, tls: tlsFiles });
  }
  gauge(registry, 'netsidecar_syslog_tcp_held_frame_bytes', 'Bytes held for unfinished TCP/TLS frames, all connections', [], function () {
    this.set(tcp.heldBytes() + (tls?.heldBytes() ?? 0));
  });
  gauge(registry, 'netsidecar_syslog_tcp_budget_waiting', 'TCP/TLS connections not read because the frame budget is used up', [], function () {
    this.set(budget.waiting);
  });
  logger.info('listening', {
    udpPort: udp.port,
    tcpPort: tcp.port,
    tlsPort: tls?.port ?? null,
    address,
    udpIo: io.kind,
    parseWorkers: workers,
    parseWorkersForStreams: maxWorkers,
    // The commonest lines encoded in C (native/line_encoder.c), or every line in TypeScript.
    lineEncoder: encodesNatively(encoding) ? 'native' : 'typescript',
  });

  return {
    udpPort: udp.port,
    tcpPort: tcp.port,
    tlsPort: tls?.port ?? null,
    stop: async (deadline?: number) => {
      // TCP and TLS senders get half the time left to have what they sent read; the sink gets the rest.
      const readUntil = deadline === undefined ? undefined : Date.now() + Math.max(0, deadline - Date.now()) / 2;
      await Promise.all([udp.close(), tcp.close(readUntil), tls?.close(readUntil)]);
      // What was read (UDP datagrams, TCP and TLS frames) is accepted: the workers finish it before the sink drains.
      // At the deadline, what still waits for a sink that pushes back goes to it, which counts what it refuses.
      await pool?.close(deadline);
    },
  };
}

/**
 * Parse workers at the start, and at most once TCP or TLS senders wait on them (ParsePool's
 * `maxWorkers`). `auto`: two from the start when each gets a core of its own beside the thread that
 * reads the sockets (three cores). On two cores one, and a second only for stream senders: UDP is
 * read by a thread of its own, which a second worker would take turns with (more datagrams lost at
 * the same rate, bench/README.md), while streams are read by the event loop, which then has time to
 * spare. A number is the count, fixed.
 */
export function parseWorkerCount(setting: number | 'auto', cores: number): { workers: number; maxWorkers: number } {
  if (setting !== 'auto') return { workers: setting, maxWorkers: setting };
  if (cores >= 3) return { workers: 2, maxWorkers: 2 };
  return { workers: 1, maxWorkers: cores >= 2 ? 2 : 1 };
}

/** The addon opens a receive queue only when four of the largest datagrams fit: said here, by name. */
function checkReceiveQueue(queueBytes: number, maxMessageBytes: number): void {
  const least = leastReceiveQueueBytes(maxMessageBytes);
  if (queueBytes !== 0 && queueBytes < least) {
    throw new ConfigError(
      'NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE',
      `must be 0 (no receive thread) or at least ${least} bytes: four of the largest datagrams (NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE ${maxMessageBytes})`,
    );
  }
}

function readTlsFiles(certFile: string | null, keyFile: string | null): { cert: Buffer; key: Buffer } | null {
  if ((certFile === null) !== (keyFile === null)) {
    throw new ConfigError(
      'NETSIDECAR_SYSLOG_TLS_CERT_FILE',
      'NETSIDECAR_SYSLOG_TLS_CERT_FILE and NETSIDECAR_SYSLOG_TLS_KEY_FILE go together: set both or neither',
    );
  }
  if (certFile === null || keyFile === null) return null;
  const read = (variable: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(variable, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return { cert: read('NETSIDECAR_SYSLOG_TLS_CERT_FILE', certFile), key: read('NETSIDECAR_SYSLOG_TLS_KEY_FILE', keyFile) };
}
