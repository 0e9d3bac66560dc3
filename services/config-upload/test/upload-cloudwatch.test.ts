// The CloudWatch sink behind the real upload service, talking HTTP to the wire-level CloudWatch
// Logs server: while CloudWatch refuses, uploads wait in the spool; one that no longer fits is
// refused whole (503) and its number is never reused; after a restart on the same spool, every
// accepted upload arrives whole and nothing of the refused one does.
import t from 'tap';
import { createCloudWatchSink } from '@netsidecar/sink';
import { silentLogger } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { createRegistry } from '@netsidecar/telemetry';
import { curl, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;

/** A config with `count` interfaces described with `seed`, for each [seed, count] in turn. */
function config(...blocks: [seed: string, count: number][]): string {
  const lines = ['version 17.9', 'hostname rtr-cw-1'];
  let n = 0;
  for (const [seed, count] of blocks) {
    for (let i = 0; i < count; i++, n++) lines.push(`interface GigabitEthernet1/0/${n}`, ` description "${seed} port ${n}"`, '!');
  }
  return [...lines, 'end', ''].join('\n');
}

t.test('a full spool refuses an upload whole; after a restart the accepted ones arrive whole, nothing of the refused one', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  t.teardown(() => fake.close());
  fake.outage('PutLogEvents', 'service-unavailable');
  const client = cloudWatchLogsClientFor(fake);
  t.teardown(() => client.destroy());
  // 1 MiB of spool while CloudWatch refuses: a 0.3 MB upload (config/1 and two parts) fits; the same
  // with 0.3 MB more (0.6 MB, and its 0.3 MB diff) does not; the same with one line more does.
  const options = { client, name: 'config', spoolLimitBytes: 1024 * 1024, spoolSegmentBytes: 128 * 1024, logger: silentLogger };
  let spoolDir = '';
  const up = await startTestUpload(t, {}, {}, (dataDir, registry) => {
    spoolDir = dataDir;
    return createCloudWatchSink({ ...options, dataDir, registry });
  });
  t.equal(up.sink.durableOnWrite, true);
  const put = (body: string) =>
    curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-cw-1`], body);

  const first = config(['first-upload', 4_000]);
  t.ok(first.length > 250_000, `${first.length} bytes`);
  t.match((await put(first)).json, { version: 1 }, 'spooled: durable without CloudWatch');
  const refused = await put(config(['first-upload', 4_000], ['refused-upload', 4_000]));
  t.equal(refused.status, 503, 'the spool cannot take the whole second upload');
  t.equal(refused.json?.error, 'sink_unavailable');
  t.match((await put(config(['first-upload', 4_001]))).json, { version: 3 }, 'the refused number 2 is not reused');

  // Stop the service and the sink while CloudWatch still refuses: everything stays in the spool.
  await up.service.stop();
  const report = await up.sink.close(Date.now() + 100);
  t.equal(report.delivered, 0);
  t.ok(report.pending > 2 && report.pendingSpooled, `${report.pending} events spooled`);

  // Restart on the same data directory with CloudWatch back: the spool is replayed.
  fake.outage('PutLogEvents', null);
  const again = await createCloudWatchSink({ ...options, dataDir: spoolDir, registry: createRegistry('config') });
  await again.flush();
  await again.close(Date.now() + 5_000);
  const events = fake.events('/netsidecar/config', 'rtr-cw-1').map((e) => JSON.parse(e.message) as Record<string, unknown>);
  const mains = events.filter((e) => e.schema === 'config/1');
  t.same(
    mains.map((e) => e.version),
    [1, 3],
    'versions 1 and 3, once each',
  );
  const parts = events.filter((e) => e.schema === 'config-part/1');
  for (const main of mains) t.equal(parts.filter((p) => p.uploadId === main.uploadId).length, main.parts, `every part of version ${String(main.version)}`);
  t.equal(parts.length, (mains[0]!.parts as number) + (mains[1]!.parts as number), 'and no part of anything else');
  const config1 = parts.filter((p) => p.uploadId === mains[0]!.uploadId && p.field === 'config').sort((a, b) => (a.part as number) - (b.part as number));
  t.equal(config1.map((p) => p.data).join(''), first, 'version 1 reassembles whole');
  t.notOk(JSON.stringify(events).includes('refused-upload'), 'nothing of the refused upload reached CloudWatch');
});
