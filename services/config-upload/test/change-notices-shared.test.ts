// Change notices of several tasks sharing one data dir (the CDK app's EFS volume): each task keeps
// its outbox in its own directory under a lease, and posts only its own notices; a task that
// starts does not post what a running task is still posting; the notices of a task that died are
// adopted by a running task once its lease ran out (never before) and posted once. The tasks run
// in this process under their own names, on fake clocks: a task whose clock stands still neither
// renews its lease nor retries, which is what a dead task does.
import t from 'tap';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Clock } from '@tapjs/clock';
import { DEFAULT_SPOOL_LEASE_MS } from '@netsidecar/sink';
import { eventually } from '@netsidecar/test-support/eventually';
import { startTestUpload, type TestUpload } from './support/harness.js';
import { outboxRecords, put, startWebhook, webhookFile } from './support/notify.js';

const leaseMs = DEFAULT_SPOOL_LEASE_MS;
const look = Math.floor(leaseMs / 3); // how often a task renews its lease and looks for gone tasks
const start = Date.parse('2026-11-22T12:00:00Z');
type Teardown = { teardown(fn: () => unknown): void };

async function sharedDataDir(t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-shared-outbox-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function clockAt(ms: number): Clock {
  const clock = new Clock();
  clock.travel(ms);
  return clock;
}

/** A config-upload task on the shared data dir, named `owner`, on its own clock. */
async function task(t: Teardown, dataDir: string, owner: string, clock: Clock, webhook: string): Promise<TestUpload> {
  return startTestUpload(
    t,
    { NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE: webhook },
    { timers: clock, now: () => clock.now(), notify: { owner, random: () => 0 } },
  );
}

const leaseOf = async (dataDir: string, owner: string) => JSON.parse(await readFile(outboxDir(dataDir, owner, 'LEASE'), 'utf8')) as unknown;
const outboxDir = (dataDir: string, ...parts: string[]) => join(dataDir, 'config-upload', 'outbox', ...parts);
const texts = (bodies: string[]) => bodies.map((b) => (JSON.parse(b) as { text: string }).text).sort();
const counts = async (up: TestUpload) =>
  Object.fromEntries(
    (await up.registry.getSingleMetric('netsidecar_config_notices_total')!.get()).values.map((v) => [
      `${String(v.labels.destination)} ${String(v.labels.outcome)}`,
      v.value,
    ]),
  );

/** Two versions of `device` through `up`, whose first try to post the change's notice fails (the webhook's scripted 503). */
async function changeWhileSlackDown(up: TestUpload, device: string, line: string): Promise<void> {
  await put(up, device, `hostname ${device}\nend\n`);
  await put(up, device, `hostname ${device}\n${line}\nend\n`);
  await eventually(async () => (await counts(up))['slack retried'] === 1, { timeoutMs: 10_000, what: 'the first try failed and its retry is set' });
}

t.test('two running tasks on one data dir: each posts its own notices, once; a task that starts takes none of a running task', async (t) => {
  const dataDir = await sharedDataDir(t);
  const hook = await startWebhook(t, [503]); // the first notice waits for its retry in task A's outbox
  const file = await webhookFile(t, hook.url);
  const clock = clockAt(start);
  const a = await task(t, dataDir, 'task-a', clock, file);
  await changeWhileSlackDown(a, 'rtr-s-1', 'ntp server 10.0.0.1');
  const waiting = await outboxRecords(dataDir);
  t.equal(waiting.length, 1);
  t.match(waiting[0], /^task-a\/\d{15}-[0-9a-f-]{36}\.json$/, "the notice waits in task A's directory");

  const b = await task(t, dataDir, 'task-b', clock, file);
  t.notOk(
    b.logs.some((l) => l['msg'] === 'change notices from the outbox resume'),
    'task B loads nothing: the notice is task A’s',
  );
  await put(b, 'rtr-s-2', 'hostname rtr-s-2\nend\n');
  await put(b, 'rtr-s-2', 'hostname rtr-s-2\nntp server 10.0.0.2\nend\n');
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: "task B's notice" });
  t.same(texts(hook.bodies), ['Config change: rtr-s-2 v1 -&gt; v2 (cisco-ios), +1 -0 lines'], 'task B posted its own notice, not task A’s');

  clock.advance(500); // task A's retry (half of 1 s, random 0)
  await eventually(() => hook.bodies.length === 2, { timeoutMs: 10_000, what: "task A's retry" });
  // Both tasks renew and look for gone tasks for three lease times: neither is gone, nothing moves.
  for (let elapsed = 500; elapsed < 3 * leaseMs; elapsed += look) clock.advance(look);
  await eventually(async () => (await outboxRecords(dataDir)).length === 0, { timeoutMs: 5_000, what: 'every outbox empty' });
  t.same(
    texts(hook.bodies),
    ['Config change: rtr-s-1 v1 -&gt; v2 (cisco-ios), +1 -0 lines', 'Config change: rtr-s-2 v1 -&gt; v2 (cisco-ios), +1 -0 lines'],
    'each notice posted once',
  );
  t.same(hook.statuses, [503, 200, 200], 'three requests in all');
  t.same(await counts(a), { 'slack retried': 1, 'slack sent': 1 });
  t.same(await counts(b), { 'slack sent': 1 });
  t.notOk(
    [...a.logs, ...b.logs].some((l) => l['msg'] === 'change notices adopted from tasks that are gone'),
    'no adoption between live tasks',
  );
  t.ok(existsSync(outboxDir(dataDir, 'task-a', 'LEASE')) && existsSync(outboxDir(dataDir, 'task-b', 'LEASE')), 'each task holds its own lease');
});

t.test("a dead task's notice is adopted by a running task once its lease ran out, not before, and posted once", async (t) => {
  const dataDir = await sharedDataDir(t);
  const hook = await startWebhook(t, [503]);
  const file = await webhookFile(t, hook.url);
  // Task A's clock never moves after its first try: it neither retries nor renews its lease (dead).
  const deadClock = clockAt(start);
  const a = await task(t, dataDir, 'task-a', deadClock, file);
  await changeWhileSlackDown(a, 'rtr-d-1', 'logging host 10.0.0.3');

  const clock = clockAt(start);
  const b = await task(t, dataDir, 'task-b', clock, file);
  // Up to the lease time exactly (looks at 20 s, 40 s and 60 s): task A still counts as alive.
  for (let elapsed = 0; elapsed < leaseMs; elapsed += look) clock.advance(look);
  t.match(await leaseOf(dataDir, 'task-b'), { owner: 'task-b', renewedAt: start + leaseMs, released: false }, 'task B looked at 60 s');
  t.match(await leaseOf(dataDir, 'task-a'), { owner: 'task-a', renewedAt: start, released: false }, 'task A last renewed at its start');
  t.ok(existsSync(outboxDir(dataDir, 'task-a')), "task A's directory is where it was");
  t.notOk(existsSync(outboxDir(dataDir, 'task-b', 'adopted')), 'nothing adopted');
  t.same(hook.statuses, [503], 'not posted by task B before the lease ran out');

  clock.advance(look); // 80 s: task A's lease is 80 s old
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: 'the adopted notice posted' });
  t.same(texts(hook.bodies), ['Config change: rtr-d-1 v1 -&gt; v2 (cisco-ios), +1 -0 lines']);
  t.match(
    b.logs.find((l) => l['msg'] === 'change notices adopted from tasks that are gone'),
    { tasks: 1, notices: 1 },
  );
  t.notOk(existsSync(outboxDir(dataDir, 'task-a')), "task A's directory claimed");
  await eventually(async () => (await outboxRecords(dataDir)).length === 0, { timeoutMs: 5_000, what: 'the adopted record removed once posted' });
  for (let i = 0; i < 6; i++) clock.advance(look); // more looks: nothing more to adopt
  t.same(hook.statuses, [503, 200], 'posted once');
  t.same(await counts(b), { 'slack sent': 1 });
});

t.test('a task that stops with a notice left releases its outbox: a running task adopts it at its next look', async (t) => {
  const dataDir = await sharedDataDir(t);
  const hook = await startWebhook(t, [503]);
  const file = await webhookFile(t, hook.url);
  const clock = clockAt(start);
  const a = await task(t, dataDir, 'task-a', clock, file);
  const b = await task(t, dataDir, 'task-b', clock, file);
  await changeWhileSlackDown(a, 'rtr-r-1', 'logging host 10.0.0.4');
  await a.service.stop();
  t.match(await outboxRecords(dataDir), [/^task-a\//], "the notice left in task A's directory");

  clock.advance(look); // task B's first look, well within task A's lease time
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: 'the released notice posted by task B' });
  t.same(texts(hook.bodies), ['Config change: rtr-r-1 v1 -&gt; v2 (cisco-ios), +1 -0 lines']);
  await eventually(async () => (await outboxRecords(dataDir)).length === 0, { timeoutMs: 5_000, what: 'the outbox empty' });
  t.same(hook.statuses, [503, 200], 'posted once');
  t.same(await counts(b), { 'slack sent': 1 });
});

t.test('a notice an earlier version left directly in the outbox is taken by the task that starts, and posted once', async (t) => {
  const dataDir = await sharedDataDir(t);
  const hook = await startWebhook(t, [503]);
  const file = await webhookFile(t, hook.url);
  const clock = clockAt(start);
  const old = await task(t, dataDir, 'task-old', clock, file);
  await changeWhileSlackDown(old, 'rtr-m-1', 'logging host 10.0.0.5');
  await old.service.stop();
  // The layout before directories per task: the record straight under outbox/.
  const [record] = await outboxRecords(dataDir);
  await rename(outboxDir(dataDir, record!), outboxDir(dataDir, basename(record!)));
  await rm(outboxDir(dataDir, 'task-old'), { recursive: true });

  const b = await task(t, dataDir, 'task-b', clock, file);
  t.match(
    b.logs.find((l) => l['msg'] === 'change notices from the outbox resume'),
    { notices: 1 },
  );
  t.notOk(existsSync(outboxDir(dataDir, basename(record!))), "taken from where it was (moved into task B's directory, not copied)");
  await eventually(() => hook.bodies.length === 1, { timeoutMs: 10_000, what: 'the notice posted' });
  t.same(texts(hook.bodies), ['Config change: rtr-m-1 v1 -&gt; v2 (cisco-ios), +1 -0 lines']);
  await eventually(async () => (await outboxRecords(dataDir)).length === 0, { timeoutMs: 5_000, what: 'the outbox empty' });
  t.same(hook.statuses, [503, 200], 'posted once');
});
