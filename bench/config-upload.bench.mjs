#!/usr/bin/env node
// The config upload service (services/config-upload): latency of one upload of a 50 KB and of a
// 1 MB Cisco configuration (auth, redact, hash, diff against the previous version, drift against an
// intended config, store, event through the file sink, 201), one request at a time, and uploads/s
// of 50 KB configs with several clients. Writes bench/RESULTS-config.md.
//
//   node bench/config-upload.bench.mjs            # build, run (~1-2 min), write bench/RESULTS-config.md
//   --no-build     skip `npx tsc -b services/config-upload`
//   --quick        fewer uploads: a smoke test of the harness; prints, writes nothing
//   --write        write the results even with --quick
//
// autocannon is not installed in this repository, so the load generator is node:http with a
// keep-alive agent, in this process. Every upload changes one line, so each one is a new version
// with a diff (the expensive path). The service is its real main() (dist/main.js) in a child
// process, pinned to core 1 with taskset when there is one (the target is "one core"), the load
// generator to core 0. Loopback only; the temp dir is removed and the child killed by pid at exit.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
  },
});
const quick = args.quick;
const settings = {
  warmup: quick ? 5 : 30,
  small: { bytes: 50 * 1000, uploads: quick ? 30 : 300 },
  large: { bytes: 1000 * 1000, uploads: quick ? 10 : 100 },
  throughput: { clients: 8, seconds: quick ? 3 : 10 },
};

if (!args['no-build']) execFileSync('npx', ['tsc', '-b', 'services/config-upload'], { cwd: repoRoot, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'netsidecar-config-bench-'));
let child;
const cleanup = () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** A Cisco IOS config of about `bytes`, with secrets to redact every few interfaces. */
function ciscoConfig(bytes, device, stamp) {
  const lines = [
    'Building configuration...',
    `! Last configuration change at 22:58:01 UTC Sun Nov 22 2026 by bench${stamp}`,
    'version 17.9',
    `hostname ${device}`,
    'enable secret 9 $9$benchSaltbench$benchHashbenchHashbenchHash',
    'username admin privilege 15 secret 9 $9$abcdefgh$ijklmnopqrstuvwxyz',
    'snmp-server community benchCommunity RO',
    'tacacs-server host 10.0.0.20 key 7 0822455D0A16',
  ];
  let size = lines.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const block = [
      `interface GigabitEthernet${Math.floor(i / 48)}/0/${i % 48}`,
      ` description access port ${i} rack ${i % 40} ${i === 7 ? `change ${stamp}` : ''}`.trimEnd(),
      ` switchport access vlan ${100 + (i % 50)}`,
      ' switchport mode access',
      ...(i % 10 === 0 ? [` standby ${i % 255} authentication md5 key-string bench-hsrp-${i}`] : []),
      ' spanning-tree portfast',
      '!',
    ];
    size += block.join('\n').length + 1;
    lines.push(...block);
  }
  lines.push('end', '');
  return lines.join('\n');
}

async function main() {
  const { hashPassword } = await import(pathToFileURL(join(repoRoot, 'services/config-upload/dist/auth/scrypt.js')).href);
  const { salt, hash } = await hashPassword('bench-pass');
  writeFileSync(join(work, 'users'), `bench:scrypt:${salt}:${hash}:*:upload\n`);
  writeFileSync(join(work, 'key'), 'bench-redaction-key-0123456789');
  const intended = join(work, 'intended');
  execFileSync('mkdir', ['-p', intended]);
  // Drift is computed against an intended config of the same size for every device.
  for (const [name, bytes] of [['small', settings.small.bytes], ['large', settings.large.bytes]]) {
    for (let c = 0; c < settings.throughput.clients; c++) writeFileSync(join(intended, `rtr-${name}-${c}.cfg`), ciscoConfig(bytes, `rtr-${name}-${c}`, 'intended'));
  }

  const twoCores = cpus().length >= 2 && hasTaskset();
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_'))),
    NETSIDECAR_DATA_DIR: join(work, 'data'),
    NETSIDECAR_SINK: 'file',
    NETSIDECAR_UPLOAD_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_UPLOAD_PORT: '0',
    NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
    NETSIDECAR_UPLOAD_USERS_FILE: join(work, 'users'),
    NETSIDECAR_UPLOAD_REDACTION_KEY_FILE: join(work, 'key'),
    NETSIDECAR_UPLOAD_INTENDED_DIR: intended,
    NETSIDECAR_UPLOAD_RATE_LIMIT: '0',
    NETSIDECAR_UPLOAD_MAX_CONCURRENT: '64',
    NETSIDECAR_LOG_LEVEL: 'info', // one line per upload, as in production
  };
  const mainJs = join(repoRoot, 'services/config-upload/dist/main.js');
  child = twoCores
    ? spawn('taskset', ['-c', '1', process.execPath, mainJs], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, [mainJs], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (twoCores) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const port = await listeningPort(child);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const auth = `Basic ${Buffer.from('bench:bench-pass').toString('base64')}`;
  let counter = 0;
  const upload = (device, bytes) => {
    const body = Buffer.from(ciscoConfig(bytes, device, String(++counter)));
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(
        { host: '127.0.0.1', port, method: 'PUT', path: `/configs/${device}`, agent, headers: { authorization: auth, 'content-type': 'text/plain', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            if (res.statusCode !== 201) reject(new Error(`status ${res.statusCode}`));
            else resolve(ms);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
  const results = {};
  for (const [name, { bytes, uploads }] of Object.entries({ small: settings.small, large: settings.large })) {
    const device = `rtr-${name}-0`;
    for (let i = 0; i < settings.warmup; i++) await upload(device, bytes);
    const cpuBefore = cpuMs(child.pid);
    const t0 = performance.now();
    const times = [];
    for (let i = 0; i < uploads; i++) times.push(await upload(device, bytes));
    const wall = performance.now() - t0;
    const cpu = cpuMs(child.pid) - cpuBefore;
    times.sort((a, b) => a - b);
    results[name] = { bytes, uploads, p50: pct(times, 0.5), p90: pct(times, 0.9), p99: pct(times, 0.99), max: times[times.length - 1], cpuPerUploadMs: cpu / uploads, wallPerUploadMs: wall / uploads };
    console.error(`${name}: ${JSON.stringify(results[name])}`);
  }

  // Throughput: several clients, each on its own device (uploads of one device are serialised).
  const { clients, seconds } = settings.throughput;
  const cpuBefore = cpuMs(child.pid);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const t0 = performance.now();
  const latencies = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < deadline) {
        latencies.push(await upload(`rtr-small-${c}`, settings.small.bytes));
        done++;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuMs(child.pid) - cpuBefore) / 1000;
  latencies.sort((a, b) => a - b);
  results.throughput = { clients, seconds: wall, uploads: done, perSecond: done / wall, serviceCores: cpu / wall, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99) };
  console.error(`throughput: ${JSON.stringify(results.throughput)}`);
  const loadEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  agent.destroy();
  child.kill('SIGTERM');

  results.stages = await stageCosts();
  const md = report(results, { loadStart, loadEnd, twoCores });
  process.stdout.write(md);
  if (!quick || args.write) writeFileSync(join(here, 'RESULTS-config.md'), md);
}

/**
 * Where a 1 MB upload's CPU goes: each stage of the pipeline run in this process on the same kind
 * of config (CPU time, median of 15 runs), from the built modules.
 */
async function stageCosts() {
  const dist = (p) => import(pathToFileURL(join(repoRoot, 'services/config-upload/dist', p)).href);
  const { decodeBody } = await dist('ingest/decode-body.js');
  const { Redactor } = await dist('redact/redactor.js');
  const { Tagger } = await dist('redact/tagger.js');
  const { normalise } = await dist('analyse/volatile.js');
  const { unifiedDiff } = await dist('analyse/unified-diff.js');
  const { toSinkEvents } = await dist('events/config-event.js');
  const { createHash } = await import('node:crypto');
  const redactor = new Redactor(new Tagger(Buffer.from('bench-redaction-key-0123456789')));
  const a = ciscoConfig(settings.large.bytes, 'rtr-large-0', 'a');
  const b = Buffer.from(ciscoConfig(settings.large.bytes, 'rtr-large-0', 'b'));
  const ra = redactor.redact(a, 'cisco-ios');
  const na = normalise(ra.text);
  const stage = (f) => {
    const runs = [];
    for (let i = 0; i < 15; i++) {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      runs.push((c.user + c.system) / 1000);
    }
    runs.sort((x, y) => x - y);
    return runs[7];
  };
  const decoded = decodeBody(b, { maxBytes: 16 * 1024 * 1024 });
  const rb = redactor.redact(decoded.text, 'cisco-ios');
  const nb = normalise(rb.text);
  return {
    'decode (text check, UTF-8)': stage(() => decodeBody(b, { maxBytes: 16 * 1024 * 1024 })),
    redact: stage(() => redactor.redact(decoded.text, 'cisco-ios')),
    'normalise (volatile lines, who/when)': stage(() => normalise(rb.text)),
    'SHA-256 × 3': stage(() => {
      for (const x of [b, rb.text, nb.text]) createHash('sha256').update(x).digest('hex');
    }),
    'diff against the previous version': stage(() => unifiedDiff('a', 'b', na.text, nb.text)),
    'diff against the intended config': stage(() => unifiedDiff('i', 'b', na.text, nb.text)),
    'events (JSON, split into parts)': stage(() =>
      toSinkEvents({ schema: 'config/1', receivedAt: new Date().toISOString(), uploadId: 'u', device: 'rtr-large-0', config: rb.text, diff: 'd', driftDiff: 'd', detached: [], parts: 0 }, '/netsidecar/config'),
    ),
  };
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The upload port, from the service's `config upload listening` log line (stderr, JSON). */
function listeningPort(proc) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no port after 20 s: ${text}`)), 20_000);
    proc.stderr.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      const line = text.split('\n').find((l) => l.includes('"config upload listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
      if (text.length > 1_000_000) text = text.slice(-10_000);
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited ${code}: ${text}`));
    });
  });
}

function cpuMs(pid) {
  // utime + stime of the process, in clock ticks (100/s on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function pct(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function report(r, run) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const large = r.large;
  return `# Config upload service benchmarks

Generated by \`node bench/config-upload.bench.mjs\`${quick ? ' --quick' : ''}; do not edit by hand.

- ${new Date().toISOString()}, commit \`${commit}\`
- ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB, Linux ${release()}, Node.js ${process.version}
- ${run.twoCores ? 'the service (its real `dist/main.js`) pinned to core 1 with `taskset`, the load generator (node:http, keep-alive, this process) to core 0' : 'nothing pinned (no taskset or one core)'}
- \`/proc/loadavg\` at start: \`${run.loadStart}\`; at the end: \`${run.loadEnd}\`. ${Number(run.loadStart.split(' ')[0]) > 1.5 ? '**The machine was busy**: figures are noisy and pessimistic; rerun on an idle machine before relying on the tails' : 'The machine was quiet (nothing else running).'}
- autocannon is not installed here: the client is node:http in this script (latency = request written to response ended, loopback)
- each upload is a Cisco IOS config with secrets (enable/username secrets, SNMP community, TACACS key, an HSRP key-string every 10 interfaces), one description line changed per upload, so every upload is a new version with a diff, plus drift against an intended config of the same size; file store and file sink (flushed before the 201), rate limit off

## Summary

| figure | measured | target | |
|---|---|---|---|
| 1 MB upload, p99, one core | ${ms(large.p99)} | < 100 ms | ${large.p99 < 100 ? '✅ met' : '❌ not met'} |
| 50 KB uploads/s, ${r.throughput.clients} clients | ${r.throughput.perSecond.toFixed(0)}/s (service at ${r.throughput.serviceCores.toFixed(2)} cores) | | |

## Latency, one upload at a time (after ${settings.warmup} warm-up uploads)

| config | uploads | p50 | p90 | p99 | max | service CPU per upload |
|---|---|---|---|---|---|---|
| 50 KB | ${r.small.uploads} | ${ms(r.small.p50)} | ${ms(r.small.p90)} | ${ms(r.small.p99)} | ${ms(r.small.max)} | ${ms(r.small.cpuPerUploadMs)} |
| 1 MB | ${large.uploads} | ${ms(large.p50)} | ${ms(large.p90)} | ${ms(large.p99)} | ${ms(large.max)} | ${ms(large.cpuPerUploadMs)} |

## Where a 1 MB upload's CPU goes

Each pipeline stage run in the bench process on the same kind of config (CPU time, median of 15);
the rest of the service's CPU per upload is HTTP, the store and sink writes, and garbage collection.
The 1 MB config holds about 1,300 secrets (an HSRP key every 10 interfaces), far more than a real
one: most of \`redact\` is one HMAC-SHA256 per value (node:crypto, ~10 µs each).

| stage | CPU |
|---|---|
${Object.entries(r.stages).map(([k, v]) => `| ${k} | ${v.toFixed(1)} ms |`).join('\n')}
| **sum** | **${Object.values(r.stages).reduce((x, y) => x + y, 0).toFixed(1)} ms** (service: ${ms(large.cpuPerUploadMs)} per upload) |

## Throughput, 50 KB

${r.throughput.clients} clients, each uploading its own device in a loop for ${r.throughput.seconds.toFixed(1)} s: ${r.throughput.uploads} uploads, **${r.throughput.perSecond.toFixed(0)} uploads/s**, latency p50 ${ms(r.throughput.p50)}, p99 ${ms(r.throughput.p99)}; the service used ${r.throughput.serviceCores.toFixed(2)} cores (pinned to one).
`;
}

await main();
process.exit(0);
