import t from 'tap';
import { ClientTable } from '../src/server/client-table.js';
import { chronyRateLimitDefaults, RateLimiter } from '../src/server/rate-limiter.js';

function table(maxClients: number, evicted: string[] = [], idleMs = 3_600_000) {
  const limiter = new RateLimiter(chronyRateLimitDefaults);
  return new ClientTable({
    maxClients,
    idleMs,
    newBucket: (ms) => limiter.newBucket(ms),
    bucketIsFull: (bucket, ms) => limiter.isFull(bucket, ms),
    onEvict: (entry) => evicted.push(entry.ip),
  });
}

t.test('bounded: the least recently seen client goes first', async (t) => {
  const evicted: string[] = [];
  const clients = table(3, evicted);
  clients.touch('10.0.0.1', 0);
  clients.touch('10.0.0.2', 1);
  clients.touch('10.0.0.3', 2);
  clients.touch('10.0.0.1', 3); // seen again: now the most recent
  clients.touch('10.0.0.4', 4);
  t.same(evicted, ['10.0.0.2']);
  t.equal(clients.size, 3);
  t.ok(clients.peek('10.0.0.1'));
  t.notOk(clients.peek('10.0.0.2'));
  for (let i = 0; i < 10_000; i++) clients.touch(`198.51.100.${i}`, 10 + i); // a spoofed-source flood
  t.equal(clients.size, 3, 'never above the cap');
  t.equal(evicted.length, 10_001);
});

t.test('summaries: one per active client, counters reset, versions listed', async (t) => {
  const clients = table(10);
  const a = clients.touch('192.0.2.1', 1_000);
  a.requests = 3;
  a.timeReplies = 2;
  a.kodSent = 1;
  a.versions = (1 << 3) | (1 << 4);
  a.keyId = 7;
  a.authenticatedRequests = 3;
  clients.touch('192.0.2.2', 1_000); // no requests counted: no summary
  const summaries = clients.takeSummaries(301_000);
  t.equal(summaries.length, 1);
  t.match(summaries[0], {
    clientIp: '192.0.2.1',
    periodStartMs: 1_000,
    periodEndMs: 301_000,
    requests: 3,
    timeReplies: 2,
    kodSent: 1,
    versions: [3, 4],
    keyId: 7,
    authenticatedRequests: 3,
  });
  t.match(
    clients.peek('192.0.2.1'),
    { requests: 0, timeReplies: 0, kodSent: 0, versions: 0, periodStartMs: 301_000, keyId: 7 },
    'the key ID is kept, counters reset',
  );
  t.same(clients.takeSummaries(601_000), [], 'nothing new, nothing to say');
});

t.test('idle clients are forgotten once their bucket is full again', async (t) => {
  const clients = table(10, [], 60_000);
  const busy = clients.touch('192.0.2.9', 0);
  busy.bucket.tokens = 0;
  clients.touch('192.0.2.8', 0);
  clients.takeSummaries(59_000);
  t.equal(clients.size, 2, 'not idle long enough');
  clients.takeSummaries(61_000);
  t.equal(clients.size, 1, 'idle and full: forgotten');
  t.ok(clients.peek('192.0.2.9'), 'its bucket (0 tokens + 61 s / 8 s) is not full yet: kept');
  clients.takeSummaries(120_000);
  t.equal(clients.size, 0);
});
