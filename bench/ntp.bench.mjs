#!/usr/bin/env node
// The NTP service (services/ntp-proxy) raced against chronyd on the same machine, in the same run:
// accuracy (offset and delay seen by clients, idle and under 5k and 50k requests/s) and throughput
// (requests/s answered with under 0.1 % loss). Writes bench/RESULTS-ntp.md.
//
//   node bench/ntp.bench.mjs              # build the service, run both, write bench/RESULTS-ntp.md (~4-8 min)
//   --no-build      skip `npx tsc -b services/ntp-proxy`
//   --only accuracy|throughput   one of the two figures; prints the markdown, writes nothing
//   --quick         shorter steps and fewer samples: a smoke test of the harness; prints, writes nothing
//   --write         write RESULTS-ntp.md even with --quick or --only
//   --json FILE     also write the raw figures as JSON to FILE
//   --rates 25000,50000,...   the throughput ladder; --seconds 4   the length of one step
//
// Loopback only, everything in one temp dir removed at the end; every child (the service, chronyd
// server and clients, the load generator) is killed by pid when this script exits, however it exits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAccuracy } from './lib/ntp-accuracy.mjs';
import { cpuPlan, pinProcess } from './lib/ntp-cpus.mjs';
import { createLoadGate, loadAverage } from './lib/ntp-load-average.mjs';
import { renderNtpResults } from './lib/ntp-report.mjs';
import { chronydVersion, receiveBufferOf, repoRoot, startChronyServer, startNtpProxy } from './lib/ntp-servers.mjs';
import { runThroughput } from './lib/ntp-throughput.mjs';
import { buildNtpTool } from './lib/ntp-tool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
    json: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const quick = args.quick;
const only = new Set((args.only ?? 'accuracy,throughput').split(',').map((s) => s.trim()));
const settings = {
  conditions: [
    { name: 'idle', rate: 0 },
    { name: '5k/s', rate: 5_000 },
    { name: '50k/s', rate: 50_000 },
  ],
  chronySeconds: quick ? 2 : 4, // 64 polls/s: ~250 chronyd measurements per server and condition
  probeCount: quick ? 300 : 1_000,
  probeIntervalUs: 2_000,
  throughputRates: (args.rates ?? '25000,50000,75000,100000,150000,200000,300000').split(',').map(Number),
  throughputSeconds: Number(args.seconds ?? (quick ? 2 : 4)),
  throughputBudgetS: quick ? 20 : 60, // per ladder: no more steps after this
  loadBelow: 1.0,
  loadWaitPerS: quick ? 10 : 60,
  loadWaitTotalS: quick ? 20 : 180,
};

const started = performance.now();
const log = (line) => console.log(line);

if (args.build && !args['no-build']) {
  log('building: npx tsc -b services/ntp-proxy');
  execFileSync('npx', ['tsc', '-b', 'services/ntp-proxy'], { cwd: repoRoot, stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'netsidecar-ntp-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const tool = await buildNtpTool(dir);
const gate = createLoadGate({ below: settings.loadBelow, perWaitS: settings.loadWaitPerS, totalS: settings.loadWaitTotalS, log });

const git = (...a) => {
  try {
    return execFileSync('git', a, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGb: totalmem() / 1024 ** 3,
  kernel: release(),
  node: process.version,
  chronyd: chronydVersion(),
  commit: git('rev-parse', '--short', 'HEAD'),
  dirty: git('status', '--porcelain', '--', 'services/ntp-proxy', 'packages') !== '',
  rmemDefault: Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8')),
  rmemMax: Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8')),
  cpuPlan,
  loadAtStart: loadAverage(),
};

log('starting chronyd (local stratum 10) and the NTP service (upstream: that chronyd)');
const chrony = await startChronyServer({ dir: join(dir, 'chronyd') });
const ours = await startNtpProxy({ dir: join(dir, 'ntp-proxy'), upstreamPort: chrony.port });
const servers = [
  { name: 'netsidecar', port: ours.port, pid: ours.pid },
  { name: 'chronyd', port: chrony.port, pid: chrony.pid },
];
const receiveBufferBytes = { netsidecar: receiveBufferOf(ours.port), chronyd: receiveBufferOf(chrony.port) };

log('accuracy');
const accuracy = !only.has('accuracy')
  ? []
  : await runAccuracy({
      servers,
      tool,
      gate,
      conditions: settings.conditions,
      chronySeconds: settings.chronySeconds,
      probeCount: settings.probeCount,
      probeIntervalUs: settings.probeIntervalUs,
      dir,
      log,
    });
const oursMetrics = await ours.metrics();
const upstream = {
  offsetS: oursMetrics.value('netsidecar_ntp_offset_seconds'),
  rootDispersionS: oursMetrics.value('netsidecar_ntp_root_dispersion_seconds'),
  synchronised: oursMetrics.value('netsidecar_ntp_synchronised') === 1,
};

log('throughput');
const ladder = (server) =>
  runThroughput({ server, tool, gate, rates: settings.throughputRates, seconds: settings.throughputSeconds, budgetS: settings.throughputBudgetS, log });
const throughput = [];
if (only.has('throughput')) {
  for (const server of servers) {
    if (cpuPlan) pinProcess(server.pid, cpuPlan.server);
    throughput.push(await ladder(server));
  }
}
const oursAfter = await ours.metrics();
const counted = {
  dropped: Object.fromEntries([...oursAfter.samples].filter(([k, v]) => k.startsWith('netsidecar_ntp_dropped_total') && v > 0)),
  kernelDrops: oursAfter.value('netsidecar_ntp_udp_kernel_drops'),
};
await ours.stop();

if (only.has('throughput')) {
  // Ours again with chronyd's receive buffer (chronyd has no setting for it and gets
  // net.core.rmem_default): what each does per core without our bigger buffer's help. The kernel
  // doubles what is asked, so half of chronyd's buffer is asked for.
  const sameBuffer = await startNtpProxy({
    dir: join(dir, 'ntp-proxy-same-buffer'),
    upstreamPort: chrony.port,
    env: { NETSIDECAR_NTP_UDP_RECEIVE_BUFFER: String(Math.max(64 * 1024, Math.floor((receiveBufferBytes.chronyd ?? machine.rmemDefault) / 2))) },
  });
  receiveBufferBytes.netsidecarSameBuffer = receiveBufferOf(sameBuffer.port);
  if (cpuPlan) pinProcess(sameBuffer.pid, cpuPlan.server);
  throughput.push(await ladder({ name: "netsidecar, chronyd's buffer", port: sameBuffer.port, pid: sameBuffer.pid }));
  await sameBuffer.stop();
}
await chrony.stop();

const results = {
  machine,
  settings,
  receiveBufferBytes,
  upstream,
  counted,
  accuracy,
  throughput,
  loadWaitS: gate.spentS(),
  durationS: (performance.now() - started) / 1000,
};
const markdown = renderNtpResults(results);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
if ((quick || args.only) && !args.write) {
  log(markdown);
  log('(--quick or --only: RESULTS-ntp.md not written; add --write to write it)');
} else {
  writeFileSync(join(here, 'RESULTS-ntp.md'), markdown);
  log(`wrote bench/RESULTS-ntp.md in ${results.durationS.toFixed(0)} s`);
}
