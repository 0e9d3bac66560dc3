// eventually(): the one polling wait of the tests, always with a deadline and a reason on timeout.
import t from 'tap';
import { Clock } from '@tapjs/clock';
import { eventually, EventuallyTimeout, within } from '@netsidecar/test-support/eventually';

t.test('resolves to the first value that is not false, null or undefined', async (t) => {
  let calls = 0;
  const found = await eventually(() => (++calls < 3 ? undefined : { calls }), { timeoutMs: 5_000, intervalMs: 1 });
  t.same(found, { calls: 3 });
  t.equal(await eventually(() => 0, { timeoutMs: 5_000 }), 0, '0 and the empty string are values, not "not yet"');
  t.equal(await eventually(async () => '', { timeoutMs: 5_000 }), '');
});

t.test('a check that throws is "not yet": assertions can be polled', async (t) => {
  let calls = 0;
  const value = await eventually(
    () => {
      if (++calls < 3) throw new Error('not there');
      return 'there';
    },
    { timeoutMs: 5_000, intervalMs: 1 },
  );
  t.equal(value, 'there');
  t.equal(calls, 3);
});

t.test('after timeoutMs it rejects with what it waited for and the last value or error', async (t) => {
  const started = performance.now();
  const err = await eventually(() => false, { timeoutMs: 50, what: 'the moon' }).catch((e: unknown) => e);
  t.type(err, EventuallyTimeout);
  t.match(err, { code: 'ERR_EVENTUALLY_TIMEOUT', message: 'timed out after 50 ms waiting for the moon; last check gave false' });
  t.ok(performance.now() - started >= 50, 'not before the deadline');
  const cause = new Error('3 events');
  const thrown = await eventually(
    () => {
      throw cause;
    },
    { timeoutMs: 20 },
  ).catch((e: unknown) => e);
  t.match(thrown, { message: 'timed out after 20 ms waiting for the condition; last check threw: 3 events', cause });
});

t.test('keeps its real-time deadline while a fake clock is entered', async (t) => {
  const clock = new Clock();
  clock.enter();
  t.teardown(() => clock.exit());
  const err = await eventually(() => null, { timeoutMs: 30, what: 'a frozen clock' }).catch((e: unknown) => e);
  t.match(err, { message: /^timed out after 30 ms waiting for a frozen clock/ });
});

t.test('within: the value when the promise settles first, and no timer left behind', async (t) => {
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  t.equal(await within(Promise.resolve(7), { timeoutMs: 60_000, what: 'seven' }), 7);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before, 'the 60 s timer is gone: the test process can exit');
});

t.test('within: rejects naming what was awaited when the deadline passes first', async (t) => {
  await t.rejects(within(new Promise(() => {}), { timeoutMs: 20, what: 'the service to exit' }), /timed out after 20 ms waiting for the service to exit/);
});
