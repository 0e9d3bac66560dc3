/**
 * Signals that arrive while a service is still starting. Until main() has installed its shutdown
 * handler, a SIGTERM would meet Node's default action and kill the process mid-start, without the
 * drain (ECS can stop a task at any moment, a rolling deployment included). Caught here instead and
 * handed to the shutdown handler once it exists, which then drains as for any other SIGTERM.
 */
export interface EarlySignals {
  /** Stops catching; calls `deliver` with the first signal caught meanwhile, if any. */
  release(deliver: (signal: NodeJS.Signals) => void): void;
}

export function catchEarlySignals(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): EarlySignals {
  let caught: NodeJS.Signals | null = null;
  const listeners = signals.map((signal) => {
    const listener = () => {
      caught ??= signal;
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return {
    release(deliver) {
      for (const [signal, listener] of listeners) process.off(signal, listener);
      if (caught !== null) deliver(caught);
    },
  };
}
