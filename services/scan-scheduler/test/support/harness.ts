import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { createRegistry } from '@netsidecar/telemetry';
import type { DrainReport, Sink, SinkEvent, WriteOutcome } from '@netsidecar/sink';
import { createScanMetrics, Notifier, ScanEvents, SlackClient, TrivyRunner, type Severity, type SlackWebhooks, type StateStore } from '../../src/index.js';

export const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const fakeTrivy = join(fixtures, 'trivy');

/** `sha256:` + 64 hex, stable per name. */
export function digestOf(name: string): string {
  return `sha256:${createHash('sha256').update(name).digest('hex')}`;
}

/** Collects events in memory: what the tests read instead of files. */
export class MemorySink implements Sink {
  readonly kind = 'stdout' as const;
  readonly events: SinkEvent[] = [];
  readonly durableOnWrite = false;
  write(event: SinkEvent): WriteOutcome {
    this.events.push(event);
    return 'ok';
  }
  writeGroup(events: readonly SinkEvent[]): WriteOutcome {
    let outcome: WriteOutcome = 'ok';
    for (const event of events) outcome = this.write(event);
    return outcome;
  }
  async whenWritable(): Promise<void> {}
  async flush(): Promise<void> {}
  async close(): Promise<DrainReport> {
    return { delivered: 0, pending: 0, pendingSpooled: false };
  }
  queuedEvents(): number {
    return 0;
  }
  refusalReason(): string | null {
    return null;
  }
  parsed(): Record<string, any>[] {
    return this.events.map((event) => JSON.parse(event.message) as Record<string, any>);
  }
  ofType(type: string): Record<string, any>[] {
    return this.parsed().filter((event) => event.type === type);
  }
}

export async function tempDir(t: { teardown(fn: () => unknown): void }, prefix = 'netsidecar-scan-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface FakeVuln {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: Severity;
  PURL?: string;
}

/** Writes the stand-in trivy's scenario file. */
export class Scenario {
  private readonly images: Record<string, { mode: string; vulnerabilities?: FakeVuln[] }> = {};
  /** The DB `trivy version` reports; null: no DB downloaded yet. */
  dbUpdatedAt: string | null = '2026-11-22T18:00:00Z';
  constructor(readonly path: string) {}
  set(digest: string, mode: 'ok' | 'fail' | 'timeout' | 'malformed' | 'garbage' | 'hang', vulnerabilities: FakeVuln[] = []): Promise<void> {
    this.images[digest.slice('sha256:'.length)] = { mode, vulnerabilities };
    return this.save();
  }
  save(): Promise<void> {
    return writeFile(this.path, JSON.stringify({ dbUpdatedAt: this.dbUpdatedAt, images: this.images }));
  }
}

export function trivyRunner(dir: string, scenario: Scenario, timeoutMs = 30_000): TrivyRunner {
  return new TrivyRunner({
    path: fakeTrivy,
    server: null,
    cacheDir: null,
    timeoutMs,
    env: { ...process.env, FAKE_TRIVY_SCENARIO: scenario.path, FAKE_TRIVY_LOG: join(dir, 'trivy-calls.log') },
  });
}

/** A settable clock. */
export class TestClock {
  constructor(public ms = Date.parse('2026-11-23T04:00:00.000Z')) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function deps(options: { store: StateStore; clock: TestClock; webhooks?: SlackWebhooks | null; slack?: SlackClient; severities?: Severity[] }) {
  const sink = new MemorySink();
  const registry = createRegistry('scan');
  const metrics = createScanMetrics(registry, 2, () => 0);
  const events = new ScanEvents({ sink, logGroup: '/netsidecar/scan', dropped: metrics.eventsDropped, now: options.clock.now });
  const notifier = new Notifier({
    webhooks: options.webhooks ?? null,
    severities: options.severities ?? ['CRITICAL', 'HIGH'],
    client: options.slack ?? new SlackClient({ sleep: async () => {} }),
    store: options.store,
    events,
    now: options.clock.now,
  });
  return { sink, registry, metrics, events, notifier };
}
