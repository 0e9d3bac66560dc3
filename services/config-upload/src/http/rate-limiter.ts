/**
 * A token bucket per source address: `perMinute` tokens a minute, a burst of the same size. A
 * flooding client gets 429 with the seconds until its next token. The table is bounded: when it is
 * full, buckets that have refilled completely (and so carry no state) are dropped first.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxAddresses = 100_000,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  /** 0 when allowed, else the seconds to wait (for Retry-After). */
  take(address: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxAddresses) this.prune(now);
      bucket = { tokens: this.perMinute, at: now };
      this.buckets.set(address, bucket);
    } else {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.ratePerMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000));
  }

  private prune(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.perMinute) this.buckets.delete(address);
    }
    if (this.buckets.size >= this.maxAddresses) this.buckets.clear();
  }
}
