import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '@netsidecar/telemetry';
import type { Registry } from 'prom-client';
import { TASK_NAME } from '../spool/orphan-spools.js';
import { RETRY_BASE_MS, RETRY_CAP_MS } from './retry/backoff.js';
import { DEFAULT_MAX_EVENT_BYTES, EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES } from './limits.js';
import { systemTimers, type Timers } from './timers.js';

export interface CloudWatchSinkOptions {
  /**
   * The SDK client. By default `new CloudWatchLogsClient({ maxAttempts: 1 })`, which takes region,
   * endpoint (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`, `AWS_ENDPOINT_URL`) and credentials from the
   * standard AWS environment; `maxAttempts: 1` because the sink does its own retries. A client
   * passed in is not destroyed by `close()`.
   */
  client?: CloudWatchLogsClient;
  /** `NETSIDECAR_DATA_DIR`; the spool lives in `<dataDir>/spool/<name>/`. */
  dataDir: string;
  /** Spool folder name, one path component: the service, e.g. `syslog`. */
  name: string;
  registry: Registry;
  logger: Logger;
  /** Longest wait before a stream's events are sent. */
  flushIntervalMs?: number;
  /** Events kept in memory (message bytes + 26 each); beyond it they wait in the spool only. */
  memoryLimitBytes?: number;
  /** Size cap of the spool's files; beyond it `write()` refuses. */
  spoolLimitBytes?: number;
  /** Spool file size; default spoolLimitBytes / 32 within [64 KiB, 16 MiB]. */
  spoolSegmentBytes?: number;
  /** Above this many spool bytes, `write()` answers `backpressure`; default 3/4 of spoolLimitBytes. */
  highWaterMarkBytes?: number;
  /**
   * Streams with a PutLogEvents in flight at once (one per stream, always). At most half of them
   * (at least one) may be streams not known to exist yet (scheduler/scheduler.ts, "Fairness").
   */
  maxConcurrentStreams?: number;
  /**
   * The same during close(): a task that is going away spends its deadline on many streams at once
   * rather than one slow call after another; default max(32, maxConcurrentStreams).
   */
  drainConcurrentStreams?: number;
  /** CreateLogStream and CreateLogGroup calls per second, at most (request/creation-rate.ts). */
  streamCreationsPerSecond?: number;
  /**
   * This task's name on a spool volume every task of the service shares (EFS): the spool is then
   * `<dataDir>/spool/<name>/tasks/<spoolOwner>/`, under a lease, and the sink adopts the spools of
   * tasks that are gone (spool-adoption.ts). Unset: the spool is `<dataDir>/spool/<name>/`, this
   * task's alone, and nothing adopts it if the task never comes back.
   */
  spoolOwner?: string;
  /** A shared spool whose lease was not renewed for this long is adopted by another task. */
  spoolLeaseMs?: number;
  /** A call not answered within this is aborted and retried. */
  requestTimeoutMs?: number;
  /** Largest event sent (message bytes + 26); larger messages are split into parts. */
  maxEventBytes?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Clock for `close(deadline)`, ms since the epoch. */
  now?: () => number;
  timers?: Timers;
  /** [0, 1) source for backoff jitter. */
  random?: () => number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 1_000; // 1 s
export const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024; // 64 MiB
export const DEFAULT_SPOOL_LIMIT_BYTES = 2 * 1024 * 1024 * 1024; // 2 GiB
export const DEFAULT_MAX_CONCURRENT_STREAMS = 4;
export const DEFAULT_DRAIN_CONCURRENT_STREAMS = 32;
/** A fifth of the account's 50 CreateLogStream TPS: room for the other tasks and services. */
export const DEFAULT_STREAM_CREATIONS_PER_SECOND = 10;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000; // 10 s
/** Long beyond any pause of a live task, short against the time a replaced task's events wait. */
export const DEFAULT_SPOOL_LEASE_MS = 60_000; // 1 min
const MIN_SEGMENT_BYTES = 64 * 1024; // 64 KiB
const MAX_SEGMENT_BYTES = 16 * 1024 * 1024; // 16 MiB

export type ResolvedOptions = Readonly<
  Required<Omit<CloudWatchSinkOptions, 'client' | 'spoolOwner'>> & { client: CloudWatchLogsClient | undefined; spoolOwner: string | undefined }
>;

/** A start-up error: bad sink options. */
export class SinkOptionError extends TypeError {
  readonly code = 'NETSIDECAR_SINK_INVALID_OPTION';
}

const KNOWN = new Set<string>([
  'client',
  'dataDir',
  'name',
  'registry',
  'logger',
  'flushIntervalMs',
  'memoryLimitBytes',
  'spoolLimitBytes',
  'spoolSegmentBytes',
  'highWaterMarkBytes',
  'maxConcurrentStreams',
  'drainConcurrentStreams',
  'streamCreationsPerSecond',
  'spoolOwner',
  'spoolLeaseMs',
  'requestTimeoutMs',
  'maxEventBytes',
  'retryBaseMs',
  'retryCapMs',
  'now',
  'timers',
  'random',
]);

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SinkOptionError(`CloudWatch sink option ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Validates once, fills in defaults, freezes. Unknown option names are an error. */
export function resolveOptions(options: CloudWatchSinkOptions): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new SinkOptionError(`CloudWatch sink: unknown option ${key}`);
  }
  if (typeof options.dataDir !== 'string' || options.dataDir === '') throw new SinkOptionError('CloudWatch sink option dataDir is required');
  if (typeof options.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(options.name)) {
    throw new SinkOptionError(`CloudWatch sink option name must be one safe path component, got ${JSON.stringify(options.name)}`);
  }
  if (options.spoolOwner !== undefined && (typeof options.spoolOwner !== 'string' || !TASK_NAME.test(options.spoolOwner))) {
    throw new SinkOptionError(`CloudWatch sink option spoolOwner must be one safe path component, got ${JSON.stringify(options.spoolOwner)}`);
  }
  if (options.registry === undefined || options.logger === undefined) throw new SinkOptionError('CloudWatch sink options registry and logger are required');
  const spoolLimitBytes = integer('spoolLimitBytes', options.spoolLimitBytes, DEFAULT_SPOOL_LIMIT_BYTES, 4096);
  const maxEventBytes = integer('maxEventBytes', options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES, 256, MAX_BATCH_BYTES);
  const retryBaseMs = integer('retryBaseMs', options.retryBaseMs, RETRY_BASE_MS, 1);
  const maxConcurrentStreams = integer('maxConcurrentStreams', options.maxConcurrentStreams, DEFAULT_MAX_CONCURRENT_STREAMS, 1, 1024);
  const resolved: ResolvedOptions = {
    client: options.client,
    dataDir: options.dataDir,
    name: options.name,
    registry: options.registry,
    logger: options.logger,
    flushIntervalMs: integer('flushIntervalMs', options.flushIntervalMs, DEFAULT_FLUSH_INTERVAL_MS, 1),
    memoryLimitBytes: integer('memoryLimitBytes', options.memoryLimitBytes, DEFAULT_MEMORY_LIMIT_BYTES, 1024),
    spoolLimitBytes,
    spoolSegmentBytes: integer(
      'spoolSegmentBytes',
      options.spoolSegmentBytes,
      Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, Math.floor(spoolLimitBytes / 32))),
      1024,
    ),
    highWaterMarkBytes: integer('highWaterMarkBytes', options.highWaterMarkBytes, Math.floor((spoolLimitBytes * 3) / 4), 1),
    maxConcurrentStreams,
    drainConcurrentStreams: integer(
      'drainConcurrentStreams',
      options.drainConcurrentStreams,
      Math.max(DEFAULT_DRAIN_CONCURRENT_STREAMS, maxConcurrentStreams),
      maxConcurrentStreams,
      1024,
    ),
    streamCreationsPerSecond: integer('streamCreationsPerSecond', options.streamCreationsPerSecond, DEFAULT_STREAM_CREATIONS_PER_SECOND, 1, 10_000),
    spoolOwner: options.spoolOwner,
    spoolLeaseMs: integer('spoolLeaseMs', options.spoolLeaseMs, DEFAULT_SPOOL_LEASE_MS, 1_000),
    requestTimeoutMs: integer('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 1),
    maxEventBytes,
    retryBaseMs,
    retryCapMs: integer('retryCapMs', options.retryCapMs, RETRY_CAP_MS, retryBaseMs),
    now: options.now ?? Date.now,
    timers: options.timers ?? systemTimers,
    random: options.random ?? Math.random,
  };
  if (maxEventBytes - EVENT_OVERHEAD_BYTES < 128) throw new SinkOptionError('CloudWatch sink option maxEventBytes is too small');
  return Object.freeze(resolved);
}
