import { CodedError } from '@netsidecar/config';

/**
 * The timers the sink uses, injectable so tests run a 30-minute outage on a fake clock
 * (`@tapjs/clock`'s `Clock` fits as it is).
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's own timers. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node's timers, unref'd: periodic background work (checks, heartbeats) that must not hold a stopping process. */
export const backgroundTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Thrown out of waits and calls once the sink stops (close deadline passed). */
export class SinkStoppedError extends CodedError<'sink_stopped'> {
  constructor() {
    super('sink_stopped', 'sink stopped');
  }
}

/**
 * Resolves after `ms` on `timers`, or as soon as `wake` aborts (when given); rejects with
 * SinkStoppedError as soon as `stop` aborts.
 */
export function sleep(timers: Timers, ms: number, stop: AbortSignal, wake?: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.reject(new SinkStoppedError());
  if (wake?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const end = () => {
      timers.clearTimeout(handle);
      stop.removeEventListener('abort', onStop);
      wake?.removeEventListener('abort', onWake);
    };
    const onStop = () => {
      end();
      reject(new SinkStoppedError());
    };
    const onWake = () => {
      end();
      resolve();
    };
    const handle = timers.setTimeout(onWake, ms);
    stop.addEventListener('abort', onStop, { once: true });
    wake?.addEventListener('abort', onWake, { once: true });
  });
}
