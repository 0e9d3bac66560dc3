// Figure 2: TCP (RFC 6587 octet-counted) throughput of both receivers, and the memory that 1,000
// idle TCP connections hold in netsidecar (and in rsyslog, for scale).
//
// Throughput: the C sender pushes `total` frames over `connections` connections as fast as the
// receiver reads them (TCP backpressure, nothing is lost), half-closes, and waits for the
// receiver's EOF. Two clocks:
// - "read": until every connection got the receiver's EOF. netsidecar hands each chunk's frames to
//   its parse workers and stops reading while they are behind, so for it this is "read, and at most
//   the pool's backlog from accepted by the sink"; rsyslog only queues what it read.
// - "on disk": until the output stopped growing with every line written (polled every 100 ms).
//   netsidecar's file sink writes a partial batch on its 1 s flush timer, so this adds up to ~1 s.
// Receivers: netsidecar, rsyslog writing raw lines (`rsyslog`), rsyslog writing parsed fields + raw
// as JSON (`rsyslog-json`, the same work). Run it through run-all.mjs: `node bench/run-all.mjs --only tcp [--quick]`.
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { bytesUnder, countLines } from './lib/files.mjs';
import { backgroundCores, loadSnapshot, waitForQuietMachine } from './lib/machine-load.mjs';
import { startNetsidecar } from './lib/netsidecar.mjs';
import { cpuSecondsOf, memoryOf, sleep } from './lib/processes.mjs';
import { rsyslogFormats, startRsyslog } from './lib/rsyslog.mjs';

/** Runs the sender and times it, and the output growth, from one start instant. */
async function timedSend({ sender, port, total, connections, corpus, outDir, pid }) {
  await waitForQuietMachine();
  const load0 = loadSnapshot();
  const cpu0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  let lastSize = 0;
  let lastGrowth = t0;
  let sending = true;
  const watch = (async () => {
    // Poll until the sender is done and the output has been still for 2 s.
    while (sending || performance.now() - lastGrowth < 2_000) {
      await sleep(100);
      const size = bytesUnder(outDir);
      if (size !== lastSize) {
        lastSize = size;
        lastGrowth = performance.now();
      }
      if (performance.now() - t0 > 300_000) break;
    }
  })();
  const sent = await sender.tcp({ port, total, connections, corpus });
  const readSeconds = (performance.now() - t0) / 1000;
  sending = false;
  await watch;
  const cpu = cpuSecondsOf(pid) - cpu0;
  return { sent, readSeconds, diskSeconds: (lastGrowth - t0) / 1000, cpu, background: backgroundCores(load0, loadSnapshot(), cpu + sent.cpu) };
}

function summarise(receiver, timing, written, memory) {
  const { sent } = timing;
  return {
    receiver,
    messages: sent.sent,
    inputBytes: sent.bytes,
    written: written.lines,
    bytesPerEvent: written.lines ? written.bytes / written.lines : null,
    loss: sent.sent - written.lines,
    readSeconds: timing.readSeconds,
    diskSeconds: timing.diskSeconds,
    readRate: sent.sent / timing.readSeconds,
    diskRate: sent.sent / timing.diskSeconds,
    readMBps: sent.bytes / 1e6 / timing.readSeconds,
    diskMBps: sent.bytes / 1e6 / timing.diskSeconds,
    peakRssMb: memory ? memory.hwmKb / 1024 : null,
    cpuSeconds: timing.cpu,
    backgroundCores: timing.background,
  };
}

async function netsidecarThroughput({ dir, sender, corpus, total, connections }) {
  const dataDir = join(dir, 'netsidecar-tcp');
  mkdirSync(dataDir, { recursive: true });
  const service = await startNetsidecar({ dataDir });
  const timing = await timedSend({ sender, port: service.ports.tcp, total, connections, corpus, outDir: join(dataDir, 'logs'), pid: service.pid });
  const memory = memoryOf(service.pid);
  const m = await service.metrics();
  await service.stop();
  const written = await countLines(join(dataDir, 'logs'));
  rmSync(dataDir, { recursive: true, force: true });
  return { ...summarise('netsidecar', timing, written, memory), received: m.value('netsidecar_syslog_received_total', { transport: 'tcp' }) };
}

async function rsyslogThroughput({ dir, sender, corpus, total, connections, receiveBufferBytes, format }) {
  const rsDir = join(dir, `${rsyslogFormats[format]}-tcp`);
  mkdirSync(rsDir, { recursive: true });
  const rs = await startRsyslog({ dir: rsDir, receiveBufferBytes, format });
  const timing = await timedSend({ sender, port: rs.ports.tcp, total, connections, corpus, outDir: rs.outDir, pid: rs.pid });
  const memory = memoryOf(rs.pid);
  await rs.stop();
  const written = await countLines(rs.outDir);
  rmSync(rsDir, { recursive: true, force: true });
  return summarise(rsyslogFormats[format], timing, written, memory);
}

/** Opens `count` connections, each sends one octet-counted frame, then stays open and silent. */
async function openIdle(port, count, line) {
  const frame = `${Buffer.byteLength(line)} ${line}`;
  const sockets = [];
  // In waves of 100: a SYN flood of 1,000 at once can overflow the listen backlog (default 511).
  for (let i = 0; i < count; i += 100) {
    const wave = Array.from(
      { length: Math.min(100, count - i) },
      () =>
        new Promise((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(frame);
            resolve(socket);
          });
          socket.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(wave)));
  }
  return sockets;
}

/** Connections opened and closed before the baseline sample. */
const warmUpConnections = 100;
const settleMs = 8_000; // V8's memory reducer runs a full GC a few seconds after allocation stops

/** Lowest VmRSS over 2 s of samples: the figure least disturbed by garbage not yet collected. */
async function settledRss(pid) {
  let lowest = Infinity;
  for (let i = 0; i < 10; i++) {
    lowest = Math.min(lowest, memoryOf(pid)?.rssKb ?? Infinity);
    await sleep(200);
  }
  return { rssKb: lowest };
}

export async function idleConnections({ start, count, line, connectionsOpen }) {
  const receiver = await start();
  // A first wave opened, used and closed before the baseline: the code, heaps and buffers the first
  // connections bring are then in both samples. Without it the baseline sometimes held start-up
  // garbage that the collections the connections caused freed, and the difference came out negative.
  const warmUp = await openIdle(receiver.ports.tcp, warmUpConnections, line);
  for (const socket of warmUp) socket.destroy();
  const closedBy = Date.now() + 10_000;
  while (connectionsOpen && Date.now() < closedBy && (await connectionsOpen(receiver)) > 0) await sleep(100);
  await waitForQuietMachine();
  await sleep(settleMs); // start-up garbage collected, timers settled
  const before = await settledRss(receiver.pid);
  const sockets = await openIdle(receiver.ports.tcp, count, line);
  const until = Date.now() + 10_000;
  while (connectionsOpen && Date.now() < until && (await connectionsOpen(receiver)) < count) await sleep(100);
  await sleep(settleMs);
  const after = await settledRss(receiver.pid);
  const open = connectionsOpen ? await connectionsOpen(receiver) : null;
  for (const socket of sockets) socket.destroy();
  await receiver.stop();
  return {
    connections: count,
    openSeenByReceiver: open,
    rssBeforeMb: before.rssKb / 1024,
    rssAfterMb: after.rssKb / 1024,
    deltaMb: (after.rssKb - before.rssKb) / 1024,
    perConnectionKb: (after.rssKb - before.rssKb) / count,
  };
}

/**
 * The run with the median on-disk rate of a receiver's rounds, with every round's on-disk rate beside
 * it (`rounds`): the table shows a typical run, and the spread says how far one run can be trusted.
 */
function medianRound(runs) {
  const sorted = [...runs].sort((a, b) => a.diskRate - b.diskRate);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], rounds: runs.map((r) => r.diskRate) };
}

export async function runTcpBench({ dir, sender, corpus, corpusLine, total, connections, idle, receiveBufferBytes, rounds = 3, log = console.log }) {
  const say = (r, round) =>
    log(
      `  tcp ${r.receiver.padEnd(12)} round ${round}: ${r.messages} msgs / ${connections} conns: read ${r.readRate.toFixed(0)}/s (${r.readMBps.toFixed(1)} MB/s), on disk ${r.diskRate.toFixed(0)}/s, written ${r.written}, loss ${r.loss}, peak RSS ${r.peakRssMb?.toFixed(0)} MB, ${r.bytesPerEvent?.toFixed(0)} bytes/event, others ${r.backgroundCores.toFixed(2)} cores`,
    );
  // Rounds interleave the receivers: on this kind of VM one receiver's rate swings by a quarter from
  // one minute to the next (rsyslog-json: 194k to 310k/s on the same day), and a single run each
  // compared two different minutes of the machine as much as two receivers.
  const receivers = {
    netsidecar: () => netsidecarThroughput({ dir, sender, corpus, total, connections }),
    rsyslog: () => rsyslogThroughput({ dir, sender, corpus, total, connections, receiveBufferBytes, format: 'raw' }),
    'rsyslog-json': () => rsyslogThroughput({ dir, sender, corpus, total, connections, receiveBufferBytes, format: 'json' }),
  };
  const runs = Object.fromEntries(Object.keys(receivers).map((receiver) => [receiver, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const [receiver, run] of Object.entries(receivers)) {
      const result = await run();
      say(result, round);
      runs[receiver].push(result);
    }
  }
  const netsidecar = medianRound(runs.netsidecar);
  const rsyslog = medianRound(runs.rsyslog);
  const rsyslogJson = medianRound(runs['rsyslog-json']);

  const nsDir = join(dir, 'netsidecar-idle');
  mkdirSync(nsDir, { recursive: true });
  const idleNetsidecar = await idleConnections({
    start: () => startNetsidecar({ dataDir: nsDir }),
    count: idle,
    line: corpusLine,
    connectionsOpen: async (service) => (await service.metrics()).value('netsidecar_syslog_connections', { transport: 'tcp' }),
  });
  log(`  idle netsidecar: ${idle} connections hold ${idleNetsidecar.deltaMb.toFixed(1)} MB (${idleNetsidecar.perConnectionKb.toFixed(1)} kB each)`);
  const rsIdleDir = join(dir, 'rsyslog-idle');
  mkdirSync(rsIdleDir, { recursive: true });
  const idleRsyslog = await idleConnections({ start: () => startRsyslog({ dir: rsIdleDir, receiveBufferBytes }), count: idle, line: corpusLine });
  log(`  idle rsyslog: ${idle} connections hold ${idleRsyslog.deltaMb.toFixed(1)} MB (${idleRsyslog.perConnectionKb.toFixed(1)} kB each)`);
  rmSync(nsDir, { recursive: true, force: true });
  rmSync(rsIdleDir, { recursive: true, force: true });
  return { total, connections, rounds, netsidecar, rsyslog, 'rsyslog-json': rsyslogJson, idle: { netsidecar: idleNetsidecar, rsyslog: idleRsyslog } };
}
