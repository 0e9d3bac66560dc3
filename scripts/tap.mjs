#!/usr/bin/env node
// `npm test`'s test runner: tap, with the TypeScript loader this Node can use everywhere.
//
// The tap config in package.json loads the TypeScript sources with tsx (esbuild): about a quarter of
// the CPU of tap's default ts-node loader per test file, and the test processes are most of the
// suite's time. On Node 20 (end of life; the machine fallback, the images run 22) tsx's module hooks
// do not reach worker threads, so the syslog parse pool's worker could not load its source; there
// this runs tap's own ts-node loader instead, which does, with swc as its transpiler (the "ts-node"
// section of tsconfig.test.json): TypeScript's own transpiler made each test process take about
// twice the CPU (parse-pool.test.ts: 56 s of CPU, 34 s with swc). Arguments are passed on to tap
// (`node scripts/tap.mjs services/syslog/test/tls.test.ts`).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const nodeMajor = Number(process.versions.node.split('.')[0]);
const env = { ...process.env };
if (nodeMajor < 22) {
  // TAP_<FIELD> overrides the package.json field. A change of plugins makes tap rebuild its runner
  // once (about 20 s); it is rebuilt again when a newer Node runs the suite.
  env.TAP_PLUGIN = '@tapjs/typescript';
  env.TAP_NODE_ARG = '--conditions=netsidecar-source';
  console.error(`scripts/tap.mjs: Node ${process.versions.node}: tap's ts-node loader (tsx cannot load TypeScript in worker threads before Node 22)`);
}

const require = createRequire(import.meta.url);
const tapPackage = require.resolve('tap/package.json');
const tapBin = join(dirname(tapPackage), JSON.parse(readFileSync(tapPackage, 'utf8')).bin.tap);

// tap rebuilds its runner when the plugins change, but the run that notices still starts its test
// processes with the old build's loader: after a run on Node 22+, the first run on Node 20 found
// no TypeScript loader and failed every file (ERR_UNKNOWN_FILE_EXTENSION). Rebuild first, then.
const wantsTsNode = nodeMajor < 22;
if (builtWithTsNode() !== wantsTsNode) {
  const built = spawnSync(process.execPath, [tapBin, 'build'], { stdio: 'inherit', env });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** Whether tap's runner is built with its ts-node plugin; when the build cannot be read, what this Node wants (tap then builds it itself). */
function builtWithTsNode() {
  try {
    const testPackage = createRequire(tapPackage).resolve('@tapjs/test/package.json');
    return readFileSync(join(dirname(testPackage), 'test-built/dist/esm/index.js'), 'utf8').includes('from "@tapjs/typescript"');
  } catch {
    return wantsTsNode;
  }
}
const child = spawn(process.execPath, [tapBin, ...process.argv.slice(2)], { stdio: 'inherit', env });
// Ctrl-C reaches tap through the terminal's process group; a SIGTERM sent to this script alone is passed on.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
