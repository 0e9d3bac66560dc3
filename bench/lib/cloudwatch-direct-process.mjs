// Fallback of the CloudWatch figure while the service cannot run with NETSIDECAR_SINK=cloudwatch:
// the service's own ingest path (parser, Ingest, createCloudWatchSink) in a process of its own,
// fed from the corpus without sockets. The AWS SDK finds the fake endpoint, region and dummy
// credentials in the environment, as the service would.
// argv: <corpus> <total> <dataDir>; prints one JSON line with timings when everything is delivered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sinkPackage from '@netsidecar/sink';
import { createSyslogMetrics } from '@netsidecar/syslog';
import { createRegistry, silentLogger } from '@netsidecar/telemetry';
import { repoRoot } from './netsidecar.mjs';

// Ingest is internal to the service package (not exported): load the built file itself. The sink
// may not be re-exported by the package index yet: then its own built folder.
const { Ingest } = await import(join(repoRoot, 'services', 'syslog', 'dist', 'ingest.js'));
const createCloudWatchSink =
  sinkPackage.createCloudWatchSink ?? (await import(join(repoRoot, 'packages', 'sink', 'dist', 'cloudwatch', 'index.js'))).createCloudWatchSink;

const [corpusPath, totalText, dataDir] = process.argv.slice(2);
const total = Number(totalText);
const lines = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => Buffer.from(line));
const registry = createRegistry('syslog');
const sink = await createCloudWatchSink({ dataDir, name: 'syslog', registry, logger: silentLogger });
// The service's default event (NETSIDECAR_SYSLOG_SCHEMA, or 2), as the CloudWatch sink writes it.
const schema = Number(process.env.NETSIDECAR_SYSLOG_SCHEMA ?? 2);
const ingest = new Ingest(sink, '/netsidecar/syslog', createSyslogMetrics(registry), { schema, receivedAt: false });

const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const outcome = ingest.accept(lines[i % lines.length], { receivedAt: new Date(), sourceIp: '127.0.0.2', sourcePort: 40000, transport: 'tcp' });
  // As a paused TCP socket would: wait while the sink pushes back; let its timers and I/O run.
  if (outcome === 'backpressure') await sink.whenWritable();
  if (i % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
}
const acceptedSeconds = (performance.now() - t0) / 1000;
await sink.flush();
const deliveredSeconds = (performance.now() - t0) / 1000;
await sink.close(Date.now() + 30_000);
process.stdout.write(JSON.stringify({ acceptedSeconds, deliveredSeconds }) + '\n');
