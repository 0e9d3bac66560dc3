import t from 'tap';
import { handleShutdown, sameRequestMs } from '../src/shutdown.js';
import { createLogger } from '@netsidecar/telemetry';

/** A shutdown handler on a fake clock, with its exits and log lines recorded; no process signals. */
function setup(drain: (deadline: number) => Promise<void> = () => new Promise(() => {})) {
  let clock = 1_000_000;
  const exits: number[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const shutdown = handleShutdown({
    deadlineMs: 60_000,
    logger,
    drain,
    undelivered: () => ({ undeliveredEvents: 42 }),
    exit: (code) => exits.push(code),
    now: () => clock,
    signals: [], // triggered by hand: a real SIGINT here would reach the test runner
  });
  return { shutdown, exits, logs, advance: (ms: number) => (clock += ms) };
}

t.test("Ctrl-C carried by SIGINT to the group and the launcher's SIGTERM a moment later is one drain", async (t) => {
  let drains = 0;
  let finish!: () => void;
  const { shutdown, exits, logs, advance } = setup(() => {
    drains++;
    return new Promise((resolve) => (finish = resolve));
  });
  void shutdown.trigger('SIGINT');
  advance(30);
  void shutdown.trigger('SIGTERM');
  advance(sameRequestMs - 30);
  void shutdown.trigger('SIGINT');
  t.equal(drains, 1, 'one drain');
  t.same(exits, [], 'not cut short');
  t.equal(logs.filter((l) => l.msg === 'already draining: the same request to stop').length, 2);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  t.same(exits, [0], 'exit 0 once drained');
});

t.test('SIGTERM during a drain is always the same request (ECS sends it once, then SIGKILL)', async (t) => {
  const { shutdown, exits, advance } = setup();
  void shutdown.trigger('SIGTERM');
  advance(20_000);
  void shutdown.trigger('SIGTERM');
  t.same(exits, []);
});

t.test('a second SIGINT more than a second later cuts the drain short and says what is lost', async (t) => {
  const { shutdown, exits, logs, advance } = setup();
  void shutdown.trigger('SIGINT');
  advance(sameRequestMs + 1);
  void shutdown.trigger('SIGINT');
  t.same(exits, [1]);
  t.match(logs.at(-1), { level: 'error', msg: 'second request to stop: exiting before the drain finished', signal: 'SIGINT', undeliveredEvents: 42 });
});

t.test('SIGQUIT cuts a drain short at once; as a first signal it exits without draining', async (t) => {
  const during = setup();
  void during.shutdown.trigger('SIGTERM');
  void during.shutdown.trigger('SIGQUIT');
  t.same(during.exits, [1]);
  t.match(during.logs.at(-1), { msg: 'second request to stop: exiting before the drain finished', undeliveredEvents: 42 });
  let drained = false;
  const first = setup(async () => void (drained = true));
  void first.shutdown.trigger('SIGQUIT');
  t.same(first.exits, [1]);
  t.equal(drained, false);
  t.match(first.logs.at(-1), { msg: 'SIGQUIT: exiting without draining', undeliveredEvents: 42 });
});
