// Reads the .cpuprofile that `node --cpu-prof` wrote and ranks functions by self time, so a slow
// rate comes with the functions that dominate it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './netsidecar.mjs';

function where(callFrame) {
  const { url, lineNumber } = callFrame;
  if (!url) return '';
  let path = url.replace(/^file:\/\//, '');
  if (path.startsWith(repoRoot)) path = relative(repoRoot, path);
  return `${path}:${lineNumber + 1}`;
}

/**
 * Builtins called from JavaScript (JSON.stringify, String.prototype.join...) have no frame of
 * their own in V8's profile: their time is the self time of the function that called them.
 */
function areaOf(callFrame) {
  const url = callFrame.url.replace(/^file:\/\//, '');
  const name = callFrame.functionName;
  if (name === '(idle)') return '(idle)';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8/native, not attributed ((program))';
  if (url.includes('/services/syslog/dist/parser/')) return 'parser (services/syslog/src/parser)';
  if (/\/services\/syslog\/dist\/(encode-event|event-json)\.js/.test(url)) return 'event JSON encoding (encode-event, event-json)';
  if (/\/services\/syslog\/dist\/parse-(worker|batch|pool)\.js/.test(url)) return 'parse worker plumbing (parse-pool, -batch, -worker)';
  if (url.includes('/services/syslog/dist/ingest')) return 'Ingest (incl. what it calls: JSON.stringify, sink hand-off)';
  if (url.includes('/services/syslog/dist/')) return 'listeners, framing (services/syslog/src)';
  if (url.includes('/packages/sink/dist/')) return 'sink (packages/sink)';
  if (url.includes('/prom-client/')) return 'metrics (prom-client)';
  if (url.includes('/packages/telemetry/')) return 'telemetry';
  if (url.startsWith('node:dgram') || url.startsWith('node:net') || url.startsWith('node:internal/dgram') || url.startsWith('node:internal/stream_base'))
    return 'Node sockets (dgram/net)';
  if (url.startsWith('node:')) return 'Node core (fs, path, events, ...)';
  if (url === '') return `native: ${name || '(anonymous)'}`;
  return 'other JavaScript';
}

/**
 * One summary per profiled thread: `node --cpu-prof` writes one file per JavaScript thread,
 * CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile, thread 0 being the main thread.
 */
export function summariseProfile(dir, limit = 15) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => threadOf(a) - threadOf(b));
  return files.map((file) => ({ thread: threadOf(file) === 0 ? 'main thread' : `worker thread ${threadOf(file)}`, ...summariseFile(join(dir, file), limit) }));
}

function threadOf(file) {
  return Number(file.split('.')[4] ?? 0);
}

function summariseFile(path, limit) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const totalSamples = profile.samples.length;
  const msPerSample = durationMs / Math.max(1, totalSamples);
  // Samples per node id, from the sample list (hitCount is not always filled in).
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name} ${where(node.callFrame)}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
  }
  // Self time by area of the code, to say which part dominates.
  const byArea = new Map();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const area = areaOf(node.callFrame);
    if (area !== '(idle)') byArea.set(area, (byArea.get(area) ?? 0) + count);
  }
  const idle = byFunction.get('(idle)') ?? 0;
  const busy = totalSamples - idle;
  const top = [...byFunction]
    .filter(([key]) => key !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, count]) => ({ fn, selfMs: count * msPerSample, percentOfBusy: (100 * count) / Math.max(1, busy) }));
  const areas = [...byArea]
    .sort((a, b) => b[1] - a[1])
    .map(([area, count]) => ({ area, selfMs: count * msPerSample, percentOfBusy: (100 * count) / Math.max(1, busy) }));
  return { durationMs, busyPercent: (100 * busy) / Math.max(1, totalSamples), top, areas };
}
