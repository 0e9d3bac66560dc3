// The real NTP service on 127.0.0.1, port 0, with a file sink in a temporary directory and an
// in-memory operational log; helpers to query it over UDP and read its events and metrics.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Test } from 'tap';
import { commonVariables, loadConfig } from '@netsidecar/config';
import { FileSink, type Sink } from '@netsidecar/sink';
import { Readiness, createLogger, createRegistry } from '@netsidecar/telemetry';
import { ntpVariables, startNtpService, type NtpServiceOptions, type RunningNtp } from '@netsidecar/ntp-proxy';
import { eventually } from '@netsidecar/test-support/eventually';
import { clientRequest } from './packets.js';

export interface TestNtp {
  service: RunningNtp;
  registry: Registry;
  readiness: Readiness;
  sink: Sink;
  logs: Record<string, unknown>[];
  /** How the service reads and answers UDP, as its 'listening' log says: 'recvmmsg' or 'dgram'. */
  udpIo: unknown;
  /** Events of one stream (`upstream`, a client IP), or of all streams, after flushing the sink. */
  events(stream?: string): Promise<Record<string, unknown>[]>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Sends `request` from a fresh socket on 127.0.0.1 and returns the reply (fails after 5 s). */
  query(request?: Buffer): Promise<{ reply: Buffer; sentNs: bigint; receivedNs: bigint }>;
  /**
   * Sends `request`, then a valid request from the same socket, and returns every datagram received
   * until the second one's reply. The service handles datagrams in order, so an empty array proves
   * `request` got no reply without waiting on a timer.
   */
  repliesBefore(request: Buffer): Promise<Buffer[]>;
  /** Resolves once `condition` holds, polling every 5 ms; fails after 10 s. */
  until(condition: () => boolean | Promise<boolean>, what: string): Promise<void>;
}

/**
 * The two ways the service reads and answers UDP (NETSIDECAR_NTP_UDP_IO): tests of the UDP path run
 * under each, since the default (auto) only ever exercises recvmmsg where the addon is built.
 */
export const udpIoModes = ['recvmmsg', 'dgram'] as const;
export type TestUdpIo = (typeof udpIoModes)[number];

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function startTestNtp(t: Teardown, env: Record<string, string> = {}, options: NtpServiceOptions = {}): Promise<TestNtp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-ntp-'));
  // One teardown, in order: stop, drain the sink, remove the directory (also when the start throws).
  let cleanup = () => rm(dataDir, { recursive: true, force: true });
  t.teardown(() => cleanup());
  const config = loadConfig(
    { ...commonVariables, ...ntpVariables },
    {
      ownPrefix: 'NETSIDECAR_NTP_',
      env: {
        NETSIDECAR_DATA_DIR: dataDir,
        NETSIDECAR_NTP_BIND_ADDRESS: '127.0.0.1',
        NETSIDECAR_NTP_PORT: '0',
        NETSIDECAR_NTP_HEALTH_PORT: '0',
        NETSIDECAR_NTP_UDP_RECEIVE_BUFFER: '1MiB',
        ...env,
      },
    },
  );
  const registry = createRegistry('ntp');
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const sink = new FileSink({ dataDir, registry, logger });
  const readiness = new Readiness();
  const service = await startNtpService(
    { config, logger, registry, readiness, sink, logGroup: '/netsidecar/ntp' },
    { taskMetadataUri: null, statusCheckIntervalMs: 0, ...options },
  );
  let stopped = false;
  cleanup = async () => {
    if (!stopped) await service.stop();
    await sink.close(Date.now() + 2_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  const originalStop = service.stop.bind(service);
  service.stop = async () => {
    stopped = true;
    await originalStop();
  };

  const events = async (stream?: string): Promise<Record<string, unknown>[]> => {
    await sink.flush();
    const dir = join(dataDir, 'logs/netsidecar/ntp');
    const files = stream ? [`${stream}.jsonl`] : await readdir(dir).catch(() => []);
    const all: Record<string, unknown>[] = [];
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line) all.push(JSON.parse(line) as Record<string, unknown>);
    }
    return all;
  };
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const family = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    const sample = family?.values.find((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value));
    return sample?.value ?? 0;
  };
  const withSocket = async <T>(use: (socket: ReturnType<typeof createSocket>, replies: Buffer[], next: () => Promise<void>) => Promise<T>): Promise<T> => {
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    const waiters: (() => void)[] = [];
    socket.on('message', (message) => {
      replies.push(message);
      for (const wake of waiters.splice(0)) wake();
    });
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const next = () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reply from the NTP service within 5 s')), 5_000);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    try {
      return await use(socket, replies, next);
    } finally {
      socket.close();
    }
  };
  const query = (request: Buffer = clientRequest()) =>
    withSocket(async (socket, replies, next) => {
      const arrived = next();
      const sentNs = process.hrtime.bigint();
      socket.send(request, service.port, '127.0.0.1');
      await arrived;
      return { reply: replies[0]!, sentNs, receivedNs: process.hrtime.bigint() };
    });
  const repliesBefore = (request: Buffer) =>
    withSocket(async (socket, replies) => {
      const sentinel = clientRequest({ transmit: 0x5e5e5e5e5e5e5e5en });
      socket.send(request, service.port, '127.0.0.1');
      socket.send(sentinel, service.port, '127.0.0.1');
      const isSentinel = (reply: Buffer) => reply.length >= 32 && reply.readBigUInt64BE(24) === 0x5e5e5e5e5e5e5e5en;
      await eventually(() => replies.some(isSentinel), { timeoutMs: 5_000, intervalMs: 2, what: 'the reply to the sentinel request' });
      return replies.filter((reply) => !isSentinel(reply));
    });
  const until = async (condition: () => boolean | Promise<boolean>, what: string): Promise<void> => {
    await eventually(condition, { timeoutMs: 10_000, intervalMs: 5, what });
  };
  const udpIo = logs.find((line) => line.msg === 'listening')?.udpIo;
  return { service, registry, readiness, sink, logs, udpIo, events, metric, query, repliesBefore, until };
}

/**
 * The service serving UDP with `io` (NETSIDECAR_NTP_UDP_IO), and asserting that it says so in its
 * 'listening' log: a silent fallback to the other way fails the test.
 */
export async function startTestNtpWithIo(t: Test, io: TestUdpIo, env: Record<string, string> = {}, options: NtpServiceOptions = {}): Promise<TestNtp> {
  const ntp = await startTestNtp(t, { ...env, NETSIDECAR_NTP_UDP_IO: io }, options);
  t.equal(ntp.udpIo, io, `the service serves UDP with ${io}`);
  return ntp;
}

/**
 * How far a real client's offset may be from the truth on this machine. A client's offset carries
 * up to half the round trip as error, and on a loaded 2-core CI machine a process can wait tens of
 * milliseconds for a core. 50 ms is 20 times finer than PCI DSS's 1 s and still tells apart every
 * served error the tests plant (250 ms, 1.5 s).
 */
export const clientOffsetToleranceS = 0.05;
