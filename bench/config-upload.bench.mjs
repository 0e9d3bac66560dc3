#!/usr/bin/env node
// The config upload service (services/config-upload): latency of one upload of a 50 KB and of a
// 1.2 MB Cisco configuration (the size issue 12's target names) (auth, redact, hash, diff against the previous version, drift against an
// intended config, store, event through the file sink, 201), one request at a time, and uploads/s
// of 50 KB configs with several clients. Writes bench/RESULTS-config.md.
//
//   node bench/config-upload.bench.mjs            # build, run (~1-2 min), write bench/RESULTS-config.md
//   --no-build     skip `npx tsc -b services/config-upload`
//   --quick        fewer uploads: a smoke test of the harness; prints, writes nothing
//   --write        write the results even with --quick
//
// The load generator is autocannon 8 (bench/node_modules, programmatic API) in this process: every
// latency percentile and the uploads/s figure come from its result (result.latency.p50/p90/p97_5/
// p99/max, result.requests, non2xx/errors/timeouts). Its setupRequest builds a new body for every
// request (one description line changes), so each upload is a new version with a diff (the
// expensive path); the body is built before autocannon starts the request's clock. The service's
// CPU per upload is read from /proc/<pid>/stat, the per-stage table by timing the built modules in
// this process. The service is its real main() (dist/main.js) in a child process, pinned to core 1
// with taskset when there is one (the target is "one core"), this process (autocannon) to core 0.
// Loopback only; the temp dir is removed and the child killed by pid at exit.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { containerNodeFlags, containerNodeOptions } from './lib/container-node-options.mjs';

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
  large: { bytes: 1200 * 1000, uploads: quick ? 10 : 300 },
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
  for (const [name, bytes] of [
    ['small', settings.small.bytes],
    ['large', settings.large.bytes],
  ]) {
    for (let c = 0; c < settings.throughput.clients; c++)
      writeFileSync(join(intended, `rtr-${name}-${c}.cfg`), ciscoConfig(bytes, `rtr-${name}-${c}`, 'intended'));
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
  // The V8 settings of the container (services/config-upload/Dockerfile), as deployed.
  const nodeOptions = containerNodeOptions('config-upload');
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  else delete env.NODE_OPTIONS;
  const mainJs = join(repoRoot, 'services/config-upload/dist/main.js');
  const nodeArgs = [...containerNodeFlags('config-upload'), mainJs];
  child = twoCores
    ? spawn('taskset', ['-c', '1', process.execPath, ...nodeArgs], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (twoCores) execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const port = await listeningPort(child);
  const auth = `Basic ${Buffer.from('bench:bench-pass').toString('base64')}`;
  let counter = 0;
  /**
   * One autocannon run: `devices` connections, connection i uploading /configs/<devices[i]> (one
   * URL per connection: the service serialises the uploads of one device), every request a fresh
   * config of `bytes` with one changed line (setupRequest runs before the request's clock starts).
   */
  let unchanged = 0; // 201s whose body says `changed: false` (the cheap path): should stay 0
  const cannon = (devices, bytes, limit) =>
    autocannon({
      url: devices.map((d) => `http://127.0.0.1:${port}/configs/${d}`),
      method: 'PUT',
      connections: devices.length,
      ...limit, // { amount } or { duration }
      timeout: 30,
      headers: { authorization: auth, 'content-type': 'text/plain' },
      requests: [
        {
          setupRequest: (req) => ({ ...req, body: Buffer.from(ciscoConfig(bytes, req.path.slice('/configs/'.length), String(++counter))) }),
          onResponse: (status, body) => {
            if (status === 201 && !/"changed":\s*true/.test(body)) unchanged++;
          },
        },
      ],
    });
  /** The figures this report uses from an autocannon result; `failed` when anything was not 2xx. */
  const figures = (r) => ({
    completed: r.requests.total,
    seconds: r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
    failed: r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.requests.total === 0,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: r.latency.mean,
    perSecondAvg: r.requests.average,
  });

  const loadStart = readFileSync('/proc/loadavg', 'utf8').trim();
  const results = {};
  for (const [name, { bytes, uploads }] of Object.entries({ small: settings.small, large: settings.large })) {
    const device = [`rtr-${name}-0`];
    const warm = figures(await cannon(device, bytes, { amount: settings.warmup }));
    const cpuBefore = cpuMs(child.pid);
    const faultsBefore = minorFaults(child.pid);
    const r = figures(await cannon(device, bytes, { amount: uploads }));
    const cpu = cpuMs(child.pid) - cpuBefore;
    const faults = minorFaults(child.pid) - faultsBefore;
    // A failed warm-up fails the run too (its uploads are the previous versions the diff runs against).
    results[name] = {
      bytes,
      uploads,
      ...r,
      failed: r.failed || warm.failed,
      cpuPerUploadMs: cpu / Math.max(1, r.completed),
      faultsPerUpload: faults / Math.max(1, r.completed),
    };
    console.error(`${name}: ${JSON.stringify(results[name])}`);
  }

  // Throughput: several connections, each on its own device.
  const { clients, seconds } = settings.throughput;
  const cpuBefore = cpuMs(child.pid);
  const t0 = performance.now();
  const r = figures(
    await cannon(
      Array.from({ length: clients }, (_, c) => `rtr-small-${c}`),
      settings.small.bytes,
      { duration: seconds },
    ),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuMs(child.pid) - cpuBefore) / 1000;
  results.throughput = { clients, ...r, perSecond: r.completed / r.seconds, serviceCores: cpu / wall };
  console.error(`throughput: ${JSON.stringify(results.throughput)}`);
  results.unchanged = unchanged;
  results.failed = results.small.failed || results.large.failed || results.throughput.failed;
  const loadEnd = readFileSync('/proc/loadavg', 'utf8').trim();
  child.kill('SIGTERM');

  results.stages = await stageCosts();
  const md = report(results, { loadStart, loadEnd, twoCores });
  process.stdout.write(md);
  if (!quick || args.write) writeFileSync(join(here, 'RESULTS-config.md'), md);
  if (results.failed) console.error('FAILED: some uploads did not get a 2xx; see the report');
  return results.failed;
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
  const { driftOf, maskedIntended } = await dist('analyse/drift.js');
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
  // As the service holds it (once per intended version): redacted, normalised, secrets masked.
  const intended = maskedIntended(normalise(redactor.redact(ciscoConfig(settings.large.bytes, 'rtr-large-0', 'intended'), 'cisco-ios').text).text);
  return {
    'decode (text check, UTF-8)': stage(() => decodeBody(b, { maxBytes: 16 * 1024 * 1024 })),
    redact: stage(() => redactor.redact(decoded.text, 'cisco-ios')),
    'normalise (volatile lines, who/when)': stage(() => normalise(rb.text)),
    'SHA-256 × 3': stage(() => {
      for (const x of [b, rb.text, nb.text]) createHash('sha256').update(x).digest('hex');
    }),
    'diff against the previous version': stage(() => unifiedDiff('a', 'b', na.text, nb.text)),
    'drift against the intended config (mask secrets, diff)': stage(() => driftOf('rtr-large-0', 2, nb.text, intended)),
    'events (JSON, split into parts)': stage(() =>
      toSinkEvents(
        {
          schema: 'config/1',
          receivedAt: new Date().toISOString(),
          uploadId: 'u',
          device: 'rtr-large-0',
          config: rb.text,
          diff: 'd',
          driftDiff: 'd',
          detached: [],
          parts: 0,
        },
        '/netsidecar/config',
      ),
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

/**
 * Minor page faults of the process so far (/proc/<pid>/stat field 10): memory the kernel maps on
 * first touch. On a microVM each costs far more than on bare metal, and every new 1 MB string V8
 * allocates (large-object space, unmapped when freed) is some 250 of them.
 */
function minorFaults(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

function cpuMs(pid) {
  // utime + stime of the process, in clock ticks (100/s on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const ordinal = (n) => (n === 1 ? '' : `${n}${n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'} `);

function report(r, run) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  // autocannon's latency histogram holds whole milliseconds (a value is truncated: 4.9 ms -> 4).
  const ac = (v) => `${v} ms`;
  const codes = (x) =>
    Object.entries(x.statusCodes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ') || 'none';
  const outcome = (x) =>
    x.failed ? `❌ FAILED (non-2xx ${x.non2xx}, errors ${x.errors}, timeouts ${x.timeouts}; status codes ${codes(x)})` : `all ${x.completed} 2xx (${codes(x)})`;
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const large = r.large;
  const big = `${(large.bytes / 1e6).toFixed(1)} MB`;
  const t = r.throughput;
  const busy = Math.max(Number(run.loadStart.split(' ')[0]), Number(run.loadEnd.split(' ')[0])) > 1.5;
  return `# Config upload service benchmarks

Generated by \`node bench/config-upload.bench.mjs\`${quick ? ' --quick' : ''}; do not edit by hand.
${r.failed ? '\n**❌ RUN FAILED: some uploads did not get a 2xx (or errored / timed out); the figures below are not valid.**\n' : ''}
- ${new Date().toISOString()}, commit \`${commit}\` (the working tree may hold uncommitted changes)
- ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GB, Linux ${release()}, Node.js ${process.version}, autocannon ${autocannonVersion()}
- the service's node flags: NODE_OPTIONS \`${containerNodeOptions('config-upload') || '(none)'}\`, command line \`${containerNodeFlags('config-upload').join(' ') || '(none)'}\`, as services/config-upload/Dockerfile runs it in the container
- ${run.twoCores ? 'the service (its real `dist/main.js`) pinned to core 1 with `taskset`, the load generator (autocannon, in the bench process) to core 0' : 'nothing pinned (no taskset or one core)'}
- \`/proc/loadavg\` at start: \`${run.loadStart}\`; at the end: \`${run.loadEnd}\`. ${busy ? '**The machine was busy** (a 2-core box shared with other work): figures are noisy and pessimistic; rerun on an idle machine before relying on the tails' : 'The 1-minute load stayed under 1.5 (the box is a shared 2-core machine: other work may still have run).'}
- **which tool measured what**: every latency figure (p50/p90/p97.5/p99/max) and the uploads/s are **autocannon**'s (programmatic API, \`result.latency\`, \`result.requests\`; latency = request written to response complete, loopback, in whole milliseconds as autocannon's histogram records them, truncated); the 2xx/non-2xx counts are autocannon's (\`non2xx\`, \`errors\`, \`timeouts\`); service CPU per upload and service cores are from \`/proc/<pid>/stat\` of the service process around each autocannon run; the per-stage table is timed in the bench process (\`process.cpuUsage\`)
- each upload is a Cisco IOS config with secrets (enable/username secrets, SNMP community, TACACS key, an HSRP key-string every 10 interfaces), one description line changed per upload (autocannon \`setupRequest\` builds a new body for every request, before its clock starts), so every upload is a new version with a diff (201s whose body did not say \`changed: true\`: ${r.unchanged}), plus drift against an intended config of the same size; Basic auth (scrypt), file store and file sink (flushed before the 201), rate limit off

## Summary

| figure | measured (tool) | target | |
|---|---|---|---|
| ${big} upload, p99, one core | ${ac(large.p99)} (autocannon) | < 100 ms | ${large.failed ? '❌ run failed' : large.p99 < 100 ? '✅ met' : '❌ not met'} |
| 50 KB upload, p50 / p99, one at a time | ${ac(r.small.p50)} / ${ac(r.small.p99)} (autocannon) | | ${r.small.failed ? '❌ run failed' : ''} |
| ${big} upload, p50, one at a time | ${ac(large.p50)} (autocannon) | | |
| 50 KB uploads/s, ${t.clients} connections | ${t.perSecond.toFixed(0)}/s (autocannon; service at ${t.serviceCores.toFixed(2)} cores, /proc) | | ${t.failed ? '❌ run failed' : ''} |

## Latency, one upload at a time (autocannon, 1 connection, after ${settings.warmup} warm-up uploads)

| config | uploads | p50 | p90 | p97.5 | p99 | max | mean | responses | service CPU per upload (/proc) | minor page faults per upload (/proc) |
|---|---|---|---|---|---|---|---|---|---|---|
| 50 KB | ${r.small.completed} | ${ac(r.small.p50)} | ${ac(r.small.p90)} | ${ac(r.small.p97_5)} | ${ac(r.small.p99)} | ${ac(r.small.max)} | ${ms(r.small.mean)} | ${outcome(r.small)} | ${ms(r.small.cpuPerUploadMs)} | ${r.small.faultsPerUpload.toFixed(0)} |
| ${big} | ${large.completed} | ${ac(large.p50)} | ${ac(large.p90)} | ${ac(large.p97_5)} | ${ac(large.p99)} | ${ac(large.max)} | ${ms(large.mean)} | ${outcome(large)} | ${ms(large.cpuPerUploadMs)} | ${large.faultsPerUpload.toFixed(0)} |

With ${large.completed} ${big} uploads, autocannon's p99 is about the ${ordinal(large.completed - Math.ceil(0.99 * large.completed) + 1)}slowest one.

## Where a ${big} upload's CPU goes (bench process, \`process.cpuUsage\`)

Each pipeline stage run in the bench process on the same kind of config (CPU time, median of 15),
to rank the stages, not to add up: the service also spends its CPU on HTTP, the store and sink
writes, garbage collection and the first use of each new 1 MB string on the V8 heap (the file
sink's joined batch above all; a profile of the service, \`node --cpu-prof\`, shows it), while a
stage run here back to back makes its whole texts (outside the V8 heap,
services/config-upload/src/whole-text.ts) in fresh memory each time, where the service's allocator
reuses the last upload's. So the sum can exceed the service's own CPU per upload. The 1 MB config holds about 1,300
secrets (an HSRP key every 10 interfaces), far more than a real one; their HMAC-SHA256 tags are
about 5 % of \`redact\` in that profile, the rest its grammar walk, the safety net's scan for secret
words and building the redacted text.

| stage | CPU |
|---|---|
${Object.entries(r.stages)
  .map(([k, v]) => `| ${k} | ${v.toFixed(1)} ms |`)
  .join('\n')}
| **sum** | **${Object.values(r.stages)
    .reduce((x, y) => x + y, 0)
    .toFixed(1)} ms** (service: ${ms(large.cpuPerUploadMs)} per upload) |

## Throughput, 50 KB (autocannon)

autocannon with ${t.clients} connections, each uploading its own device (the service serialises the uploads of one device) for ${t.seconds.toFixed(1)} s: ${t.completed} uploads, **${t.perSecond.toFixed(0)} uploads/s** (\`requests.total / duration\`; autocannon's mean of its per-second samples: ${t.perSecondAvg.toFixed(0)}/s), latency p50 ${ac(t.p50)}, p99 ${ac(t.p99)}; ${outcome(t)}. The service used ${t.serviceCores.toFixed(2)} cores (/proc; pinned to one).
`;
}

function autocannonVersion() {
  try {
    return JSON.parse(readFileSync(join(here, 'node_modules/autocannon/package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const failed = await main();
process.exit(failed ? 1 : 0);
