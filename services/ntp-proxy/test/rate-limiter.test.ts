import t from 'tap';
import { chronyRateLimitDefaults, RateLimiter } from '../src/server/rate-limiter.js';

t.test("chrony's defaults: a burst of 8, then one per 8 s", async (t) => {
  const limiter = new RateLimiter(chronyRateLimitDefaults, () => 0.99); // never leak
  const bucket = limiter.newBucket(0);
  const decisions = Array.from({ length: 10 }, () => limiter.decide(bucket, 0));
  t.same(decisions, ['allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'drop', 'drop']);
  t.equal(limiter.decide(bucket, 7_999), 'drop', 'not yet one token back');
  t.equal(limiter.decide(bucket, 8_000), 'allow', 'a token every 8 s');
  t.equal(limiter.decide(bucket, 8_000), 'drop');
});

t.test('a client polling every 8 s or slower is never limited; refill stops at the burst', async (t) => {
  const limiter = new RateLimiter(chronyRateLimitDefaults, () => 0.99);
  const bucket = limiter.newBucket(0);
  const decisions = Array.from({ length: 100 }, (_, i) => limiter.decide(bucket, i * 8_000));
  t.same(new Set(decisions), new Set(['allow']));
  const idle = limiter.newBucket(0);
  limiter.decide(idle, 1_000_000); // a day idle refills to 8, not more
  const burst = Array.from({ length: 9 }, () => limiter.decide(idle, 1_000_000));
  t.equal(burst.filter((decision) => decision === 'allow').length, 7, '8 tokens, one used just before');
});

t.test('leak 2: one limited request in four gets a KoD (random decides)', async (t) => {
  const draws = [0.1, 0.3, 0.26, 0.24, 0.9];
  let i = 0;
  const limiter = new RateLimiter({ ...chronyRateLimitDefaults, burst: 1 }, () => draws[i++]!);
  const bucket = limiter.newBucket(0);
  t.equal(limiter.decide(bucket, 0), 'allow');
  t.same(
    Array.from({ length: 5 }, () => limiter.decide(bucket, 0)),
    ['kod', 'drop', 'drop', 'kod', 'drop'],
    'below 2^-2 = 0.25 leaks',
  );
  const always = new RateLimiter({ ...chronyRateLimitDefaults, burst: 1, leakLog2: 0 }, () => 0.99);
  const b = always.newBucket(0);
  always.decide(b, 0);
  t.equal(always.decide(b, 0), 'kod', 'leak 0: every limited request gets a KoD');
});

t.test('disabled: everything is allowed', async (t) => {
  const limiter = new RateLimiter({ ...chronyRateLimitDefaults, enabled: false });
  const bucket = limiter.newBucket(0);
  t.same(new Set(Array.from({ length: 1000 }, () => limiter.decide(bucket, 0))), new Set(['allow']));
});

t.test('interval -4 (16 per second) and a clock that goes back a little', async (t) => {
  const limiter = new RateLimiter({ ...chronyRateLimitDefaults, intervalLog2: -4, burst: 1 }, () => 0.99);
  const bucket = limiter.newBucket(0);
  t.equal(limiter.decide(bucket, 0), 'allow');
  t.equal(limiter.decide(bucket, 62), 'drop');
  t.equal(limiter.decide(bucket, 63), 'allow', '62.5 ms per token');
  t.equal(limiter.decide(bucket, 50), 'drop', 'earlier time: no refill, no error');
  t.ok(limiter.isFull(bucket, 10_000));
  t.notOk(limiter.isFull(bucket, 63));
});
