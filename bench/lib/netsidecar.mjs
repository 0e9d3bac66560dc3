// Starts the built syslog service (services/syslog/dist/main.js) as production would run it: its own
// process, configured only by environment variables, every port 0 (read back from its start-up log).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerNodeOptions } from './container-node-options.mjs';
import { scrape } from './metrics.mjs';
import { start } from './processes.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serviceMain = join(repoRoot, 'services', 'syslog', 'dist', 'main.js');

/**
 * `env` adds or overrides variables (NETSIDECAR_SINK, AWS_*); `nodeArgs` go before the script
 * (e.g. --cpu-prof). Resolves once the service has logged its ports.
 */
export async function startNetsidecar({ dataDir, env = {}, nodeArgs = [], timeoutMs = 15_000 }) {
  if (!existsSync(serviceMain)) throw new Error(`${serviceMain} is missing: run \`npx tsc -b\` at the repository root first`);
  const ports = {};
  const log = [];
  let ready;
  const readyPromise = new Promise((resolve) => (ready = resolve));
  const proc = start(process.execPath, [...nodeArgs, serviceMain], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // The image's V8 settings (its heap limit), so memory and speed are the container's.
      NODE_OPTIONS: containerNodeOptions('syslog'),
      NETSIDECAR_SINK: 'file',
      NETSIDECAR_DATA_DIR: dataDir,
      NETSIDECAR_SYSLOG_BIND_ADDRESS: '127.0.0.1',
      NETSIDECAR_SYSLOG_UDP_PORT: '0',
      NETSIDECAR_SYSLOG_TCP_PORT: '0',
      NETSIDECAR_SYSLOG_HEALTH_PORT: '0',
      // To compare one parse worker with two on the same machine (`auto` gives 2 only with 3+ cores).
      ...(process.env.NETSIDECAR_SYSLOG_PARSE_WORKERS ? { NETSIDECAR_SYSLOG_PARSE_WORKERS: process.env.NETSIDECAR_SYSLOG_PARSE_WORKERS } : {}),
      ...(process.env.NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE ? { NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE: process.env.NETSIDECAR_SYSLOG_UDP_RECEIVE_QUEUE } : {}),
      ...(process.env.NETSIDECAR_SYSLOG_NATIVE_ENCODER ? { NETSIDECAR_SYSLOG_NATIVE_ENCODER: process.env.NETSIDECAR_SYSLOG_NATIVE_ENCODER } : {}),
      ...env,
    },
    onStderrLine(line) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (log.length < 200) log.push(entry);
      if (entry.msg === 'listening') Object.assign(ports, { udp: entry.udpPort, tcp: entry.tcpPort, parseWorkers: entry.parseWorkers });
      if (entry.msg === 'started') {
        ports.health = entry.healthPort;
        ready();
      }
    },
  });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref());
  try {
    await Promise.race([readyPromise, proc.exited.then(({ code, signal }) => Promise.reject(new Error(`exited ${code ?? signal}`))), timeout]);
  } catch (err) {
    await proc.stop('SIGKILL');
    throw new Error(`the syslog service did not start (${err.message}): ${proc.output.stderr.trim().slice(-2000)}`, { cause: err });
  }
  return {
    pid: proc.pid,
    ports,
    log,
    output: proc.output,
    metrics: () => scrape(ports.health),
    /** SIGTERM: the service stops accepting, drains its sink and exits. */
    stop: (graceMs) => proc.stop('SIGTERM', graceMs),
    exited: proc.exited,
  };
}
