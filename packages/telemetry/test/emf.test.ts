import t from 'tap';
import { EmfPublisher, counter, createRegistry, gauge } from '@netsidecar/telemetry';

t.test('EMF documents carry counter increases since the last publication and gauge values', async (t) => {
  const registry = createRegistry('syslog');
  const dropped = counter(registry, 'netsidecar_syslog_dropped_total', 'dropped', ['reason']);
  const spool = gauge(registry, 'netsidecar_sink_spool_bytes', 'spool');
  const lines: string[] = [];
  const emf = new EmfPublisher({ registry, write: (l) => lines.push(l), now: () => 1_700_000_000_000 });

  dropped.inc({ reason: 'oversize' }, 5);
  spool.set(4096);
  await emf.publish();
  dropped.inc({ reason: 'oversize' }, 2);
  const second = (await emf.publish()) as Record<string, unknown>[];

  const first = lines.slice(0, lines.length - second.length).map((l) => JSON.parse(l));
  const oversizeFirst = first.find((d) => d.reason === 'oversize');
  t.equal(oversizeFirst.netsidecar_syslog_dropped_total, 5);
  t.same(
    oversizeFirst._aws.CloudWatchMetrics[0].Dimensions,
    [['reason', 'service']].map((d) => d.sort()),
  );
  t.equal(oversizeFirst._aws.Timestamp, 1_700_000_000_000);
  t.equal(second.find((d) => d.reason === 'oversize')?.netsidecar_syslog_dropped_total, 2, 'only the increase');
  const spoolDoc = second.find((d) => 'netsidecar_sink_spool_bytes' in d) as {
    _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
  } & Record<string, unknown>;
  t.equal(spoolDoc.netsidecar_sink_spool_bytes, 4096, 'gauges keep their value');
  t.same(spoolDoc._aws.CloudWatchMetrics[0]!.Metrics.find((m) => m.Name === 'netsidecar_sink_spool_bytes')?.Unit, 'Bytes');
});
