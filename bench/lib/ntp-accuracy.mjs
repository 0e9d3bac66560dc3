// Accuracy: what clients measure against each server, idle and while a load generator sends the
// same server 5,000 or 50,000 requests/s. Both servers serve this machine's clock (chronyd its own,
// ours through its upstream, that chronyd), so a client's offset is the error of the server plus the
// client's own, and the client's share is the same for both servers: the difference is the error
// our server adds.
import { join } from 'node:path';
import { backgroundCores, loadSnapshot } from './machine-load.mjs';
import { runChronyClient } from './ntp-servers.mjs';
import { summarise } from './ntp-stats.mjs';
import { cpuSecondsOf, sleep } from './processes.mjs';

/**
 * For each condition ({ name, rate }), after the load gate: for each server ({ name, port, pid }),
 * start the background load (if any), let it settle 1 s, run a chronyd client for `chronySeconds`,
 * then the SNTP probe for `probeCount` samples, and stop the load.
 */
export async function runAccuracy({ servers, tool, gate, conditions, chronySeconds, probeCount, probeIntervalUs, dir, log }) {
  const results = [];
  for (const condition of conditions) {
    const gated = await gate.wait({ what: `accuracy, ${condition.name}` });
    const rows = [];
    for (const server of servers) {
      log(`  accuracy: ${server.name}, ${condition.name}`);
      const cpuBefore = cpuSecondsOf(server.pid);
      const snapshot = loadSnapshot();
      const startedAt = performance.now();
      const load = condition.rate > 0 ? tool.startLoad({ port: server.port, rate: condition.rate }) : null;
      if (load) await sleep(1_000);
      const chrony = await runChronyClient({ dir: join(dir, `client-${server.name}-${condition.rate}`), port: server.port, seconds: chronySeconds });
      const probe = await tool.probe({ port: server.port, count: probeCount, intervalUs: probeIntervalUs });
      const loadResult = load ? await load.stop() : null;
      const serverCpu = cpuSecondsOf(server.pid) - cpuBefore;
      const serverCores = serverCpu / ((performance.now() - startedAt) / 1000);
      // Others: everything but the server, our clients, the load generator, this script and the
      // kernel's softirq threads (which carry part of our loopback traffic).
      const othersCores = backgroundCores(snapshot, loadSnapshot(), serverCpu + chrony.cpuSeconds + probe.cpu + (loadResult?.cpu ?? 0));
      rows.push({
        server: server.name,
        chrony: {
          ...summarise(
            chrony.samples.map((s) => s.offsetS),
            chrony.samples.map((s) => s.delayS),
          ),
          unsynchronised: chrony.samples.filter((s) => s.leap === '?').length,
        },
        probe: {
          ...summarise(
            probe.offsetNs.map((ns) => ns / 1e9),
            probe.delayNs.map((ns) => ns / 1e9),
          ),
          sent: probe.sent,
          lost: probe.lost,
          unsynchronised: probe.unsynchronised,
        },
        load: loadResult && {
          rate: condition.rate,
          achievedRate: loadResult.sent / loadResult.seconds,
          sent: loadResult.sent,
          answered: loadResult.time,
          lossPct: loadResult.sent ? ((loadResult.sent - loadResult.time) / loadResult.sent) * 100 : 0,
          ownDrops: loadResult.ownDrops,
        },
        serverCores,
        othersCores,
      });
    }
    results.push({ condition: condition.name, rate: condition.rate, gate: gated, loadAfter: gate.current(), rows });
  }
  return results;
}
