// The two NTP servers raced, and the chronyd client that judges them, all on 127.0.0.1 in the run's
// temp dir: chronyd never touches this machine's clock (-x), runs in the foreground (-d) with its
// own config, pid file and log dir, and has no command port (cmdport 0).
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinned } from './ntp-cpus.mjs';
import { freeUdpPort } from './ports.mjs';
import { scrape } from './metrics.mjs';
import { cpuSecondsOf, sleep, start } from './processes.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chronydPath = '/usr/sbin/chronyd';
export const ntpMain = join(repoRoot, 'services', 'ntp-proxy', 'dist', 'main.js');

// As root, chronyd would switch to the _chrony user and lose access to the temp dir.
const chronydUser = process.getuid?.() === 0 ? ['-u', 'root'] : ['-U'];

export function chronydVersion() {
  try {
    return /version (\S+)/.exec(execFileSync(chronydPath, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return null;
  }
}

/** SO_RCVBUF of the UDP socket bound to 127.0.0.1:`port`, as `ss` shows it (`rb`), or null. */
export function receiveBufferOf(port) {
  try {
    const out = execFileSync('ss', ['-H', '-uamn', `sport = :${port}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /rb(\d+)/.exec(out);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Resolves once something answers NTP on 127.0.0.1:`port` (a plain mode-3 request every 100 ms). */
async function waitForNtp(port, proc, what, timeoutMs = 15_000) {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  try {
    const giveUp = Date.now() + timeoutMs;
    for (;;) {
      if (proc.child.exitCode !== null) throw new Error(`${what} exited: ${proc.output.stderr.slice(-2000)}`);
      const request = Buffer.alloc(48);
      request[0] = 0x23;
      socket.send(request, port, '127.0.0.1');
      const answered = await Promise.race([once(socket, 'message').then(() => true), sleep(100).then(() => false)]);
      if (answered) return;
      if (Date.now() > giveUp) throw new Error(`${what} never answered on port ${port}: ${proc.output.stderr.slice(-2000)}`);
    }
  } finally {
    socket.close();
  }
}

/**
 * chronyd serving its own clock (`local stratum 10`, the system clock it never steers) on a free
 * port, on core `cpu`. Rate limiting is off (chronyd has it only with a `ratelimit` directive) and
 * client logging on (the default `clientloglimit`), as our service keeps a client table too.
 */
export async function startChronyServer({ dir, cpu = null }) {
  mkdirSync(dir, { recursive: true });
  const port = await freeUdpPort();
  const conf = join(dir, 'chrony.conf');
  writeFileSync(
    conf,
    [`port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 10', `pidfile ${join(dir, 'chronyd.pid')}`, 'cmdport 0', ''].join('\n'),
  );
  const [command, args] = pinned(cpu, chronydPath, ['-x', '-d', ...chronydUser, '-f', conf]);
  const proc = start(command, args);
  await waitForNtp(port, proc, 'chronyd');
  return { pid: proc.pid, port, stop: () => proc.stop('SIGTERM', 5_000) };
}

/**
 * The built service (`services/ntp-proxy/dist/main.js`) as production runs it, configured by the
 * environment only, on core `cpu`; resolves once it is synchronised to `upstreamPort`.
 */
export async function startNtpProxy({ dir, upstreamPort, cpu = null, env = {}, nodeArgs = [], timeoutMs = 20_000 }) {
  if (!existsSync(ntpMain)) throw new Error(`${ntpMain} is missing: build it (npx tsc -b services/ntp-proxy) or drop --no-build`);
  mkdirSync(dir, { recursive: true });
  const info = {};
  let ready;
  const readyPromise = new Promise((resolve) => (ready = resolve));
  const [command, args] = pinned(cpu, process.execPath, [...nodeArgs, ntpMain]);
  const proc = start(command, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NETSIDECAR_SINK: 'file',
      NETSIDECAR_DATA_DIR: dir,
      NETSIDECAR_NTP_BIND_ADDRESS: '127.0.0.1',
      NETSIDECAR_NTP_PORT: '0',
      NETSIDECAR_NTP_HEALTH_PORT: '0',
      NETSIDECAR_NTP_UPSTREAM: `127.0.0.1:${upstreamPort}`,
      // One client address sends everything here: per-client limiting would answer it with KoD.
      NETSIDECAR_NTP_RATE_LIMIT: 'false',
      ...env,
    },
    onStderrLine(line) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === 'listening') info.port = entry.ntpPort;
      if (entry.msg === 'started') info.healthPort = entry.healthPort;
      if (entry.msg === 'synchronised') info.synchronised = true;
      if (info.port && info.healthPort && info.synchronised) ready();
    },
  });
  const timeout = sleep(timeoutMs).then(() => Promise.reject(new Error('timed out')));
  try {
    await Promise.race([readyPromise, proc.exited.then(({ code, signal }) => Promise.reject(new Error(`exited ${code ?? signal}`))), timeout]);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`the NTP service did not start and synchronise (${err.message}): ${proc.output.stderr.trim().slice(-2000)}`, { cause: err });
  }
  return {
    pid: proc.pid,
    port: info.port,
    healthPort: info.healthPort,
    metrics: () => scrape(info.healthPort),
    stop: () => proc.stop('SIGTERM', 10_000),
  };
}

/**
 * A chronyd client polling 127.0.0.1:`port` 64 times a second (minpoll/maxpoll -6, its fastest) for
 * `seconds`, with every raw measurement logged (`log rawmeasurements`: also those its filters would
 * reject, so that nothing is selected away). Returns { samples: [{ offsetS, delayS, leap, stratum }],
 * cpuSeconds }, offset in the RFC 5905 sense (server − this machine; chrony: positive = the local
 * clock is slow).
 */
export async function runChronyClient({ dir, port, seconds, cpu = null }) {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'client.conf');
  writeFileSync(
    conf,
    [`server 127.0.0.1 port ${port} minpoll -6 maxpoll -6`, `logdir ${dir}`, 'log rawmeasurements', `pidfile ${join(dir, 'client.pid')}`, 'cmdport 0', ''].join(
      '\n',
    ),
  );
  const [command, args] = pinned(cpu, chronydPath, ['-x', '-d', ...chronydUser, '-f', conf]);
  const proc = start(command, args);
  await Promise.race([sleep(seconds * 1000), proc.exited]);
  if (proc.child.exitCode !== null) throw new Error(`chronyd (client) exited: ${proc.output.stderr.slice(-2000)}`);
  const cpuSeconds = cpuSecondsOf(proc.pid) ?? 0;
  await proc.stop('SIGTERM', 5_000);
  // No file: chronyd never got a usable reply (an overloaded server answering too late).
  const log = existsSync(join(dir, 'measurements.log')) ? readFileSync(join(dir, 'measurements.log'), 'utf8') : '';
  return { samples: parseMeasurements(log), cpuSeconds };
}

/** Lines of chrony's measurements.log: date time address leap stratum tests... offset delay ... */
export function parseMeasurements(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!/^\d{4}-\d\d-\d\d /.test(line)) continue; // the banner lines
    const columns = line.trim().split(/\s+/);
    // 0 date, 1 time, 2 address, 3 leap, 4 stratum, 5-7 tests, 8 local poll, 9 remote poll, 10 score,
    // 11 offset, 12 peer delay, 13 peer dispersion, ...
    const offsetS = Number(columns[11]);
    const delayS = Number(columns[12]);
    if (Number.isFinite(offsetS) && Number.isFinite(delayS)) samples.push({ offsetS, delayS, leap: columns[3], stratum: Number(columns[4]) });
  }
  return samples;
}
