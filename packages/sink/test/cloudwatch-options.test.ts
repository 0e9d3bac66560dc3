import t from 'tap';
import { Registry } from 'prom-client';
import { silentLogger } from '@netsidecar/telemetry';
import { resolveOptions } from '../src/cloudwatch/config.js';

const base = { dataDir: '/tmp/x', name: 'syslog', registry: new Registry(), logger: silentLogger };

t.test('defaults are the documented ones, and frozen', async (t) => {
  const o = resolveOptions(base);
  t.match(o, {
    flushIntervalMs: 1000,
    memoryLimitBytes: 64 * 1024 * 1024,
    spoolLimitBytes: 2 * 1024 ** 3,
    spoolSegmentBytes: 16 * 1024 * 1024,
    highWaterMarkBytes: 1.5 * 1024 ** 3,
    maxConcurrentStreams: 4,
    drainConcurrentStreams: 32,
    streamCreationsPerSecond: 10,
    spoolOwner: undefined,
    spoolLeaseMs: 60_000,
    requestTimeoutMs: 10_000,
    maxEventBytes: 1_000_000,
    retryBaseMs: 100,
    retryCapMs: 30_000,
  });
  t.ok(Object.isFrozen(o));
});

t.test('bad options stop the start with the option named', async (t) => {
  t.throws(() => resolveOptions({ ...base, flushIntervalMS: 5 } as never), {
    code: 'NETSIDECAR_SINK_INVALID_OPTION',
    message: /unknown option flushIntervalMS/,
  });
  t.throws(() => resolveOptions({ ...base, memoryLimitBytes: -1 }), /memoryLimitBytes/);
  t.throws(() => resolveOptions({ ...base, name: '../etc' }), /name/);
  t.throws(() => resolveOptions({ ...base, maxEventBytes: 2_000_000 }), /maxEventBytes/);
  t.throws(() => resolveOptions({ ...base, dataDir: '' }), /dataDir/);
  t.throws(() => resolveOptions({ ...base, maxConcurrentStreams: 8, drainConcurrentStreams: 4 }), /drainConcurrentStreams must be an integer in \[8, 1024\]/);
  t.throws(() => resolveOptions({ ...base, streamCreationsPerSecond: 0 }), /streamCreationsPerSecond/);
  t.throws(() => resolveOptions({ ...base, spoolOwner: '../task' }), /spoolOwner/);
  t.equal(resolveOptions({ ...base, maxConcurrentStreams: 64 }).drainConcurrentStreams, 64, 'never fewer at the drain than before it');
});
