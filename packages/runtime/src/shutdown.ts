import type { Logger } from '@netsidecar/telemetry';

/**
 * One request to stop is one drain, however many signals carry it. Ctrl-C in a terminal sends
 * SIGINT to the whole process group, and a launcher (`npm start`, a shell script, ECS) may add its
 * own SIGTERM a moment later: treating that as "a second signal" used to exit without draining, and
 * lost every buffered event. So while a drain runs:
 * - SIGTERM is the same request again (ECS sends it once, then SIGKILL at stopTimeout): ignored.
 * - SIGINT within `sameRequestMs` of the first signal is the same Ctrl-C: ignored.
 * - SIGINT later than that (a person pressing Ctrl-C again), or SIGQUIT (Ctrl-\) at any time, is a
 *   deliberate request to stop now: the process exits 1 at once, saying how many accepted events
 *   were not delivered yet.
 * The drain outliving `deadlineMs` plus a small grace also exits, saying the same: ECS sends SIGKILL
 * at stopTimeout anyway, and exiting ourselves lets us say what was left.
 */
export interface ShutdownOptions {
  deadlineMs: number;
  logger: Logger;
  drain: (deadline: number) => Promise<void>;
  /** What would be lost by exiting now, for the log line that says so (e.g. the sink's queued events). */
  undelivered?: () => Record<string, unknown>;
  exit?: (code: number) => void;
  now?: () => number;
  signals?: NodeJS.Signals[];
}

export const sameRequestMs = 1_000;
const graceMs = 2_000; // 2 s for the drain to log and close after its deadline

export function handleShutdown(options: ShutdownOptions): { trigger(signal: string): Promise<void> } {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const undelivered = () => options.undelivered?.() ?? {};
  let draining: Promise<void> | null = null;
  let startedAt = 0;

  const stopNow = (message: string, fields: Record<string, unknown>): void => {
    options.logger.error(message, { ...fields, ...undelivered() });
    exit(1);
  };

  const trigger = (signal: string): Promise<void> => {
    if (draining) {
      const sinceMs = now() - startedAt;
      const deliberate = signal === 'SIGQUIT' || (signal === 'SIGINT' && sinceMs > sameRequestMs);
      if (deliberate) stopNow('second request to stop: exiting before the drain finished', { signal, sinceMs });
      else options.logger.info('already draining: the same request to stop', { signal, sinceMs });
      return draining;
    }
    if (signal === 'SIGQUIT') {
      stopNow('SIGQUIT: exiting without draining', { signal });
      return Promise.resolve();
    }
    startedAt = now();
    const deadline = startedAt + options.deadlineMs;
    options.logger.info('shutting down: no longer accepting, draining', { signal, deadlineMs: options.deadlineMs });
    const hardStop = setTimeout(() => stopNow('drain outlived its deadline: exiting', { deadlineMs: options.deadlineMs }), options.deadlineMs + graceMs);
    hardStop.unref();
    draining = options.drain(deadline).then(
      () => {
        clearTimeout(hardStop);
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(hardStop);
        options.logger.error('drain failed', { err, ...undelivered() });
        exit(1);
      },
    );
    return draining;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT', 'SIGQUIT']) process.on(signal, () => void trigger(signal));
  return { trigger };
}
