#!/usr/bin/env node
// `npm start`: every service that exists, locally, with the file sink (no AWS account needed).
// Each runs as its own process, as on Fargate; Ctrl-C stops them all (each drains first).
// The scan scheduler is not among them: it needs SQS and DynamoDB; locally it is a one-shot command
// (`npm run scan:local -w services/scan-scheduler -- --inventory examples/inventory.json`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const services = [
  { name: 'syslog', main: 'services/syslog/dist/main.js', note: 'syslog UDP 5514, TCP 5601 (TLS 6514 with a certificate), health http://127.0.0.1:9101/healthz' },
  { name: 'ntp-proxy', main: 'services/ntp-proxy/dist/main.js', note: 'NTP UDP 10123 from this machine\'s clock (refid LOCL), health http://127.0.0.1:9102/healthz' },
  { name: 'config-upload', main: 'services/config-upload/dist/main.js', note: 'HTTP 8080, health :9103' },
].filter((service) => existsSync(service.main));

const env = { ...process.env, NETSIDECAR_SINK: process.env.NETSIDECAR_SINK ?? 'file', NETSIDECAR_DATA_DIR: process.env.NETSIDECAR_DATA_DIR ?? './var' };
console.log(`netsidecar: starting ${services.length} service(s) with the ${env.NETSIDECAR_SINK} sink; events under ${resolve(env.NETSIDECAR_DATA_DIR, 'logs')}`);
for (const service of services) console.log(`  ${service.name}: ${service.note}`);
console.log('  try: logger --udp --server 127.0.0.1 --port 5514 "hello netsidecar"');

const children = services.map((service) => {
  const child = spawn(process.execPath, [service.main], { env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    console.log(`netsidecar: ${service.name} exited (${signal ?? code})`);
    if (code !== 0 && !stopping) stopAll('SIGTERM');
  });
  return child;
});

let stopping = false;
function stopAll(signal) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stopAll('SIGTERM'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
await Promise.all(children.map((child) => new Promise((done) => child.on('close', done))));
process.exitCode = children.some((child) => child.exitCode !== 0 && child.signalCode === null) ? 1 : 0;
