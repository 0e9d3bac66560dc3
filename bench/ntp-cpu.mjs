#!/usr/bin/env node
// CPU cost per NTP request of the service at one fixed rate (and of chronyd for comparison): a figure
// that stays comparable on a busy machine, unlike the highest loss-free rate.
//   node bench/ntp-cpu.mjs [rate=20000] [seconds=5]     (CPU_PROF_DIR=dir adds --cpu-prof)
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNtpTool } from './lib/ntp-tool.mjs';
import { startChronyServer, startNtpProxy } from './lib/ntp-servers.mjs';
import { cpuSecondsOf } from './lib/processes.mjs';

const rate = Number(process.argv[2] ?? 20_000);
const seconds = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'ntp-cpu-'));
try {
  const tool = await buildNtpTool(dir);
  const upstream = await startChronyServer({ dir: join(dir, 'chronyd') });
  const nodeArgs = process.env.CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] : [];
  const ours = await startNtpProxy({ dir: join(dir, 'ours'), upstreamPort: upstream.port, nodeArgs });
  for (const [name, server] of [
    ['netsidecar', ours],
    ['chronyd', upstream],
  ]) {
    const cpu0 = cpuSecondsOf(server.pid);
    const result = await tool.load({ port: server.port, rate, seconds });
    const cpu = cpuSecondsOf(server.pid) - cpu0;
    console.log(
      JSON.stringify({
        server: name,
        rate,
        sent: result.sent,
        answered: result.time,
        cpuMicrosPerRequest: +((cpu / result.sent) * 1e6).toFixed(2),
        load: readFileSync('/proc/loadavg', 'utf8').trim(),
      }),
    );
  }
  await ours.stop();
  await upstream.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
