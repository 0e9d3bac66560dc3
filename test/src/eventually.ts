import { setTimeout as sleep } from 'node:timers/promises';

// Taken at import, before a test can enter a fake clock (`@tapjs/clock` replaces `performance.now`).
const monotonicNow = performance.now.bind(performance);

export interface EventuallyOptions {
  /** Give up after this long (real time) and reject. Required: no wait in a test is unbounded. */
  timeoutMs: number;
  /** What is awaited, for the timeout message ("3 datagrams", "the busy refusal"). */
  what?: string;
  /** Pause between two checks; 10 ms by default. */
  intervalMs?: number;
}

/** What `eventually` resolves to: the check's first value that is not `false`, `null` or `undefined`. */
export type Eventual<T> = Exclude<Awaited<T>, false | null | undefined>;

/**
 * Calls `check` until it returns (or resolves to) something other than `false`, `null` or
 * `undefined`, and resolves to that value. A check that throws counts as not yet: assertions can
 * be polled. After `timeoutMs` it rejects with `what` and the last value or error seen, so a test
 * that waits in vain fails with a reason instead of hanging until tap's timeout.
 *
 * It polls with the real timers of `node:timers/promises` and the monotonic clock as it was at
 * import, not the globals that `@tapjs/clock` replaces, so it keeps its deadline under a fake clock.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions): Promise<Eventual<T>> {
  const { timeoutMs, what = 'the condition', intervalMs = 10 } = options;
  const deadline = monotonicNow() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== null && value !== undefined) return value as Eventual<T>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (monotonicNow() >= deadline) throw new EventuallyTimeout(what, timeoutMs, last);
    await sleep(intervalMs);
  }
}

/** `eventually` gave up: the message names what was awaited and what the last check saw. */
export class EventuallyTimeout extends Error {
  readonly code = 'ERR_EVENTUALLY_TIMEOUT';
  constructor(what: string, timeoutMs: number, last: { value: unknown } | { error: unknown } | undefined) {
    const seen = last === undefined ? '' : 'error' in last ? `; last check threw: ${describe(last.error)}` : `; last check gave ${describe(last.value)}`;
    super(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`, last !== undefined && 'error' in last ? { cause: last.error } : undefined);
    this.name = 'EventuallyTimeout';
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * `promise`, or a rejection naming `what` once `timeoutMs` (real time) passed first. The timer is
 * cleared as soon as the promise settles: a bare `setTimeout` raced against it would keep the test
 * process alive until it fired, long after the test was done.
 */
export async function within<T>(promise: Promise<T>, options: { timeoutMs: number; what: string }): Promise<T> {
  const abort = new AbortController();
  const timeout = sleep(options.timeoutMs, undefined, { signal: abort.signal }).then(() => {
    throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    abort.abort();
    timeout.catch(() => {}); // the aborted sleep's rejection is expected
  }
}
