import t from 'tap';
import { Clock } from '@tapjs/clock';
import { UpstreamPoller } from '../src/upstream/poller.js';
import type { QueryResult } from '../src/upstream/sntp-client.js';
import type { ReferenceSource } from '../src/upstream/source.js';

const timeout: QueryResult = { ok: false, reason: 'timeout', kissCode: null, stratum: null, leap: null };

function fakeSource(label: string, clock: Clock, log: string[]): ReferenceSource {
  return { label, refId: 0, local: false, query: async () => (log.push(`${label}@${clock.now()}`), timeout) };
}

/** Lets the poller's promise chains run between clock moves. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

t.test('a burst of 4, 2 s apart, then one poll per interval, per source', async (t) => {
  const clock = new Clock();
  const log: string[] = [];
  const results: string[] = [];
  const poller = new UpstreamPoller({
    sources: [fakeSource('a', clock, log), fakeSource('b', clock, log)],
    pollIntervalMs: 16_000,
    burstCount: 4,
    burstSpacingMs: 2_000,
    onResult: (source, result) => results.push(`${source.label}:${result.ok ? 'ok' : result.reason}`),
    timers: clock,
  });
  poller.start();
  for (let elapsed = 0; elapsed <= 40_000; elapsed += 1_000) {
    clock.advance(elapsed === 0 ? 0 : 1_000);
    await settle();
  }
  const start = log.length > 0 ? Number(log[0]!.split('@')[1]) : 0;
  const times = (label: string) => log.filter((line) => line.startsWith(label)).map((line) => Number(line.split('@')[1]) - start);
  t.same(times('a'), [0, 2_000, 4_000, 6_000, 22_000, 38_000]);
  t.same(times('b'), [0, 2_000, 4_000, 6_000, 22_000, 38_000]);
  t.equal(results.length, 12);
  t.equal(results[0], 'a:timeout');
  await poller.stop();
});

t.test('stop: no more polls, in-flight ones are awaited and their results dropped', async (t) => {
  const clock = new Clock();
  let release: (result: QueryResult) => void = () => {};
  let queries = 0;
  const source: ReferenceSource = {
    label: 'slow',
    refId: 0,
    local: false,
    query: () => {
      queries++;
      return new Promise((resolve) => (release = resolve));
    },
  };
  const results: QueryResult[] = [];
  const poller = new UpstreamPoller({
    sources: [source],
    pollIntervalMs: 1_000,
    burstCount: 1,
    burstSpacingMs: 0,
    onResult: (_s, r) => results.push(r),
    timers: clock,
  });
  poller.start();
  clock.advance(1);
  await settle();
  t.equal(queries, 1);
  const stopping = poller.stop();
  release(timeout);
  await stopping;
  clock.advance(10_000);
  await settle();
  t.equal(queries, 1, 'nothing after stop');
  t.same(results, [], 'a result arriving after stop is not used');
});

t.test('pollNow joins a query in flight rather than sending a second one', async (t) => {
  const clock = new Clock();
  let queries = 0;
  let release: (result: QueryResult) => void = () => {};
  const source: ReferenceSource = {
    label: 's',
    refId: 0,
    local: false,
    query: () => {
      queries++;
      return new Promise((resolve) => (release = resolve));
    },
  };
  const poller = new UpstreamPoller({ sources: [source], pollIntervalMs: 1_000, burstCount: 1, burstSpacingMs: 0, onResult: () => {}, timers: clock });
  const first = poller.pollNow();
  const second = poller.pollNow();
  release(timeout);
  await Promise.all([first, second]);
  t.equal(queries, 1);
  await poller.stop();
});

t.test('a source that throws is reported, and polling goes on', async (t) => {
  const clock = new Clock();
  const errors: unknown[] = [];
  let calls = 0;
  const source: ReferenceSource = {
    label: 'broken',
    refId: 0,
    local: false,
    query: async () => {
      calls++;
      throw new Error('boom');
    },
  };
  const poller = new UpstreamPoller({
    sources: [source],
    pollIntervalMs: 1_000,
    burstCount: 1,
    burstSpacingMs: 0,
    onResult: () => {},
    onError: (_s, err) => errors.push(err),
    timers: clock,
  });
  poller.start();
  for (let i = 0; i < 3; i++) {
    clock.advance(i === 0 ? 1 : 1_000);
    await settle();
  }
  t.equal(calls, 3);
  t.equal(errors.length, 3);
  await poller.stop();
});
