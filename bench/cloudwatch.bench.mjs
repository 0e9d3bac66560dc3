// Figure 3: how well the CloudWatch sink fills PutLogEvents calls. The service runs with
// NETSIDECAR_SINK=cloudwatch against the test suite's fake CloudWatch Logs (real HTTP, real wire
// protocol, the documented PutLogEvents limits), gets `total` messages over TCP (no loss, so every
// event must arrive), and we count the PutLogEvents calls it needed.
//
// Ideal: CloudWatch counts a batch as the UTF-8 bytes of its messages plus 26 bytes per event, at
// most 1 MiB and 10,000 events per call, and one call carries one log stream. "pooled ideal" is
// total bytes / 1 MiB (the brief's figure); "per-stream ideal" adds the one-stream-per-call rule.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './lib/corpus.mjs';
import { startFakeCloudWatch } from './lib/fake-cloudwatch.mjs';
import { backgroundCores, loadSnapshot, waitForQuietMachine } from './lib/machine-load.mjs';
import { startNetsidecar } from './lib/netsidecar.mjs';
import { cpuSecondsOf, memoryOf, sleep, start } from './lib/processes.mjs';

const logGroup = '/netsidecar/syslog';
const directScript = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'cloudwatch-direct-process.mjs');
const deliveryLimitMs = 240_000; // 4 min per device count at most

/** Through the service: TCP in, NETSIDECAR_SINK=cloudwatch out. Null when the service cannot start so. */
async function throughService({ dataDir, env, fake, sender, total, connections, corpus }) {
  let service;
  try {
    service = await startNetsidecar({ dataDir, env: { NETSIDECAR_SINK: 'cloudwatch', ...env } });
  } catch (err) {
    return { error: err.message.split('\n')[0].slice(0, 300) };
  }
  await waitForQuietMachine();
  const load0 = loadSnapshot();
  const cpu0 = cpuSecondsOf(service.pid);
  const fakeCpu0 = cpuSecondsOf(fake.pid);
  const t0 = performance.now();
  const sent = await sender.tcp({ port: service.ports.tcp, total, connections, corpus });
  const acceptedSeconds = (performance.now() - t0) / 1000;
  await waitDelivered(fake, total);
  const deliveredSeconds = (performance.now() - t0) / 1000;
  const memory = memoryOf(service.pid);
  const cpu = cpuSecondsOf(service.pid) - cpu0;
  const fakeCpu = cpuSecondsOf(fake.pid) - fakeCpu0;
  const background = backgroundCores(load0, loadSnapshot(), cpu + fakeCpu + sent.cpu);
  const m = await service.metrics();
  await service.stop(60_000);
  return {
    mode: 'service',
    sent: sent.sent,
    acceptedSeconds,
    deliveredSeconds,
    peakRssMb: memory ? memory.hwmKb / 1024 : null,
    cpuSeconds: cpu,
    fakeServerCpuSeconds: fakeCpu,
    backgroundCores: background,
    sinkEvents: Object.fromEntries(
      [...m.samples].filter(([k]) => k.startsWith('netsidecar_sink_events_total')).map(([k, v]) => [/outcome="([^"]+)"/.exec(k)?.[1] ?? k, v]),
    ),
  };
}

/** The service's ingest path and createCloudWatchSink in a process, fed without sockets. */
async function throughSinkDirectly({ dataDir, env, fake, total, corpus }) {
  await waitForQuietMachine();
  const load0 = loadSnapshot();
  const fakeCpu0 = cpuSecondsOf(fake.pid);
  const proc = start(process.execPath, [directScript, corpus, String(total), dataDir], { env: { PATH: process.env.PATH, ...env } });
  let peakKb = 0;
  let cpu = 0;
  const watch = setInterval(() => {
    peakKb = Math.max(peakKb, memoryOf(proc.pid)?.hwmKb ?? 0);
    cpu = cpuSecondsOf(proc.pid) ?? cpu;
  }, 200);
  const { code, signal } = await proc.exited;
  clearInterval(watch);
  if (code !== 0) {
    const stderr = proc.output.stderr;
    const reason = stderr.split('\n').find((l) => /Error|error:/.test(l)) ?? stderr.trim().slice(-300);
    return { error: `the direct sink run exited ${code ?? signal}: ${reason.trim()}` };
  }
  const timing = JSON.parse(proc.output.stdout.trim().split('\n').at(-1));
  const fakeCpu = cpuSecondsOf(fake.pid) - fakeCpu0;
  return {
    mode: 'sink directly',
    sent: total,
    ...timing,
    peakRssMb: peakKb / 1024,
    cpuSeconds: cpu,
    fakeServerCpuSeconds: fakeCpu,
    backgroundCores: backgroundCores(load0, loadSnapshot(), cpu + fakeCpu),
    sinkEvents: {},
  };
}

async function waitDelivered(fake, total) {
  const until = Date.now() + deliveryLimitMs;
  let stats = await fake.callStats();
  while (stats.appliedEvents < total && Date.now() < until) {
    await sleep(500);
    stats = await fake.callStats();
  }
}

async function oneRun({ dir, sender, devices, total, connections, log }) {
  const runDir = join(dir, `cloudwatch-${devices}`);
  const dataDir = join(runDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const corpus = join(runDir, 'corpus.txt');
  writeCorpus(corpus, { devices, lines: 20_000, seed: 7 });
  // The SDK must read nothing from this machine's AWS config and never ask an instance metadata service.
  const emptyAwsFile = join(runDir, 'aws-empty');
  writeFileSync(emptyAwsFile, '');

  const fake = await startFakeCloudWatch();
  const env = {
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDNETSIDECARBENCH',
    AWS_SECRET_ACCESS_KEY: 'netsidecar-bench-not-a-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: emptyAwsFile,
    AWS_SHARED_CREDENTIALS_FILE: emptyAwsFile,
  };
  let run = await throughService({ dataDir, env, fake, sender, total, connections, corpus });
  if (run.error) {
    log(`  cloudwatch: the service did not start with NETSIDECAR_SINK=cloudwatch (${run.error}); driving the sink directly`);
    const serviceError = run.error;
    run = await throughSinkDirectly({ dataDir, env, fake, total, corpus });
    run.serviceError = serviceError;
  }
  if (run.error) {
    await fake.close();
    rmSync(runDir, { recursive: true, force: true });
    return { devices, total, error: run.error };
  }
  const stats = await fake.callStats(); // after the drain, which may have sent the last events
  const store = await fake.storeStats(logGroup);
  await fake.close();
  rmSync(runDir, { recursive: true, force: true });
  const perMillion = (n) => (n * 1_000_000) / total;
  const result = {
    devices,
    total,
    mode: run.mode,
    serviceError: run.serviceError,
    sent: run.sent,
    connections,
    stored: store.events,
    duplicates: stats.appliedEvents - store.events,
    missing: total - store.events,
    streams: store.streams,
    putCalls: stats.putCalls,
    putApplied: stats.putApplied,
    byStatus: stats.byStatus,
    errors: stats.errors,
    otherCalls: stats.otherCalls,
    bytes: store.bytes,
    meanEventBytes: store.bytes / Math.max(1, store.events) - 26,
    pooledIdeal: store.pooledIdeal,
    perStreamIdeal: store.perStreamIdeal,
    putCallsPerMillion: perMillion(stats.putCalls),
    pooledIdealPerMillion: perMillion(store.pooledIdeal),
    perStreamIdealPerMillion: perMillion(store.perStreamIdeal),
    meanCallBytes: stats.appliedBytes / Math.max(1, stats.putApplied),
    meanCallEvents: stats.appliedEvents / Math.max(1, stats.putApplied),
    maxCallBytes: stats.maxCallBytes,
    maxCallEvents: stats.maxCallEvents,
    acceptedSeconds: run.acceptedSeconds,
    deliveredSeconds: run.deliveredSeconds,
    deliveredRate: store.events / run.deliveredSeconds,
    peakRssMb: run.peakRssMb,
    cpuSeconds: run.cpuSeconds,
    fakeServerCpuSeconds: run.fakeServerCpuSeconds,
    backgroundCores: run.backgroundCores,
    sinkEvents: run.sinkEvents,
  };
  log(
    `  cloudwatch ${devices} device(s) (${run.mode}): ${stats.putCalls} PutLogEvents for ${store.events} events (${result.putCallsPerMillion.toFixed(0)}/M; ideal ${result.pooledIdealPerMillion.toFixed(0)} pooled, ${result.perStreamIdealPerMillion.toFixed(0)} per stream), delivered in ${run.deliveredSeconds.toFixed(1)} s, peak RSS ${result.peakRssMb?.toFixed(0)} MB`,
  );
  return result;
}

export async function runCloudWatchBench({ dir, sender, total, deviceCounts, log = console.log }) {
  const runs = [];
  for (const devices of deviceCounts) {
    const result = await oneRun({ dir, sender, devices, total, connections: devices === 1 ? 1 : 4, log });
    if (result.error) log(`  cloudwatch ${devices} device(s): not measured: ${result.error}`);
    runs.push(result);
    if (result.error) break;
  }
  return { total, runs };
}
