#!/usr/bin/env node
// `npm start`: every service that exists, locally, with the file sink (no AWS account needed).
// Each runs as its own process, as on Fargate; Ctrl-C stops them all (each drains first).
// The scan scheduler is not among them: it needs SQS and DynamoDB; locally it is a one-shot command
// (`npm run scan:local -w services/scan-scheduler -- --inventory examples/inventory.json`).
//
// Ctrl-C: the terminal sends SIGINT to the whole process group, this launcher and every service
// alike, so the launcher does not signal them again; each drains once and exits. A second Ctrl-C
// more than a second later (or Ctrl-\, SIGQUIT) reaches them too and cuts their drains short. A
// SIGTERM sent to the launcher alone is passed on to the services as SIGTERM.
//
// Names on the command line start only those services (`npm start -- syslog`). `--from-source` runs
// each service's src/main.ts with this process's Node flags instead of the build (the tests start
// it that way, under tap's TypeScript loader).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
// The service table (folders, ports): the build's dist, or src/ under the source condition (--from-source).
import { serviceTable } from '@netsidecar/contracts';

const fromSource = process.argv.includes('--from-source');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const mainOf = ({ folder }) => (fromSource ? `services/${folder}/src/main.ts` : `services/${folder}/dist/main.js`);
const health = ({ ports }) => `health http://127.0.0.1:${ports.health}/healthz`;
const { syslog, ntp, config } = serviceTable;
// Named by folder: `npm start -- syslog ntp-proxy`.
const services = [
  {
    name: syslog.folder,
    main: mainOf(syslog),
    note: `syslog UDP ${syslog.ports.udp}, TCP ${syslog.ports.tcp} (TLS ${syslog.ports.tls} with a certificate), ${health(syslog)}`,
  },
  { name: ntp.folder, main: mainOf(ntp), note: `NTP UDP ${ntp.ports.udp} from this machine's clock (refid LOCL), ${health(ntp)}` },
  { name: config.folder, main: mainOf(config), note: `HTTP ${config.ports.http}, ${health(config)}` },
].filter((service) => existsSync(service.main) && (only.length === 0 || only.includes(service.name)));

const env = { ...process.env, NETSIDECAR_SINK: process.env.NETSIDECAR_SINK ?? 'file', NETSIDECAR_DATA_DIR: process.env.NETSIDECAR_DATA_DIR ?? './var' };
console.log(
  `netsidecar: starting ${services.length} service(s) with the ${env.NETSIDECAR_SINK} sink; events under ${resolve(env.NETSIDECAR_DATA_DIR, 'logs')}`,
);
for (const service of services) console.log(`  ${service.name}: ${service.note}`);
console.log(`  try: logger --udp --server 127.0.0.1 --port ${syslog.ports.udp} "hello netsidecar"`);

const children = services.map((service) => {
  const child = spawn(process.execPath, [...(fromSource ? process.execArgv : []), service.main], { env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    console.log(`netsidecar: ${service.name} exited (${signal ?? code})`);
    if (code !== 0 && !stopping) stopAll('SIGTERM');
  });
  return child;
});

let stopping = false;
function stopAll(signal) {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
// The services got this SIGINT from the terminal as well: signalling them again would only repeat
// the request (they would ignore it), so the launcher just waits for them.
process.on('SIGINT', () => (stopping = true));
process.on('SIGQUIT', () => (stopping = true));
process.on('SIGTERM', () => stopAll('SIGTERM'));
await Promise.all(children.map((child) => new Promise((done) => child.on('close', done))));
process.exitCode = children.some((child) => child.exitCode !== 0 && child.signalCode === null) ? 1 : 0;
