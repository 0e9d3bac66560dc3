import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Test } from 'tap';
import { commonVariables, loadConfig } from '@netsidecar/config';
import { FileSink, fileNameOf, type Sink } from '@netsidecar/sink';
import { Readiness, createLogger, createRegistry, silentLogger } from '@netsidecar/telemetry';
import { syslogVariables, startSyslogService, type RunningSyslog } from '@netsidecar/syslog';
import { syslogMessageAsVersion1 } from '@netsidecar/contracts';
import { eventually } from '@netsidecar/test-support/eventually';
import type { SyslogEvent } from '@netsidecar/contracts';

export interface TestSyslog {
  service: RunningSyslog;
  registry: Registry;
  sink: Sink;
  dataDir: string;
  /** The service's operational log lines (info and above), parsed. */
  logs: Record<string, unknown>[];
  /** How the service reads UDP, as its 'listening' log says: 'recvmmsg' or 'dgram'. */
  udpIo: unknown;
  /**
   * Flushes the sink and returns the events of one stream (device), or of all streams, as `syslog/1`:
   * the service writes `syslog/2` by default, read back here as the audit CLI reads it (so every
   * test through this harness also checks that nothing was lost).
   */
  events(stream?: string): Promise<SyslogEvent[]>;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Polls (flushing the sink) until `count` events are there; fails after 10 s. */
  waitForEvents(count: number, stream?: string): Promise<SyslogEvent[]>;
}

/**
 * The two ways the service reads UDP (NETSIDECAR_SYSLOG_UDP_IO): tests of UDP behaviour run under
 * each, since the default (auto) only ever exercises recvmmsg where the addon is built.
 */
export const udpIoModes = ['recvmmsg', 'dgram'] as const;
export type TestUdpIo = (typeof udpIoModes)[number];

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The real service on 127.0.0.1, ports 0, with a file sink in a temporary directory. */
export async function startTestSyslog(t: Teardown, env: Record<string, string> = {}, sinkOverride?: Sink): Promise<TestSyslog> {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-syslog-'));
  const config = loadConfig(
    { ...commonVariables, ...syslogVariables },
    {
      ownPrefix: 'NETSIDECAR_SYSLOG_',
      env: {
        NETSIDECAR_DATA_DIR: dataDir,
        NETSIDECAR_SYSLOG_BIND_ADDRESS: '127.0.0.1',
        NETSIDECAR_SYSLOG_UDP_PORT: '0',
        NETSIDECAR_SYSLOG_TCP_PORT: '0',
        NETSIDECAR_SYSLOG_TLS_PORT: '0',
        NETSIDECAR_SYSLOG_UDP_RECEIVE_BUFFER: '1MiB',
        ...env,
      },
    },
  );
  const registry = createRegistry('syslog');
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const sink = sinkOverride ?? new FileSink({ dataDir, registry, logger: silentLogger });
  const service = await startSyslogService({ config, logger, registry, readiness: new Readiness(), sink, logGroup: '/netsidecar/syslog' });
  t.teardown(async () => {
    await service.stop();
    await sink.close(Date.now() + 2_000);
    await rm(dataDir, { recursive: true, force: true });
  });

  const events = async (stream?: string): Promise<SyslogEvent[]> => {
    await sink.flush();
    const dir = join(dataDir, 'logs/netsidecar/syslog');
    const files = stream ? [fileNameOf(stream)] : (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.jsonl'));
    const all: SyslogEvent[] = [];
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line) all.push(JSON.parse(syslogMessageAsVersion1(line, Number.NaN)) as SyslogEvent);
    }
    return all;
  };
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const family = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    const sample = family?.values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
    return sample?.value ?? 0;
  };
  const waitForEvents = (count: number, stream?: string): Promise<SyslogEvent[]> =>
    eventually(
      async () => {
        const found = await events(stream);
        if (found.length < count) throw new Error(`${found.length} events`);
        return found;
      },
      { timeoutMs: 10_000, intervalMs: 20, what: `${count} events${stream === undefined ? '' : ` in stream ${stream}`}` },
    );
  const udpIo = logs.find((line) => line.msg === 'listening')?.udpIo;
  return { service, registry, sink, dataDir, logs, udpIo, events, metric, waitForEvents };
}

/**
 * The service reading UDP with `io` (NETSIDECAR_SYSLOG_UDP_IO), and asserting that it says so in
 * its 'listening' log: a silent fallback to the other reader fails the test.
 */
export async function startTestSyslogWithIo(t: Test, io: TestUdpIo, env: Record<string, string> = {}): Promise<TestSyslog> {
  const syslog = await startTestSyslog(t, { ...env, NETSIDECAR_SYSLOG_UDP_IO: io });
  t.equal(syslog.udpIo, io, `the service reads UDP with ${io}`);
  return syslog;
}
