// Throughput: the highest request rate a server answers with under 0.1 % loss. A ladder of rates,
// each for a few seconds from the load generator, stops at the first lossy step and then bisects
// between the last clean rate and that one. The server keeps running through its ladder (an NTP
// server holds no backlog: a step ends when the generator has its last reply or gives up 300 ms
// after the last one).
import { backgroundCores, loadSnapshot } from './machine-load.mjs';
import { kernelUdpDrops } from './metrics.mjs';
import { cpuPlan } from './ntp-cpus.mjs';
import { loadAverage } from './ntp-load-average.mjs';
import { cpuSecondsOf, sleep } from './processes.mjs';

export const maxLossPct = 0.1;

async function step({ server, tool, rate, seconds }) {
  const before = loadSnapshot();
  const cpuBefore = cpuSecondsOf(server.pid);
  const dropsBefore = kernelUdpDrops(server.port);
  const result = await tool.load({ port: server.port, rate, seconds, cpu: cpuPlan?.clients ?? null });
  const after = loadSnapshot();
  const serverCpu = cpuSecondsOf(server.pid) - cpuBefore;
  const lost = result.sent - result.time;
  return {
    rate,
    sent: result.sent,
    answered: result.time,
    otherReplies: result.unsynchronised + result.kod,
    lossPct: result.sent ? (lost / result.sent) * 100 : 100,
    achievedRate: result.sent / result.seconds,
    kernelDrops: kernelUdpDrops(server.port) - dropsBefore,
    generatorDrops: result.ownDrops,
    serverCores: serverCpu / result.seconds,
    generatorCores: result.cpu / result.seconds,
    othersCores: backgroundCores(before, after, serverCpu + result.cpu),
    loadAverage: loadAverage().one,
  };
}

/** A step that is clean: under 0.1 % loss, at the rate asked, and no reply lost by the generator itself. */
function isClean(s) {
  return s.lossPct < maxLossPct && s.achievedRate >= 0.97 * s.rate && s.generatorDrops === 0;
}

export async function runThroughput({ server, tool, gate, rates, seconds, budgetS, log }) {
  const gated = await gate.wait({ what: `throughput, ${server.name}` });
  const started = performance.now();
  const overBudget = () => (performance.now() - started) / 1000 > budgetS;
  const steps = [];
  const measure = async (rate, note) => {
    const s = await step({ server, tool, rate, seconds });
    s.note = note;
    s.clean = isClean(s);
    steps.push(s);
    log(
      `  throughput: ${server.name} ${rate}/s → loss ${s.lossPct.toFixed(3)} %, server ${s.serverCores.toFixed(2)} cores, others ${s.othersCores.toFixed(2)}, load ${s.loadAverage.toFixed(2)}${s.clean ? '' : ' (lossy)'}`,
    );
    await sleep(500);
    return s;
  };
  let best = null;
  let firstLossy = null;
  for (const rate of rates) {
    let s = await measure(rate, '');
    // A lossy step while others used the machine is run once more before it ends the ladder.
    if (!s.clean && s.othersCores > 0.25 && !overBudget()) s = await measure(rate, 'rerun: others were busy');
    if (!s.clean) {
      firstLossy = rate;
      break;
    }
    best = rate;
    if (overBudget()) break;
  }
  // Two bisections between the last clean rate and the first lossy one, rounded to 5,000/s.
  let low = best ?? 0;
  let high = firstLossy;
  for (let i = 0; i < 2 && high !== null && !overBudget(); i++) {
    const mid = Math.round((low + high) / 2 / 5_000) * 5_000;
    if (mid <= low || mid >= high) break;
    const s = await measure(mid, 'bisection');
    if (s.clean) low = best = Math.max(best ?? 0, mid);
    else high = mid;
  }
  return { server: server.name, gate: gated, steps, best, firstLossy: high, seconds };
}
