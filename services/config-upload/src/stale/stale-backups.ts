import type { Timers } from '@netsidecar/sink';
import type { Logger } from '@netsidecar/telemetry';
import type { ConfigStore } from '../store/store.js';
import { isStale, type StalePolicy } from './stale-policy.js';

export interface StaleBackupsOptions {
  store: ConfigStore;
  policy: StalePolicy;
  intervalMs: number;
  logger: Logger;
  /** Sets the gauge `netsidecar_config_stale_devices`. */
  staleDevices(count: number): void;
  now: () => number;
  timers: Timers;
}

/**
 * A router whose archive job broke does not upload, and nothing else would notice: every
 * `intervalMs` this reads the last upload of every device the store knows and counts the ones
 * older than their expected interval (the gauge the deploy alarm reads). A device that becomes stale
 * gets one warning naming it and its last upload time (names and times only: the store holds
 * redacted text, and none of it is read here); one that uploads again, one info line. A check that
 * fails (S3 unreachable) is logged and leaves the gauge as it was; the next one runs as planned.
 */
export class StaleBackups {
  private readonly stale = new Set<string>();
  private handle: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: StaleBackupsOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** One check now; resolves when its results are in the gauge and the log. */
  async check(): Promise<void> {
    const { store, policy, logger, now } = this.options;
    let uploads: Map<string, string>;
    try {
      uploads = await store.lastUploads();
    } catch (err) {
      logger.warn('stale backup check failed; the next one runs as planned', { err });
      return;
    }
    const at = now();
    const staleNow = new Set<string>();
    for (const [device, lastUploadAt] of uploads) {
      if (!isStale(policy, device, lastUploadAt, at)) continue;
      staleNow.add(device);
      if (this.stale.has(device)) continue;
      const expectedEveryHours = policy.afterMs(device)! / 3_600_000;
      logger.warn('config backup stale: no upload within the expected interval', {
        device,
        lastUploadAt,
        hoursSinceUpload: Math.round(((at - Date.parse(lastUploadAt)) / 3_600_000) * 10) / 10,
        expectedEveryHours,
      });
    }
    for (const device of this.stale) {
      if (!staleNow.has(device)) logger.info('config backup fresh again', { device, lastUploadAt: uploads.get(device) ?? null });
    }
    this.stale.clear();
    for (const device of staleNow) this.stale.add(device);
    this.options.staleDevices(staleNow.size);
    logger.debug('stale backup check', { devices: uploads.size, stale: staleNow.size });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== null) this.options.timers.clearTimeout(this.handle);
    this.handle = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.handle = this.options.timers.setTimeout(() => {
      this.handle = null;
      this.running = this.check()
        .catch((err: unknown) => this.options.logger.error('stale backup check failed', { err }))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.intervalMs);
        });
    }, ms);
  }
}
