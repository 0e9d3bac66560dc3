// RESULTS-ntp.md from the raw figures of one run of bench/ntp.bench.mjs.
import { maxLossPct } from './ntp-throughput.mjs';

const targetAddedS = 0.001; // issue 3: error added by our server under 1 ms at p99 under 5k req/s
const targetRate = 50_000; // issue 3: 50k requests/s on one core

function time(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  const us = s * 1e6;
  if (Math.abs(us) >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  if (Math.abs(us) >= 100) return `${us.toFixed(0)} µs`;
  return `${us.toFixed(1)} µs`;
}

const signedTime = (s) => (s === null || s === undefined || !Number.isFinite(s) ? '–' : `${s >= 0 ? '+' : '−'}${time(Math.abs(s))}`);
const rate = (r) => (r === null || r === undefined ? '–' : `${Math.round(r).toLocaleString('en-US')}/s`);
const count = (n) => Math.round(n).toLocaleString('en-US');
const load = (gate) => `${gate.load.toFixed(2)}${gate.quiet ? '' : ' ⚠'}`;
const fewSamples = 50; // below this a p99 is one of the largest few values: shown, but marked

/** What limited a ladder: the server's CPU at its lowest lossy step. */
function limitOf(t) {
  const lossy = t.steps.filter((s) => !s.clean).sort((a, b) => a.rate - b.rate)[0];
  if (!lossy) return null;
  const cores = lossy.serverCores;
  return cores >= 0.8
    ? `CPU-bound: ${(cores * 100).toFixed(0)} % of its core at ${rate(lossy.rate)}`
    : `not CPU-bound: ${(cores * 100).toFixed(0)} % of its core at ${rate(lossy.rate)}, so its receive buffer overflowed while it was not running (others used ${lossy.othersCores.toFixed(2)} cores)`;
}

function accuracyTable(accuracy, client) {
  const lines = [
    '| condition | load avg | server | samples | median offset | \\|offset\\| p50 | \\|offset\\| p99 | delay p50 | delay p99 | server CPU | others (cores) | background load answered |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of accuracy) {
    for (const row of c.rows) {
      const s = row[client];
      const missing = client === 'probe' ? ` (${s.lost} lost${s.unsynchronised ? `, ${s.unsynchronised} LI 3` : ''})` : '';
      const bg = row.load ? `${(100 - row.load.lossPct).toFixed(2)} % of ${rate(row.load.achievedRate)}` : '–';
      const few = s.n < fewSamples ? ' (too few for a p99)' : '';
      lines.push(
        `| ${c.condition} | ${load(c.gate)} | ${row.server} | ${s.n}${s.lost ? missing : ''}${few} | ${signedTime(s.offsetMedianS)} | ${time(s.absOffsetP50S)} | ${time(s.absOffsetP99S)} | ${time(s.delayP50S)} | ${time(s.delayP99S)} | ${(row.serverCores * 100).toFixed(0)} % | ${row.othersCores.toFixed(2)} | ${bg} |`,
      );
    }
  }
  return lines.join('\n');
}

const minus = (a, b) => (a === null || b === null ? null : a - b);

/** ours − chronyd, per condition and client. */
export function addedErrors(accuracy) {
  const out = [];
  for (const c of accuracy) {
    const ours = c.rows.find((r) => r.server === 'netsidecar');
    const theirs = c.rows.find((r) => r.server === 'chronyd');
    if (!ours || !theirs) continue;
    for (const client of ['chrony', 'probe']) {
      out.push({
        condition: c.condition,
        rate: c.rate,
        client,
        p99AddedS: minus(ours[client].absOffsetP99S, theirs[client].absOffsetP99S),
        oursP99S: ours[client].absOffsetP99S,
        theirsP99S: theirs[client].absOffsetP99S,
        medianDifferenceS: minus(ours[client].offsetMedianS, theirs[client].offsetMedianS),
        delayAddedS: minus(ours[client].delayP50S, theirs[client].delayP50S),
        fewSamples: ours[client].n < fewSamples || theirs[client].n < fewSamples,
      });
    }
  }
  return out;
}

function throughputTable(t) {
  const lines = [
    '| rate asked | sent | answered | loss | send rate achieved | server socket drops | server CPU | generator CPU | others (cores) | load avg | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of t.steps) {
    lines.push(
      `| ${rate(s.rate)} | ${count(s.sent)} | ${count(s.answered)} | ${s.lossPct.toFixed(3)} %${s.clean ? '' : ' ✗'} | ${rate(s.achievedRate)} | ${count(s.kernelDrops)} | ${(s.serverCores * 100).toFixed(0)} % | ${(s.generatorCores * 100).toFixed(0)} % | ${s.othersCores.toFixed(2)} | ${s.loadAverage.toFixed(2)} | ${[s.note, s.generatorDrops ? `generator dropped ${s.generatorDrops}` : '', s.otherReplies ? `${s.otherReplies} LI 3/KoD` : ''].filter(Boolean).join('; ')} |`,
    );
  }
  return lines.join('\n');
}

export function renderNtpResults(r) {
  const m = r.machine;
  const added = addedErrors(r.accuracy);
  const at5k = added.find((a) => a.rate === 5_000 && a.client === 'chrony');
  const at5kProbe = added.find((a) => a.rate === 5_000 && a.client === 'probe');
  const tOurs = r.throughput.find((t) => t.server === 'netsidecar');
  const tChrony = r.throughput.find((t) => t.server === 'chronyd');
  const tSame = r.throughput.find((t) => t.server.startsWith('netsidecar, '));
  const kib = (b) => (b ? `${(b / 1024).toFixed(0)} KiB` : 'unknown');
  const ok = (cond) => (cond ? '✅ met' : '❌ not met');
  const verdictAdded = (a) =>
    a && Number.isFinite(a.p99AddedS) ? `${ok(a.p99AddedS < targetAddedS)} (added ${signedTime(a.p99AddedS)}${a.fewSamples ? ', too few samples' : ''})` : '–';
  const pin = m.cpuPlan
    ? `throughput: the server pinned to core ${m.cpuPlan.server} (\`taskset -a\`), the load generator to core ${m.cpuPlan.clients}; accuracy: nothing pinned`
    : 'nothing pinned (no taskset, or one core)';
  const busy = [...r.accuracy.map((a) => a.gate), ...r.throughput.map((t) => t.gate)].filter((g) => !g.quiet).length;

  return `# NTP service benchmarks

The NTP service (\`services/ntp-proxy\`) against chronyd ${m.chronyd}, same machine, same run. Generated
by \`node bench/ntp.bench.mjs\` (method: [README.md](README.md#ntp-service-bench-ntpbenchmjs)); do not edit by hand.

- ${m.date}, commit \`${m.commit}\`${m.dirty ? ' (with uncommitted changes in services/ntp-proxy or packages)' : ''}; the run took ${r.durationS.toFixed(0)} s
- ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(0)} GB, Linux ${m.kernel}, Node.js ${m.node}; ${pin}
- 1-minute load average at start ${m.loadAtStart.one.toFixed(2)} (5-minute ${m.loadAtStart.five.toFixed(2)}); ${r.loadWaitS.toFixed(0)} s spent waiting for it to drop below ${r.settings.loadBelow}; ${busy === 0 ? 'every measurement started below it' : `**${busy} measurement(s) started above it (⚠): other work was running, figures less trustworthy**`}
- UDP receive buffer (\`ss\`, \`rb\`): netsidecar ${kib(r.receiveBufferBytes.netsidecar)} (it asks 8 MiB; the kernel caps the request at \`net.core.rmem_max\` = ${kib(m.rmemMax)} and doubles it), chronyd ${kib(r.receiveBufferBytes.chronyd)} (it sets none: \`net.core.rmem_default\`); the third throughput ladder runs ours with ${kib(r.receiveBufferBytes.netsidecarSameBuffer)}
- our service followed the chronyd under test as its upstream (offset applied at the end ${signedTime(r.upstream.offsetS)}, root dispersion ${time(r.upstream.rootDispersionS)}, ${r.upstream.synchronised ? 'synchronised' : '**not synchronised**'}); rate limiting off in both (chronyd has none without \`ratelimit\`)

## Summary

| figure | netsidecar | chronyd | target | |
|---|---|---|---|---|
| \\|offset\\| p99 seen by a chronyd client under 5k req/s | ${time(at5k?.oursP99S)} | ${time(at5k?.theirsP99S)} | added < 1 ms | ${verdictAdded(at5k)} |
| \\|offset\\| p99 seen by the SNTP probe under 5k req/s | ${time(at5kProbe?.oursP99S)} | ${time(at5kProbe?.theirsP99S)} | added < 1 ms | ${verdictAdded(at5kProbe)} |
| highest rate answered with < ${maxLossPct} % loss, one core | ${rate(tOurs?.best)} | ${rate(tChrony?.best)} | ${rate(targetRate)} | ${tOurs ? ok((tOurs.best ?? 0) >= targetRate) : '–'} |
| the same, ours with chronyd's receive buffer | ${rate(tSame?.best)} | ${rate(tChrony?.best)} | | |

## 1. Accuracy

Both servers serve this machine's clock: chronyd with \`local stratum 10\` (never steering the clock,
\`-x\`), ours as a stratum-11 server following that chronyd. A client's offset is therefore the
server's error plus the client's own, and the client's part is the same for both: **added** = ours −
chronyd. "Background load" is the load generator sending that same server the given rate meanwhile.

### Seen by a chronyd client

chronyd ${m.chronyd} polling 64 times a second (\`minpoll -6 maxpoll -6\`) for ${r.settings.chronySeconds} s, every raw measurement
from \`log rawmeasurements\` (kernel timestamps on its side).

${accuracyTable(r.accuracy, 'chrony')}

### Seen by the SNTP probe

${r.settings.probeCount} requests ${r.settings.probeIntervalUs / 1000} ms apart, one at a time; T1 read just before \`send\`, T4 the kernel receive
timestamp (\`SO_TIMESTAMPNS\`).

${accuracyTable(r.accuracy, 'probe')}

### Error added by our server (ours − chronyd)

| condition | client | \\|offset\\| p99 added | median offset difference | delay p50 added |
|---|---|---|---|---|
${added.map((a) => `| ${a.condition} | ${a.client === 'chrony' ? 'chronyd' : 'SNTP probe'} | ${signedTime(a.p99AddedS)}${a.fewSamples ? ' (too few samples)' : ''} | ${signedTime(a.medianDifferenceS)} | ${signedTime(a.delayAddedS)} |`).join('\n')}

## 2. Throughput

Requests from one address (127.0.0.1), 48-byte mode-3 requests, ${r.settings.throughputSeconds} s per step; loss = sent − time replies
received. The ladder stops at the first step with ${maxLossPct} % loss or more (rerun once if other processes used
more than 0.25 cores meanwhile), then bisects twice. *server socket drops*: the \`drops\` column of
\`/proc/net/udp\` for the server's socket (its receive buffer was full); *server CPU*: of one core.

${r.throughput
  .map(
    (t) => `### ${t.server}: ${rate(t.best)} with < ${maxLossPct} % loss${t.firstLossy ? ` (lossy at ${rate(t.firstLossy)})` : ' (no lossy step found)'}

1-minute load average at start ${load(t.gate)}.${limitOf(t) ? ` Limit: ${limitOf(t)}.` : ''}

${throughputTable(t)}`,
  )
  .join('\n\n')}
${
  Object.keys(r.counted.dropped).length
    ? `\nOur service counted drops: ${Object.entries(r.counted.dropped)
        .map(([k, v]) => `\`${k}\` ${v}`)
        .join(', ')}.\n`
    : ''
}`;
}
