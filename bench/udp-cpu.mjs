#!/usr/bin/env node
// CPU cost per datagram of the syslog service at one fixed UDP rate: a figure that stays comparable
// on a busy machine (unlike the zero-loss rate), used to compare changes of the receive path.
//   node bench/udp-cpu.mjs [rate=40000] [seconds=10]      (NODE_ARGS='...' adds node flags to the service)
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './lib/corpus.mjs';
import { buildSender } from './lib/sender.mjs';
import { startNetsidecar } from './lib/netsidecar.mjs';
import { cpuSecondsOf, threadsSchedOf, threadBusy, memoryOf } from './lib/processes.mjs';
import { countLines } from './lib/files.mjs';
import { kernelUdpDrops } from './lib/metrics.mjs';

const rate = Number(process.argv[2] ?? 40_000);
const seconds = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'udp-cpu-'));
try {
  const sender = await buildSender(dir);
  const corpus = join(dir, 'corpus.txt');
  writeCorpus(corpus, { lines: 20_000, devices: 100 });
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const nodeArgs = process.env.CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] : [];
  // Extra node flags for the service, to compare settings: NODE_ARGS='--max-semi-space-size=4'
  if (process.env.NODE_ARGS) nodeArgs.push(...process.env.NODE_ARGS.split(' ').filter(Boolean));
  const service = await startNetsidecar({ dataDir, nodeArgs });
  const cpu0 = cpuSecondsOf(service.pid);
  const sched0 = threadsSchedOf(service.pid);
  const sent = await sender.udp({ port: service.ports.udp, rate, seconds, corpus });
  const busy = threadBusy(service.pid, sched0, threadsSchedOf(service.pid), sent.seconds);
  await new Promise((r) => setTimeout(r, 2500));
  const cpu = cpuSecondsOf(service.pid) - cpu0;
  const memory = memoryOf(service.pid);
  const kernelDrops = kernelUdpDrops(service.ports.udp);
  const queueFullWaits = (await service.metrics()).value('netsidecar_syslog_udp_receive_queue_full_waits');
  await service.stop();
  const written = await countLines(join(dataDir, 'logs'));
  console.log(
    JSON.stringify({
      rate,
      sent: sent.sent,
      written: written.lines,
      loss: sent.sent - written.lines,
      kernelDrops,
      queueFullWaits,
      cpuMicrosPerMessage: +((cpu / sent.sent) * 1e6).toFixed(2),
      senderCpu: sent.cpu,
      peakRssMb: memory && Math.round(memory.hwmKb / 1024),
      threads: busy,
      load: (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim(),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
