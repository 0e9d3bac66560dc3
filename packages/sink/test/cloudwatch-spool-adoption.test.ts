// Issue 13, point 5 (the spool's survival): with a spool volume every task shares (`spoolOwner`),
// what a task leaves behind (a drain that ran out of time, a kill) is adopted by a task still running
// and delivered, once. Two sinks on one data directory, the wire-level fake, a fake clock. The
// volume here is the local file system: what NFS (EFS) adds is argued in the README, not tested.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Registry } from 'prom-client';
import { silentLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { createCloudWatchSink } from '../src/cloudwatch/index.js';
import { Spool } from '../src/spool/spool.js';
import { claimOrphans, claimedSpools } from '../src/spool/orphan-spools.js';
import { writeLease } from '../src/spool/task-lease.js';
import { startSinkChild } from './support/sink-child.js';
import { GROUP, alongside, closed, harness, precreate, received, stamp, writeEvents, type Harness } from './support/cloudwatch-harness.js';
import { eventually } from '@netsidecar/test-support/eventually';

const isChild = process.env.SINK_TEST_CHILD_DATA_DIR !== undefined;
/** In the child process, no tests: it only runs `child()`. */
const test: typeof t.test = ((...args: Parameters<typeof t.test>) => (isChild ? undefined : t.test(...args))) as typeof t.test;

const LEASE_MS = 3_000;
const tasksDir = (h: Harness) => path.join(h.dataDir, 'spool', 'syslog', 'tasks');
const routers = ['rtr-a', 'rtr-b', 'rtr-c', 'rtr-d'];

test('a task whose drain ran out of time: a running task adopts its spool at once and delivers every event once', async (t) => {
  const b = await harness(t, { spoolOwner: 'task-b', spoolLeaseMs: LEASE_MS });
  const a = await harness(t, { spoolOwner: 'task-a', spoolLeaseMs: LEASE_MS }, { ...alongside(b), dataDir: b.dataDir });
  precreate(b, routers);
  b.fake.outage('PutLogEvents', 'service-unavailable');
  const expected = writeEvents(a, routers, 50, 'left-by-a');
  const report = await closed(a, a.clock.now() + 2_000);
  t.same(report, { delivered: 0, pending: 200, pendingSpooled: true }, 'task A stopped with its 200 events spooled');
  const closedAt = a.clock.now();
  // A released its lease as it closed: B takes the events into its own spool at its next look, a
  // third of the lease time at most, not after the lease ran out (CloudWatch still down meanwhile).
  await b.until(() => b.sink.queuedEvents() === 200, "A's events in B's spool");
  const adoptedIn = b.clock.now() - closedAt;
  t.ok(adoptedIn <= LEASE_MS / 3, `adopted ${adoptedIn} ms after A closed`);
  t.notOk(fs.existsSync(path.join(tasksDir(b), 'task-a')), "task A's directory is gone once its events are in B's spool");

  b.fake.outage('PutLogEvents', null);
  const releasedAt = b.clock.now();
  await b.until(() => routers.every((r) => received(b, r).length === 50), "task A's events, through task B");
  const took = b.clock.now() - releasedAt;
  t.comment(
    `point 5: 200/200 events left by a stopped task adopted ${adoptedIn} ms after it closed and delivered ${took} ms (fake clock) after CloudWatch came back, 0 duplicated`,
  );
  t.ok(took <= 2_000, `delivered within the flush interval and a second after CloudWatch came back (${took} ms)`);
  for (const r of routers) t.same(received(b, r), expected.get(r), `${r}: every event once, in order`);
  t.equal(await b.metric('netsidecar_sink_adopted_events_total'), 200);
  await b.until(() => b.sink.queuedEvents() === 0, 'acknowledged in B');
  t.same(claimedSpools(tasksDir(b), 'task-b'), [], 'nothing left to adopt');
});

test('a killed task: its spool is adopted once its lease runs out, not while it could still be alive', async (t) => {
  const b = await harness(t, { spoolOwner: 'task-b', spoolLeaseMs: LEASE_MS });
  precreate(b, routers);
  // What a task killed mid-run leaves on the volume: segments, its last lease, a pid LOCK.
  const dir = path.join(tasksDir(b), 'task-k');
  const spool = Spool.open({ dir, limitBytes: 1024 * 1024, segmentBytes: 64 * 1024 });
  const expected = new Map(routers.map((r) => [r, [] as string[]]));
  for (let i = 0; i < 25; i++) {
    for (const r of routers) {
      const message = JSON.stringify({ r, i, tag: 'left-by-k' });
      spool.append([{ logGroup: GROUP, logStream: r, timestamp: stamp(b), message }], true);
      expected.get(r)!.push(message);
    }
  }
  spool.close();
  fs.writeFileSync(path.join(dir, 'LOCK'), '1\n');
  writeLease(dir, { owner: 'task-k', renewedAt: b.clock.now(), released: false });
  const killedAt = b.clock.now();

  await b.until(() => b.clock.now() >= killedAt + LEASE_MS - 200, 'almost the lease time');
  t.equal(received(b, 'rtr-a').length, 0, 'not adopted while the lease holds');
  t.ok(fs.existsSync(dir));
  await b.until(() => routers.every((r) => received(b, r).length === 25), "task K's events, through task B");
  const took = b.clock.now() - killedAt;
  t.comment(`point 5: 100/100 events of a killed task delivered by another ${took} ms (fake clock) after its last lease renewal`);
  t.ok(took <= LEASE_MS + LEASE_MS / 3 + 2_000, `within the lease and one look (${took} ms)`);
  for (const r of routers) t.same(received(b, r), expected.get(r), `${r}: every event once, in order`);
  await b.until(() => !fs.existsSync(dir), "task K's directory removed");
});

test('claims: a live lease is left alone, two tasks never both claim one spool, a dead adopter is adopted with what it held', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-tasks-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  const now = Date.now(); // the owner's clock, and the directories' mtimes, are wall time
  for (const [name, renewedAt, released] of [
    ['task-live', now - 1_000, false],
    ['task-gone', now - 10_000, false],
    ['task-done', now - 1_000, true],
  ] as const) {
    fs.mkdirSync(path.join(root, name));
    writeLease(path.join(root, name), { owner: name, renewedAt, released });
  }
  t.equal(claimOrphans(root, 'task-x', now, LEASE_MS), 2, 'the gone one and the released one');
  t.equal(claimOrphans(root, 'task-y', now, LEASE_MS), 0, 'a second task finds nothing left to claim');
  t.same(fs.readdirSync(root).sort(), ['task-live', 'task-x']);
  t.same(
    claimedSpools(root, 'task-x').map((d) => path.relative(root, d)),
    ['task-x/adopted/task-done', 'task-x/adopted/task-gone'],
  );
  // task-x dies while adopting (never wrote a lease): once it has been quiet for the lease time,
  // task-y takes it, with what it had claimed, innermost first.
  const later = fs.statSync(path.join(root, 'task-x')).mtimeMs + LEASE_MS + 1;
  writeLease(path.join(root, 'task-live'), { owner: 'task-live', renewedAt: later - 1_000, released: false }); // still renewing
  t.equal(claimOrphans(root, 'task-y', later, LEASE_MS), 1);
  t.same(
    claimedSpools(root, 'task-y').map((d) => path.relative(root, d)),
    ['task-y/adopted/task-x/adopted/task-done', 'task-y/adopted/task-x/adopted/task-gone', 'task-y/adopted/task-x'],
  );
});

test('a task whose spool was claimed while it lived (stalled past its lease) says so, and does not pretend to renew', async (t) => {
  const b = await harness(t, { spoolOwner: 'task-b', spoolLeaseMs: LEASE_MS });
  const own = path.join(tasksDir(b), 'task-b');
  await b.until(() => fs.existsSync(path.join(own, 'LEASE')), 'the first lease');
  fs.mkdirSync(path.join(tasksDir(b), 'task-z', 'adopted'), { recursive: true });
  fs.renameSync(own, path.join(tasksDir(b), 'task-z', 'adopted', 'task-b')); // what task-z's claim does
  const at = b.clock.now();
  await b.until(() => b.clock.now() >= at + LEASE_MS, 'a lease time');
  t.equal(b.logs.filter((l) => /lost its spool lease/.test(String(l.msg))).length, 1, 'one error');
  t.notOk(fs.existsSync(path.join(own, 'LEASE')), 'no new lease in a new directory');
});

// The child: task K, a sink on the shared volume with real timers, driven over stdin, then SIGKILLed.
async function child(dataDir: string): Promise<void> {
  const sink = await createCloudWatchSink({
    dataDir,
    name: 'syslog',
    registry: new Registry(),
    logger: silentLogger,
    spoolOwner: 'task-k',
    spoolLeaseMs: REAL_LEASE_MS,
  });
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const { count } = JSON.parse(line) as { count: number };
    const outcomes = new Set<string>();
    for (let i = 0; i < count; i++) {
      for (const stream of routers) {
        outcomes.add(sink.write({ logGroup: GROUP, logStream: stream, timestamp: Date.now(), message: JSON.stringify({ stream, i, tag: 'killed' }) }));
      }
    }
    process.stdout.write(JSON.stringify({ done: 'write', outcomes: [...outcomes] }) + '\n');
  }
}

const REAL_LEASE_MS = 2_000;

test('SIGKILL: a real task killed with its events spooled; another task adopts them after the lease and delivers each', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-adopt-kill-'));
  t.teardown(async () => {
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  fake.createLogGroup(GROUP);
  for (const r of routers) fake.createLogStream(GROUP, r);
  fake.outage('PutLogEvents', 'service-unavailable');
  const { proc, ask, kill } = startSinkChild(t, new URL(import.meta.url).pathname, fake, dataDir);
  t.same(await ask({ count: 250 }), { done: 'write', outcomes: ['ok'] }, 'task K accepted 1,000 events');
  await kill();
  const killedAt = Date.now();
  t.equal(proc.signalCode, 'SIGKILL');
  fake.outage('PutLogEvents', null);

  const client = cloudWatchLogsClientFor(fake);
  const registry = new Registry();
  const sink = await createCloudWatchSink({
    client,
    dataDir,
    name: 'syslog',
    registry,
    logger: silentLogger,
    flushIntervalMs: 20,
    spoolOwner: 'task-b',
    spoolLeaseMs: REAL_LEASE_MS,
  });
  t.teardown(async () => {
    await sink.close(Date.now());
    client.destroy();
  });
  const stored = () => routers.reduce((n, r) => n + fake.events(GROUP, r).length, 0);
  await eventually(() => stored() >= 1_000, { timeoutMs: 20_000, intervalMs: 50, what: "the killed task's 1,000 events delivered by another task" });
  const took = Date.now() - killedAt;
  const seen = routers.flatMap((r) => fake.events(GROUP, r).map((e) => e.message));
  t.comment(
    `point 5: task killed with 1,000 events spooled: ${new Set(seen).size} delivered by another task ${took} ms later, ${seen.length - new Set(seen).size} duplicated (lease ${REAL_LEASE_MS} ms)`,
  );
  t.equal(new Set(seen).size, 1_000, 'every event delivered');
  t.equal(seen.length, 1_000, 'once');
  for (const r of routers) {
    const order = fake.events(GROUP, r).map((e) => (JSON.parse(e.message) as { i: number }).i);
    t.same(
      order,
      Array.from({ length: 250 }, (_, i) => i),
      `${r}: in order`,
    );
  }
});

if (isChild) await child(process.env.SINK_TEST_CHILD_DATA_DIR!);
