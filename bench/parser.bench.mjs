// The syslog parser alone, without sockets or sink: lines/s of `parseSyslog`, of
// `JSON.stringify(parseSyslog(...).event)` (the syslog/1 event), of the syslog/2 line written as
// bytes (what a parse worker does per message), and of a parse worker's whole batches (512 lines,
// encoded as the file sink takes them) with the TypeScript encoder alone and with the C line
// encoder (services/syslog/native), over the bench corpus (lib/corpus.mjs, the UDP/TCP load) and
// over the vendor lines of the parser tests.
//
//   cd /work/main && npx tsc -b && node bench/parser.bench.mjs [--rounds 9] [--round-ms 400]
//        [--parser path/to/dist/parser/index.js]   (another build, e.g. a copy of the old one)
//
// Each case is warmed up first (so V8 has optimised the parser), then timed in `rounds` rounds of
// whole passes over its lines for at least `round-ms` each; the table shows the median round, its
// spread, and the share of the timed rounds spent in the garbage collector. Rates are per second of
// the main thread's own CPU time (Linux schedstat), so other work on a busy 2-core machine does
// not count against the parser; the wall-clock median is shown beside it.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { encodeSyslog2 } from '@netsidecar/contracts';
import { buildCorpus } from './lib/corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const testDir = join(root, 'services/syslog/test/parser');

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'round-ms': { type: 'string', default: '400' },
    parser: { type: 'string', default: join(root, 'services/syslog/dist/parser/index.js') },
  },
});
const rounds = Math.max(1, Number(opts.rounds));
const roundMs = Math.max(50, Number(opts['round-ms']));
const parserPath = resolve(opts.parser);
const { parseSyslog } = await import(pathToFileURL(parserPath).href).catch((err) => {
  console.error(`cannot load ${parserPath} (${err.code ?? err.message}): build first with \`npx tsc -b\` at the repository root`);
  process.exit(1);
});

/**
 * The `line:` of every case in the corpus-*.test.ts files, read with the TypeScript parser (the
 * tests are TypeScript and must not run here). Template lines (`<189>${traffic}`) are resolved from
 * the file's string constants.
 */
function testLines() {
  const lines = [];
  for (const file of readdirSync(testDir)
    .filter((f) => /^corpus-.*\.test\.ts$/.test(f))
    .sort()) {
    const source = ts.createSourceFile(file, readFileSync(join(testDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const consts = new Map();
    const text = (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
      if (ts.isIdentifier(node)) return consts.get(node.text);
      if (ts.isTemplateExpression(node)) {
        let out = node.head.text;
        for (const span of node.templateSpans) {
          const part = text(span.expression);
          if (part === undefined) return undefined;
          out += part + span.literal.text;
        }
        return out;
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const a = text(node.left);
        const b = text(node.right);
        return a === undefined || b === undefined ? undefined : a + b;
      }
      return undefined;
    };
    const visit = (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const value = text(node.initializer);
        if (value !== undefined) consts.set(node.name.text, value);
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'line') {
        const value = text(node.initializer);
        if (value === undefined) throw new Error(`${file}: cannot resolve the line at ${node.getStart()}`);
        lines.push(value);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return lines;
}

/** Fixed dates, so every run parses the same text with the same year inference. */
const when = new Date('2026-11-22T14:00:00.000Z');
const corpus = buildCorpus({ lines: 20_000, devices: 100, seed: 42, when });
const vendorLines = testLines();

/**
 * One Buffer and one context per line, made before timing, as the UDP listener hands them over.
 * receivedAt moves 1 ms every 100 lines: the clock as it reads at 100,000 datagrams/s.
 */
function inputs(lines) {
  const base = when.getTime() + 5;
  return {
    bufs: lines.map((l) => Buffer.from(l, 'utf8')),
    ctxs: lines.map((_, i) => ({ receivedAt: new Date(base + Math.floor(i / 100)), sourceIp: '192.0.2.1', sourcePort: 51514, transport: 'udp' })),
  };
}

// The parse worker's batch encoding, from the same build as the parser.
const distDir = dirname(dirname(parserPath));
const { EventEncoder } = await import(pathToFileURL(join(distDir, 'encode-event.js')).href);
const { encodeBatch } = await import(pathToFileURL(join(distDir, 'parse-batch.js')).href);
const typescriptEncoder = new EventEncoder({ schema: 2, receivedAt: true, native: false });
const nativeEncoder = new EventEncoder({ schema: 2, receivedAt: true, native: true });
if (nativeEncoder.fast === null) console.warn('the C line encoder is not built here: its row measures the TypeScript encoder');

/** The lines in the parse pool's batches of 512, made once per case before timing (as the pool hands them over). */
const batchCache = new WeakMap();
function batchesOf(bufs, ctxs) {
  let batches = batchCache.get(bufs);
  if (batches !== undefined) return batches;
  batches = [];
  for (let b = 0; b < bufs.length; b += 512) {
    const lines = bufs.slice(b, b + 512);
    const data = Buffer.concat(lines);
    let end = 0;
    batches.push({
      id: b,
      data,
      ends: Uint32Array.from(lines, (l) => (end += l.length)),
      receivedAt: Float64Array.from(ctxs.slice(b, b + 512), (c) => c.receivedAt.getTime()),
      sourcePorts: new Uint16Array(lines.length).fill(51514),
      ipTable: ['192.0.2.1'],
      ipIndex: new Uint16Array(lines.length),
      transportIndex: new Uint8Array(lines.length),
      output: new Uint8Array(new SharedArrayBuffer(1024 * 1024)),
    });
  }
  batchCache.set(bufs, batches);
  return batches;
}

let sink = 0; // consumed results, so V8 cannot drop the work
const modes = {
  parseSyslog: (bufs, ctxs) => {
    for (let i = 0; i < bufs.length; i++) sink += parseSyslog(bufs[i], ctxs[i]).event.message.length;
  },
  'parseSyslog + JSON.stringify': (bufs, ctxs) => {
    for (let i = 0; i < bufs.length; i++) sink += JSON.stringify(parseSyslog(bufs[i], ctxs[i]).event).length;
  },
  // What a parse worker does per message (services/syslog/src/encode-event.ts, parse-batch.ts): the
  // syslog/2 line (syslog/1 when it cannot be one) written as UTF-8 into the batch's bytes.
  'parseSyslog + syslog/2 line as bytes': (bufs, ctxs) => {
    for (let i = 0; i < bufs.length; i++) {
      const { event, format, receivedMs } = parseSyslog(bufs[i], ctxs[i]);
      sink += lineBytes.write(encodeSyslog2(event, format, { receivedAt: true }, receivedMs) ?? JSON.stringify(event), 0, 'utf8');
    }
  },
  // A parse worker's batches (parse-batch.ts encodeBatch), lines for the file sink: every line in TypeScript...
  'parse worker batches, TypeScript encoder': (bufs, ctxs) => {
    for (const batch of batchesOf(bufs, ctxs)) sink += encodeBatch(typescriptEncoder, batch, true).events.bytes.length;
  },
  // ... and the commonest lines in C first (native/line_encoder.c), the rest in TypeScript, as the service runs.
  'parse worker batches, C line encoder': (bufs, ctxs) => {
    for (const batch of batchesOf(bufs, ctxs)) sink += encodeBatch(nativeEncoder, batch, true).events.bytes.length;
  },
};
const lineBytes = Buffer.allocUnsafe(1024 * 1024);

const schedstat = `/proc/self/task/${process.pid}/schedstat`;
/** Main-thread CPU time in ms: schedstat's first field (ns on CPU), else user+system of the process. */
function cpuMs() {
  try {
    return Number(readFileSync(schedstat, 'latin1').split(' ', 1)[0]) / 1e6;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
gcObserver.observe({ entryTypes: ['gc'] });
/** GC entries are delivered asynchronously: give the observer a turn before reading gcMs. */
const tick = () => new Promise((r) => setImmediate(r));

async function measure(pass, { bufs, ctxs }) {
  const warmUntil = performance.now() + 1_000;
  while (performance.now() < warmUntil) pass(bufs, ctxs);
  // Enough passes between two clock reads that reading the clock costs nothing measurable.
  const reps = Math.ceil(5_000 / bufs.length);
  const rates = [];
  const wallRates = [];
  let gcTotal = 0;
  let timeTotal = 0;
  for (let r = 0; r < rounds; r++) {
    await tick();
    const gc0 = gcMs;
    const c0 = cpuMs();
    const t0 = performance.now();
    let n = 0;
    do {
      for (let k = 0; k < reps; k++) pass(bufs, ctxs);
      n += reps * bufs.length;
    } while (cpuMs() - c0 < roundMs);
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    await tick();
    gcTotal += gcMs - gc0;
    timeTotal += cpu;
    rates.push((n / cpu) * 1000);
    wallRates.push((n / ms) * 1000);
  }
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const median = med(rates);
  return { median, min: rates[0], max: rates.at(-1), wall: med(wallRates), gcShare: gcTotal / timeTotal };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const cases = [
  { name: `bench corpus (${fmt(corpus.lines.length)} lines, ${Math.round(corpus.meanBytes)} B mean)`, data: inputs(corpus.lines) },
  { name: `parser test vendor lines (${vendorLines.length})`, data: inputs(vendorLines) },
];

console.log(`parser: ${relative(root, parserPath) || parserPath} · Node ${process.version} · ${rounds} rounds of ≥ ${roundMs} ms after 1 s warm-up\n`);
console.log('| lines | measured | lines/s per CPU s (median) | ns/line | min–max | wall-clock lines/s (median) | GC share |');
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  for (const [mode, pass] of Object.entries(modes)) {
    const r = await measure(pass, c.data);
    console.log(
      `| ${c.name} | ${mode} | **${fmt(r.median)}** | ${fmt(1e9 / r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${fmt(r.wall)} | ${(r.gcShare * 100).toFixed(1)} % |`,
    );
  }
}
gcObserver.disconnect();
if (sink === 0) console.log('(no output?)');
