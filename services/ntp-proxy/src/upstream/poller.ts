/**
 * When to ask each source: a burst at start (like chrony's `iburst`: a few requests a couple of
 * seconds apart, so the service is synchronised, and ready, within seconds rather than one poll
 * interval), then one request per poll interval. Sources are polled independently; a source never
 * has two requests in flight.
 */
import type { QueryResult } from './sntp-client.js';
import type { ReferenceSource } from './source.js';
import { systemTimers, type Timers } from '@netsidecar/sink';

export interface PollerOptions {
  sources: ReferenceSource[];
  pollIntervalMs: number;
  /** Requests in the start burst (1 = no burst). */
  burstCount: number;
  burstSpacingMs: number;
  onResult: (source: ReferenceSource, result: QueryResult) => void;
  onError?: (source: ReferenceSource, err: unknown) => void;
  /** Injectable timers (`@tapjs/clock`'s Clock fits), so a test runs hours of polling on a fake clock. */
  timers?: Timers;
}

export class UpstreamPoller {
  private readonly pendingTimers = new Set<unknown>();
  private readonly timers: Timers;
  private readonly inFlight = new Map<ReferenceSource, Promise<void>>();
  private stopped = false;

  constructor(private readonly options: PollerOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  start(): void {
    for (const source of this.options.sources) this.schedule(source, 0, Math.max(1, this.options.burstCount));
  }

  /** Polls every source once now, outside the schedule (tests, and an operator's nudge). */
  async pollNow(): Promise<void> {
    await Promise.all(this.options.sources.map((source) => this.poll(source)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.pendingTimers) this.timers.clearTimeout(timer);
    this.pendingTimers.clear();
    await Promise.all(this.inFlight.values());
  }

  private schedule(source: ReferenceSource, delayMs: number, burstLeft: number): void {
    if (this.stopped) return;
    const timer = this.timers.setTimeout(() => {
      this.pendingTimers.delete(timer);
      void this.poll(source).then(() => {
        const next = burstLeft > 1 ? this.options.burstSpacingMs : this.options.pollIntervalMs;
        this.schedule(source, next, burstLeft - 1);
      });
    }, delayMs);
    this.pendingTimers.add(timer);
  }

  private poll(source: ReferenceSource): Promise<void> {
    const running = this.inFlight.get(source);
    if (running) return running;
    const polling = source
      .query()
      .then(
        (result: QueryResult) => {
          if (!this.stopped) this.options.onResult(source, result);
        },
        (err: unknown) => this.options.onError?.(source, err),
      )
      .finally(() => this.inFlight.delete(source));
    this.inFlight.set(source, polling);
    return polling;
  }
}
