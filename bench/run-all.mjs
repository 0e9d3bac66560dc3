#!/usr/bin/env node
// Runs every benchmark of the syslog service against rsyslog and writes RESULTS.md.
//
//   node bench/run-all.mjs                  # build, run all three, write bench/RESULTS.md (~6-9 min)
//   node bench/run-all.mjs --only udp,tcp   # some of them; prints the markdown, writes nothing
//   node bench/run-all.mjs --only udp --write  # ... and writes RESULTS.md anyway
//   --no-build      skip `npx tsc -b` at the repository root
//   --quick         3 s UDP steps, 200k TCP / CloudWatch messages: a smoke test of the harness
//   --rates 50000,100000   the UDP ladder; --seconds 10   the UDP step length
//
// Everything runs on 127.0.0.1 inside one temp dir, removed at the end; every child process is
// killed when this script exits, however it exits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCloudWatchBench } from './cloudwatch.bench.mjs';
import { writeCorpus } from './lib/corpus.mjs';
import { containerNodeOptions } from './lib/container-node-options.mjs';
import { repoRoot } from './lib/netsidecar.mjs';
import { renderResults } from './lib/report.mjs';
import { rsyslogVersion } from './lib/rsyslog.mjs';
import { buildSender } from './lib/sender.mjs';
import { runTcpBench } from './tcp.bench.mjs';
import { runUdpBench } from './udp.bench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    rates: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const only = new Set((args.only ?? 'udp,tcp,cloudwatch').split(',').map((s) => s.trim()));
const quick = args.quick;
const settings = {
  udpSeconds: Number(args.seconds ?? (quick ? 3 : 10)), // 10 s: long enough for GC cycles and several file flushes
  udpRates: (args.rates ?? (quick ? '50000,150000' : '25000,50000,100000,150000,200000,250000,300000')).split(',').map(Number),
  tcpTotal: quick ? 200_000 : 1_000_000,
  tcpConnections: 4,
  idleConnections: 1_000,
  cloudWatchTotal: quick ? 200_000 : 1_000_000,
  cloudWatchDevices: [1, 100],
  // What netsidecar gets for its 32 MiB request: the kernel caps SO_RCVBUF at net.core.rmem_max.
  receiveBufferBytes: Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()),
};

const started = performance.now();
const log = (line) => console.log(line);

if (args.build && !args['no-build']) {
  log('building: npx tsc -b');
  execFileSync('npx', ['tsc', '-b'], { cwd: repoRoot, stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'netsidecar-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const corpusPath = join(dir, 'corpus.txt');
const corpus = writeCorpus(corpusPath, { lines: 20_000, devices: 100 });
const sender = await buildSender(dir);

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
  memoryMb: totalmem() / 1024 / 1024,
  freeMemoryMb: freemem() / 1024 / 1024,
  kernel: release(),
  node: process.version,
  rsyslog: await rsyslogVersion(),
  rmemMax: settings.receiveBufferBytes,
  nodeOptions: containerNodeOptions('syslog'),
  commit: `${git('rev-parse', '--short', 'HEAD')}${['', 'unknown'].includes(git('status', '--porcelain', '--', 'services', 'packages')) ? '' : ' + uncommitted changes in services/ or packages/'}`,
  corpus: { lines: corpus.lines.length, devices: corpus.hosts.length, minBytes: corpus.minBytes, maxBytes: corpus.maxBytes, meanBytes: corpus.meanBytes },
};
log(`machine: ${machine.cpu} × ${machine.cores}, node ${machine.node}, rsyslog ${machine.rsyslog}, rmem_max ${machine.rmemMax}`);

const results = { machine };
const notes = [];
if (only.has('udp')) {
  log(`UDP ladder (${settings.udpSeconds} s per step): ${settings.udpRates.join(', ')}`);
  results.udp = await runUdpBench({
    dir,
    sender,
    corpus: corpusPath,
    rates: settings.udpRates,
    seconds: settings.udpSeconds,
    receiveBufferBytes: settings.receiveBufferBytes,
    log,
  });
  const senderShort = [...results.udp.netsidecar.steps, ...results.udp.rsyslog.steps, ...results.udp['rsyslog-json'].steps].filter(
    (s) => s.sent.seconds > settings.udpSeconds * 1.02,
  );
  if (senderShort.length)
    notes.push(`The sender fell behind its schedule at ${senderShort.map((s) => `${s.rate}/s (${s.receiver})`).join(', ')}: see "achieved send rate".`);
}
if (only.has('tcp')) {
  log(`TCP: ${settings.tcpTotal} messages over ${settings.tcpConnections} connections; ${settings.idleConnections} idle connections`);
  results.tcp = await runTcpBench({
    dir,
    sender,
    corpus: corpusPath,
    corpusLine: corpus.lines[0],
    total: settings.tcpTotal,
    connections: settings.tcpConnections,
    idle: settings.idleConnections,
    receiveBufferBytes: settings.receiveBufferBytes,
    log,
  });
}
if (only.has('cloudwatch')) {
  log(`CloudWatch: ${settings.cloudWatchTotal} events per device count (${settings.cloudWatchDevices.join(', ')})`);
  results.cloudwatch = await runCloudWatchBench({ dir, sender, total: settings.cloudWatchTotal, deviceCounts: settings.cloudWatchDevices, log });
}
machine.wallSeconds = (performance.now() - started) / 1000;
if (quick) notes.push('`--quick` run: shorter steps and fewer messages than the figures the README describes.');

const markdown = renderResults({ ...results, notes });
const complete = only.has('udp') && only.has('tcp') && only.has('cloudwatch');
if (complete || args.write) {
  writeFileSync(join(here, 'RESULTS.md'), markdown);
  log(`wrote ${join(here, 'RESULTS.md')} in ${machine.wallSeconds.toFixed(0)} s`);
} else {
  log('\n' + markdown);
}
// Raw figures for whoever wants more than the tables (ignored by git: bench/.gitignore).
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2));
