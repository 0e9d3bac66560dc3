// A Responder with everything around it faked: a fixed reference state, fixed T2/T3, metrics on a
// private registry. For unit tests of the decision pipeline, without sockets.
import { createRegistry } from '@netsidecar/telemetry';
import type { KeyRing } from '../../src/auth/key-ring.js';
import { createNtpMetrics } from '../../src/metrics.js';
import { ClientTable } from '../../src/server/client-table.js';
import type { ClientOffset } from '../../src/server/client-offset.js';
import { chronyRateLimitDefaults, RateLimiter, type RateLimitSettings } from '../../src/server/rate-limiter.js';
import { Responder } from '../../src/server/responder.js';
import type { ReferenceState } from '../../src/upstream/reference.js';

export const synchronisedState: ReferenceState = {
  synchronised: true,
  leap: 0,
  stratum: 2,
  refId: 0xa9fea97b,
  refIdText: '169.254.169.123',
  referenceTimestamp: 0xed00000000000000n,
  rootDelayS: 0.0005,
  rootDispersionS: 0.001,
  offsetNs: 0n,
  selected: '169.254.169.123:123',
  lastSampleAgeS: 3,
  reason: null,
};

export interface ResponderHarnessOptions {
  state?: ReferenceState;
  keys?: KeyRing | null;
  requireAuth?: boolean;
  rateLimit?: Partial<RateLimitSettings>;
  random?: () => number;
  thresholdMs?: number;
  maxClients?: number;
}

export function responderHarness(options: ResponderHarnessOptions = {}) {
  const registry = createRegistry('ntp');
  const metrics = createNtpMetrics(registry);
  let state = options.state ?? synchronisedState;
  const limiter = new RateLimiter({ ...chronyRateLimitDefaults, enabled: false, ...options.rateLimit }, options.random ?? (() => 0.99));
  const clients = new ClientTable({
    maxClients: options.maxClients ?? 1000,
    idleMs: 3_600_000,
    newBucket: (ms) => limiter.newBucket(ms),
    bucketIsFull: (bucket, ms) => limiter.isFull(bucket, ms),
  });
  const warnings: { ip: string; offset: ClientOffset }[] = [];
  const responder = new Responder({
    reference: { state: () => state },
    keys: options.keys ?? null,
    requireAuth: options.requireAuth ?? false,
    limiter,
    clients,
    metrics,
    precision: -22,
    offsetThresholdNs: BigInt(options.thresholdMs ?? 1000) * 1_000_000n,
    onClientWarning: (entry, offset) => warnings.push({ ip: entry.ip, offset }),
  });
  /** Our clock: T2 at `nowNs`, T3 50 µs later. */
  let nowNs = BigInt(Date.UTC(2026, 10, 22, 12)) * 1_000_000n;
  const ask = (request: Buffer, ip = '192.0.2.1'): Buffer | null => {
    const pending = responder.handle(request, ip, nowNs);
    return pending ? pending.finish(nowNs + 50_000n) : null;
  };
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const family = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    const sample = family?.values.find((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value));
    return sample?.value ?? 0;
  };
  return {
    responder,
    clients,
    warnings,
    ask,
    metric,
    get nowNs() {
      return nowNs;
    },
    advanceMs(ms: number) {
      nowNs += BigInt(Math.round(ms * 1e6));
    },
    setState(next: ReferenceState) {
      state = next;
    },
  };
}
