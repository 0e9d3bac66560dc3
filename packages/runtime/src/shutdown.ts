import type { Logger } from '@netsidecar/telemetry';

/**
 * SIGTERM (ECS stopping a task) and SIGINT (Ctrl-C) run `drain` once. A second signal, or the drain
 * outliving `deadlineMs` plus a small grace, exits at once: ECS sends SIGKILL at stopTimeout anyway,
 * and exiting ourselves lets us say what was left.
 */
export interface ShutdownOptions {
  deadlineMs: number;
  logger: Logger;
  drain: (deadline: number) => Promise<void>;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

const graceMs = 2_000; // 2 s for the drain to log and close after its deadline

export function handleShutdown(options: ShutdownOptions): { trigger(signal: string): Promise<void> } {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining: Promise<void> | null = null;

  const trigger = (signal: string): Promise<void> => {
    if (draining) {
      options.logger.warn('second signal during drain: exiting now', { signal });
      exit(1);
      return draining;
    }
    const deadline = Date.now() + options.deadlineMs;
    options.logger.info('shutting down: no longer accepting, draining', { signal, deadlineMs: options.deadlineMs });
    const hardStop = setTimeout(() => {
      options.logger.error('drain outlived its deadline: exiting', { deadlineMs: options.deadlineMs });
      exit(1);
    }, options.deadlineMs + graceMs);
    hardStop.unref();
    draining = options.drain(deadline).then(
      () => {
        clearTimeout(hardStop);
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(hardStop);
        options.logger.error('drain failed', { err });
        exit(1);
      },
    );
    return draining;
  };

  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, () => void trigger(signal));
  return { trigger };
}
