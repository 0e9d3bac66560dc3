// Issue 13, point 6: what a SIGKILL (an OOM kill, a task killed at stopTimeout) costs the syslog
// service. The real service with the CloudWatch sink, CloudWatch refusing every call (so everything
// accepted waits in the spool), numbered UDP datagrams from one router at a steady rate, SIGKILL
// between two sends, then a restart on the same data directory.
//
// The promise (docs/ARCHITECTURE.md, delivery guarantees): an event the sink accepted survives
// SIGKILL; what is lost is only what was still on its way to the sink: datagrams in the kernel's
// socket buffer and those read into the parse pool (at most maxInFlightBatches × maxBatchMessages per
// worker; in practice the last few milliseconds). One router's datagrams go through one worker in
// order, so the loss is a tail: every datagram before it is delivered, none twice.
import t from 'tap';
import { createSocket } from 'node:dgram';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { spawnService } from './support/spawn-service.js';
import { syslogOnLoopback } from './support/syslog-env.js';
import { describe, tally } from './support/tally.js';

t.setTimeout(180_000);

const parseWorkers = 2;
/** ParsePool's defaults: batches per worker in flight, datagrams per batch. */
const poolBound = parseWorkers * 64 * 512;

function cloudWatchEnv(fake: FakeCloudWatchLogs, dataDir: string): Record<string, string> {
  return {
    ...syslogOnLoopback,
    NETSIDECAR_SINK: 'cloudwatch',
    NETSIDECAR_DATA_DIR: dataDir,
    NETSIDECAR_SYSLOG_PARSE_WORKERS: String(parseWorkers),
    NETSIDECAR_SINK_FLUSH_INTERVAL: '100ms',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDNETSIDECARTEST',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
  };
}

/** The kernel's view of a UDP socket bound to 127.0.0.1:port: bytes queued unread, datagrams it dropped. */
async function udpSocketState(port: number): Promise<{ queuedBytes: number; drops: number } | null> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of (await readFile('/proc/net/udp', 'utf8')).split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] !== local) continue;
    return { queuedBytes: parseInt(fields[4]!.split(':')[1]!, 16), drops: Number(fields[12]) };
  }
  return null;
}

async function receivedCount(healthPort: number): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  return Number(/netsidecar_syslog_received_total\{transport="udp",service="syslog"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

t.test('SIGKILL under a steady UDP load: everything spooled is delivered after the restart; the loss is the tail still on its way', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-sigkill-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  fake.outage('*', 'service-unavailable');

  const first = await spawnService(t, 'services/syslog/src/main.ts', cloudWatchEnv(fake, dataDir));
  const listening = await first.waitForLog('listening');
  const started = await first.waitForLog('started');
  const port = listening.udpPort as number;

  const sender = createSocket('udp4');
  t.teardown(() => sender.close());
  const send = (n: number) =>
    new Promise<void>((resolve, reject) =>
      sender.send(`<190>1 2026-11-22T14:00:00.000Z edge-9 app - - - n=${n} ${'x'.repeat(60)}`, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );

  // 2,000 datagrams a second (20 every 10 ms) until the service has read at least 4,000, then
  // SIGKILL right after a send: the datagrams still on their way are the last ones sent.
  const target = 4_000;
  const giveUp = Date.now() + 60_000;
  let sent = 0;
  let readBeforeKill: number;
  for (let tick = 0; ; tick++) {
    for (let i = 0; i < 20; i++) await send(sent++);
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (tick % 10 !== 9) continue;
    readBeforeKill = await receivedCount(started.healthPort as number);
    if (readBeforeKill >= target) break;
    if (Date.now() > giveUp) throw new Error(`the service read ${readBeforeKill} of ${sent} datagrams within 60 s`);
  }
  // One more burst, and the kill right behind it: these are still on their way.
  for (let i = 0; i < 20; i++) await send(sent++);
  const kernel = await udpSocketState(port);
  first.child.kill('SIGKILL');
  const killedAt = Date.now();
  t.equal(await first.exited, null, 'killed, no exit code');
  t.ok(kernel, 'the socket was found in /proc/net/udp');

  fake.outage('*', null);
  const second = await spawnService(t, 'services/syslog/src/main.ts', cloudWatchEnv(fake, dataDir));
  await second.waitForLog('started');
  // SIGTERM drains: the replayed spool is delivered before exit 0.
  t.equal(await second.stop('SIGTERM'), 0, 'the restarted service drains its spool and exits 0');
  t.comment(`restart and drain took ${Date.now() - killedAt} ms`);

  const arrived = fake
    .events('/netsidecar/syslog', 'edge-9')
    .map((e) => Number(/n=(\d+)/.exec((JSON.parse(e.message) as { message: string }).message)?.[1] ?? -1));
  const result = tally(sent, arrived);
  const distinct = new Set(arrived);
  const prefix = [...Array(sent).keys()].findIndex((n) => !distinct.has(n));
  const tail = prefix === -1 ? 0 : sent - prefix;
  t.comment(describe('point 6, SIGKILL at 2,000 datagrams/s', result));
  t.comment(
    `read by the service at its last /metrics before the kill: ${readBeforeKill}; in the kernel's socket buffer at the kill: ${kernel?.queuedBytes ?? '?'} bytes; socket drops: ${kernel?.drops ?? '?'}; lost tail: ${tail} datagrams (${((tail / 2000) * 1000).toFixed(0)} ms at this rate)`,
  );
  t.equal(result.duplicated, 0, 'nothing twice (CloudWatch stored nothing before the kill)');
  if (kernel?.drops === 0) t.equal(result.lost, tail, 'the loss is one tail: every datagram before it was delivered');
  else t.ok(result.lost <= tail + (kernel?.drops ?? 0), 'holes before the tail only where the kernel dropped datagrams');
  t.ok(sent - tail >= readBeforeKill - poolBound, 'what was read and lost is within the parse pool bound');
  t.ok(result.delivered >= Math.min(readBeforeKill, sent) - poolBound, 'the spooled events were replayed after the restart');
});
