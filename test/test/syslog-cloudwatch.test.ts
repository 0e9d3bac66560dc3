// The syslog service with the CloudWatch sink, against the wire-level CloudWatch Logs test server:
// what `logger` sends arrives in /netsidecar/syslog, one stream per device, through throttling,
// and through an outage that spans a restart (the spool replays what was not acknowledged).
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFakeCloudWatchLogs, type FakeCloudWatchLogs } from '@netsidecar/test-support';
import { eventually } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';

const run = promisify(execFile);
const host = hostname();

function cloudWatchEnv(fake: FakeCloudWatchLogs, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NETSIDECAR_SINK: 'cloudwatch',
    NETSIDECAR_SYSLOG_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_SYSLOG_UDP_PORT: '0',
    NETSIDECAR_SYSLOG_TCP_PORT: '0',
    NETSIDECAR_SYSLOG_HEALTH_PORT: '0',
    NETSIDECAR_SYSLOG_UDP_RECEIVE_BUFFER: '1MiB',
    NETSIDECAR_SINK_FLUSH_INTERVAL: '100ms',
    NETSIDECAR_EMF_INTERVAL: '200ms',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDNETSIDECARTEST',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
    ...extra,
  };
}

const until = (predicate: () => boolean, what: string) => eventually(predicate, { timeoutMs: 20_000, intervalMs: 25, what });

t.test('logger → syslog → CloudWatch Logs: group and stream created, events in order, retention untouched', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  fake.fault('PutLogEvents', { kind: 'throttle' }, { kind: 'service-unavailable' });
  const service = await spawnService(t, 'services/syslog/src/main.ts', cloudWatchEnv(fake));
  const listening = await service.waitForLog('listening');
  for (const text of ['one', 'two', 'three']) {
    await run('logger', ['--tcp', '--octet-count', '--server', '127.0.0.1', '--port', String(listening.tcpPort), '--rfc5424', '-t', 'rpd', text]);
  }
  await until(() => fake.events('/netsidecar/syslog', host).length >= 3, 'three events in CloudWatch');
  const events = fake.events('/netsidecar/syslog', host);
  t.same(
    events.map((e) => JSON.parse(e.message).message),
    ['one', 'two', 'three'],
  );
  const first = JSON.parse(events[0]!.message);
  // syslog/2 (the default): no schema name; the receive time kept as rt (the S3 archive keeps the message alone)
  // and the CloudWatch timestamp is the same instant.
  t.match(first, { v: 2, transport: 'tcp', app: 'rpd', host });
  t.notOk('schema' in first, 'no schema name in the event');
  t.equal(events[0]!.timestamp, first.rt, 'the CloudWatch timestamp is the receive time (rt)');
  t.ok(Math.abs(events[0]!.timestamp - Date.now()) < 60_000, 'the CloudWatch timestamp is the time the service received it');
  t.same(fake.retentionPolicies(), {}, 'retention is deploy’s job, never the sink’s');
  t.ok(
    fake.calls('PutLogEvents').some((c) => c.error === 'ThrottlingException'),
    'the throttled call was retried',
  );

  // The same counters as /metrics reach CloudWatch as Embedded Metric Format lines on stdout. EMF
  // counters are increases since the previous line (CloudWatch sums them): the three messages may
  // be counted in one line or spread over several, so the lines are summed.
  const received = () =>
    service
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((doc) => typeof doc['netsidecar_syslog_received_total'] === 'number' && doc['transport'] === 'tcp');
  await until(
    () => received().reduce((sum, doc) => sum + (doc['netsidecar_syslog_received_total'] as number), 0) >= 3,
    'EMF lines counting the three messages',
  );
  t.equal(
    received().reduce((sum, doc) => sum + (doc['netsidecar_syslog_received_total'] as number), 0),
    3,
    'three messages counted, once each',
  );
  t.match(received()[0], { service: 'syslog', transport: 'tcp', _aws: { CloudWatchMetrics: [{ Namespace: 'netsidecar' }] } });
  t.equal(await service.stop(), 0);
});

t.test('an outage across a SIGTERM and a restart loses nothing: the spool replays', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-spool-e2e-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  fake.outage('*', 'service-unavailable');

  const first = await spawnService(t, 'services/syslog/src/main.ts', cloudWatchEnv(fake, { NETSIDECAR_DATA_DIR: dataDir, NETSIDECAR_SHUTDOWN_DEADLINE: '1s' }));
  const listening = await first.waitForLog('listening');
  await first.waitForLog('started'); // its SIGTERM handler is installed from here on
  const total = 50;
  const lines = Array.from({ length: total }, (_, i) => `during outage ${i}`).join('\n');
  await run('sh', [
    '-c',
    `printf '%s\\n' "${lines.split('\n').join('" "')}" | logger --tcp --octet-count --server 127.0.0.1 --port ${listening.tcpPort} --rfc5424 -t rpd`,
  ]);
  await until(() => fake.calls().length > 0, 'the sink to try CloudWatch');
  t.equal(await first.stop(), 0, 'drains what it can, spools the rest, exits 0');
  t.match(
    first.logs.find((l) => l.msg === 'drained'),
    { pending: total, pendingSpooled: true },
  );
  t.equal(fake.events('/netsidecar/syslog', host).length, 0);

  fake.outage('*', null);
  const second = await spawnService(t, 'services/syslog/src/main.ts', cloudWatchEnv(fake, { NETSIDECAR_DATA_DIR: dataDir }));
  // The replay starts as soon as the sink opens, before main() has installed its SIGTERM handler:
  // wait for `started`, or the SIGTERM below could meet Node's default action and kill it unfinished.
  await second.waitForLog('started');
  await until(() => fake.events('/netsidecar/syslog', host).length >= total, 'the spooled events after the restart');
  const delivered = fake.events('/netsidecar/syslog', host).map((e) => JSON.parse(e.message).message);
  t.same(
    delivered,
    Array.from({ length: total }, (_, i) => `during outage ${i}`),
    'exactly once, in order',
  );
  t.equal(await second.stop(), 0);
});
