/**
 * Per-client response rate limiting, after chrony's `ratelimit` directive: a token bucket per client
 * address that refills one token every 2^interval seconds up to `burst` tokens; a request takes a
 * token. Without one, the request is limited: with probability 2^-leak it is answered with a
 * Kiss-o'-Death RATE (RFC 5905 §7.4), which tells a real client to slow down, otherwise dropped.
 * The leak means a client whose address is spoofed by a flooder still hears from us now and then,
 * and a flood can never be amplified (a KoD is no larger than the request).
 *
 * chrony defaults: interval 3 (one request per 8 s on average), burst 8, leak 2 (1 in 4).
 */
export interface RateLimitSettings {
  enabled: boolean;
  intervalLog2: number;
  burst: number;
  leakLog2: number;
}

export const chronyRateLimitDefaults: RateLimitSettings = { enabled: true, intervalLog2: 3, burst: 8, leakLog2: 2 };

export interface Bucket {
  tokens: number;
  lastMs: number;
}

export type RateDecision = 'allow' | 'kod' | 'drop';

export class RateLimiter {
  private readonly refillMs: number;
  private readonly leakProbability: number;

  constructor(
    readonly settings: RateLimitSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.refillMs = 2 ** settings.intervalLog2 * 1000;
    this.leakProbability = 2 ** -settings.leakLog2;
  }

  newBucket(nowMs: number): Bucket {
    return { tokens: this.settings.burst, lastMs: nowMs };
  }

  /** The bucket is full again (the client is idle as far as limiting goes). */
  isFull(bucket: Bucket, nowMs: number): boolean {
    return bucket.tokens + (nowMs - bucket.lastMs) / this.refillMs >= this.settings.burst;
  }

  decide(bucket: Bucket, nowMs: number): RateDecision {
    if (!this.settings.enabled) return 'allow';
    const elapsedMs = Math.max(0, nowMs - bucket.lastMs);
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + elapsedMs / this.refillMs);
    bucket.lastMs = Math.max(bucket.lastMs, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'allow';
    }
    return this.random() < this.leakProbability ? 'kod' : 'drop';
  }
}
