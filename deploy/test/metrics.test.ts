// The alarms read metrics by namespace, name and the exact dimension set: CloudWatch matches
// nothing else. Here the services' own registries publish EMF documents through packages/telemetry,
// and every alarm metric must be in them with exactly the dimensions the stack alarms on.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
// Not re-exported by the package: the service's own module, by path.
import { createUploadMetrics } from '../../services/config-upload/src/metrics.js';
import { createNtpMetrics, dropReasons as ntpDropReasons, registerReferenceGauges } from '@netsidecar/ntp-proxy';
import { createScanMetrics, scanResults } from '@netsidecar/scan-scheduler';
import { createCloudWatchSink } from '@netsidecar/sink';
import { UDP_KERNEL_DROPS_METRIC, createSyslogMetrics, dropReasons as syslogDropReasons } from '@netsidecar/syslog';
import { EmfPublisher, createLogger, createRegistry } from '@netsidecar/telemetry';
import { cloudWatchLogsClientFor, startFakeCloudWatchLogs } from '@netsidecar/test-support';
import { emfMetrics, emfNamespace, ntpEventLossReasons, scanFailureResults, sinkRejectReasons, syslogLossReasons, uploadLossOutcomes } from '../src/metrics.js';

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [label: string]: unknown;
}

async function documents(registry: Registry): Promise<EmfDocument[]> {
  return (await new EmfPublisher({ registry, write: () => {} }).publish()) as EmfDocument[];
}

/** The documents carrying `metric`: each gives the dimension names and label values it is published under. */
function published(docs: EmfDocument[], metric: string): { dimensions: string[]; labels: Record<string, unknown> }[] {
  return docs
    .filter((d) => d._aws.CloudWatchMetrics.some((m) => m.Metrics.some((x) => x.Name === metric)))
    .map((d) => {
      t.equal(d._aws.CloudWatchMetrics[0]!.Namespace, emfNamespace, `${metric}: namespace ${emfNamespace}`);
      const dimensions = [...d._aws.CloudWatchMetrics[0]!.Dimensions[0]!].sort();
      return { dimensions, labels: Object.fromEntries(dimensions.map((k) => [k, d[k]])) };
    });
}

t.test('syslog: dropped by reason and unparsed, with the dimensions the alarms use', async (t) => {
  const registry = createRegistry('syslog');
  createSyslogMetrics(registry);
  const docs = await documents(registry);
  const dropped = published(docs, emfMetrics.syslogDropped);
  t.ok(dropped.every((d) => d.dimensions.join() === 'reason,service'));
  for (const reason of syslogLossReasons) {
    t.ok((syslogDropReasons as readonly string[]).includes(reason), `${reason} is a syslog drop reason`);
    t.ok(
      dropped.some((d) => d.labels.reason === reason && d.labels.service === 'syslog'),
      `${reason} is published`,
    );
  }
  t.same(
    published(docs, emfMetrics.syslogUnparsed).map((d) => d.labels),
    [{ service: 'syslog' }],
  );
  t.equal(emfMetrics.syslogUdpKernelDrops, UDP_KERNEL_DROPS_METRIC, 'the kernel drop alarm reads the gauge the syslog service registers');
});

t.test('ntp: synchronised, client clock warnings, events dropped', async (t) => {
  const registry = createRegistry('ntp');
  const metrics = createNtpMetrics(registry);
  const reference = { state: () => ({ synchronised: true, offsetNs: 0n, rootDelayS: 0, rootDispersionS: 0, stratum: 2, lastSampleAgeS: 1 }) };
  registerReferenceGauges(registry, reference as never);
  for (const reason of ntpEventLossReasons) metrics.eventsDropped.inc({ reason });
  const docs = await documents(registry);
  t.same(
    published(docs, emfMetrics.ntpSynchronised).map((d) => d.labels),
    [{ service: 'ntp' }],
  );
  t.same(
    published(docs, emfMetrics.ntpClientClockWarnings).map((d) => d.labels),
    [{ service: 'ntp' }],
  );
  const dropped = published(docs, emfMetrics.ntpEventsDropped);
  t.same(dropped.map((d) => d.labels.reason).sort(), [...ntpEventLossReasons].sort());
  t.ok(dropped.every((d) => d.dimensions.join() === 'reason,service'));
  t.notOk((ntpDropReasons as readonly string[]).includes('sink_full'), 'request drops and event drops are different metrics');
});

t.test('sink: refused events, rejected events, spool bytes, PutLogEvents outcomes', async (t) => {
  const fake = await startFakeCloudWatchLogs();
  const dir = await mkdtemp(join(tmpdir(), 'netsidecar-deploy-sink-'));
  const registry = createRegistry('config');
  const sink = await createCloudWatchSink({
    client: cloudWatchLogsClientFor(fake),
    dataDir: dir,
    name: 'config',
    registry,
    logger: createLogger({ level: 'error', write: () => {} }),
  });
  t.teardown(async () => {
    await sink.close(Date.now() + 2_000);
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  sink.write({ logGroup: '/netsidecar/config', logStream: 'rtr-tyo-1', timestamp: Date.now(), message: '{"schema":"config/1"}' });
  await sink.flush();
  const docs = await documents(registry);
  t.same(
    published(docs, emfMetrics.sinkSpoolBytes).map((d) => d.labels),
    [{ service: 'config' }],
  );
  t.ok(published(docs, emfMetrics.sinkEvents).some((d) => d.labels.outcome === 'refused' && d.dimensions.join() === 'outcome,service'));
  const rejected = published(docs, emfMetrics.sinkRejected);
  for (const reason of sinkRejectReasons)
    t.ok(
      rejected.some((d) => d.labels.reason === reason),
      `rejected ${reason}`,
    );
  const calls = published(docs, emfMetrics.cloudwatchCalls);
  t.ok(
    calls.some((d) => d.labels.operation === 'PutLogEvents' && d.dimensions.join() === 'operation,outcome,service'),
    'PutLogEvents calls by outcome',
  );
});

t.test('config upload: refused uploads by outcome; scan: failed scans by result', async (t) => {
  const configRegistry = createRegistry('config');
  const upload = createUploadMetrics(configRegistry);
  for (const outcome of uploadLossOutcomes) upload.outcome(outcome);
  const uploads = published(await documents(configRegistry), emfMetrics.configUploads);
  t.same(uploads.map((d) => d.labels.outcome).sort(), [...uploadLossOutcomes].sort());
  t.ok(uploads.every((d) => d.dimensions.join() === 'outcome,service' && d.labels.service === 'config'));
  upload.complianceFailures(2);
  const compliance = published(await documents(configRegistry), emfMetrics.configComplianceFailures);
  t.same(
    compliance.map((d) => d.labels),
    [{ service: 'config' }],
    'compliance failures: one series, the dimension the alarm reads',
  );
  upload.staleDevices(3);
  const docs = await documents(configRegistry);
  t.same(
    published(docs, emfMetrics.configStaleDevices).map((d) => d.labels),
    [{ service: 'config' }],
    'stale devices: one series, the dimension the alarm reads',
  );
  t.same(
    docs.filter((d) => emfMetrics.configStaleDevices in d).map((d) => d[emfMetrics.configStaleDevices]),
    [3],
    'as a value, not an increase (a gauge)',
  );

  const scanRegistry = createRegistry('scan');
  createScanMetrics(scanRegistry, 2, () => 0);
  const scans = published(await documents(scanRegistry), emfMetrics.scanScans);
  for (const result of scanFailureResults) {
    t.ok((scanResults as readonly string[]).includes(result), `${result} is a scan result`);
    t.ok(
      scans.some((d) => d.labels.result === result && d.labels.service === 'scan' && d.dimensions.join() === 'result,service'),
      `${result} published`,
    );
  }
  t.same(
    published(await documents(scanRegistry), emfMetrics.scanRunningRatio).map((d) => d.labels),
    [{ service: 'scan' }],
    'the cap ratio the concurrency alarms read',
  );
});
