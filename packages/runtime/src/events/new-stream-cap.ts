/** Why a new stream was not opened: the source's own cap, or every source's together. */
export type CapReason = 'source_limit' | 'global_limit';
export const capReasons: readonly CapReason[] = ['source_limit', 'global_limit'];

export interface NewStreamCapOptions {
  /** New streams one source may open per minute: a bucket of this many, refilled at this rate. 0: no cap. */
  perSource: number;
  /** New streams all sources together may open per minute, the same way. 0: no cap. */
  perMinute: number;
  now?: () => number; // Date.now
  /** Sources whose buckets are remembered; beyond, the oldest is forgotten (it starts full again). */
  maxSources?: number; // 65,536
}

interface Bucket {
  tokens: number;
  at: number;
}

const minuteMs = 60_000;

/**
 * Caps how fast new log streams are opened, per source and overall. A stream name can come from
 * message text (a syslog `host`), and every new stream costs CloudWatch calls that CloudWatch
 * rate-limits per account: without a cap, one source sending thousands of junk names creates
 * thousands of streams and holds every other device's events behind their creation.
 *
 * Token buckets: each source has `perSource` tokens, refilled continuously at `perSource` per
 * minute, and all sources share `perMinute` the same way. Opening a stream takes one token from
 * both; `admit()` says which one was empty when it cannot.
 */
export class NewStreamCap {
  readonly #perSource: number;
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #maxSources: number;
  readonly #sources = new Map<string, Bucket>();
  readonly #global: Bucket;

  constructor(options: NewStreamCapOptions) {
    this.#perSource = options.perSource;
    this.#perMinute = options.perMinute;
    this.#now = options.now ?? Date.now;
    this.#maxSources = options.maxSources ?? 65_536;
    this.#global = { tokens: this.#perMinute, at: this.#now() };
  }

  /** Takes a token for a new stream from `source`; null when taken, else why not (nothing taken then). */
  admit(source: string): CapReason | null {
    const now = this.#now();
    let bucket: Bucket | undefined;
    if (this.#perSource > 0) {
      bucket = this.#sources.get(source);
      if (bucket === undefined) {
        if (this.#sources.size >= this.#maxSources) this.#sources.delete(this.#sources.keys().next().value!);
        bucket = { tokens: this.#perSource, at: now };
        this.#sources.set(source, bucket);
      }
      if (refill(bucket, this.#perSource, now) < 1) return 'source_limit';
    }
    if (this.#perMinute > 0) {
      if (refill(this.#global, this.#perMinute, now) < 1) return 'global_limit';
      this.#global.tokens--;
    }
    if (bucket !== undefined) bucket.tokens--;
    return null;
  }
}

/** Adds what `rate` per minute earned since the bucket was last looked at, up to `rate`; the tokens now. */
function refill(bucket: Bucket, rate: number, now: number): number {
  if (now > bucket.at) {
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) * rate) / minuteMs);
    bucket.at = now;
  }
  return bucket.tokens;
}
