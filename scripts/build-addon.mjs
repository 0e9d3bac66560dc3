#!/usr/bin/env node
// Builds the Node-API addon of the package it runs in (npm runs it as the package's install
// script, in the package's directory): `node ../../scripts/build-addon.mjs <package> <fallback>`,
// where <fallback> says what the package does without its addon. It needs python3, make and a C
// compiler. Where it cannot be built (another OS, no compiler) the install goes on and the services
// take the fallback, which they say in their start-up log (udp-batch) or which costs CPU only
// (syslog's encoder). NETSIDECAR_ADDONS_REQUIRED=1 (CI, the Dockerfiles) turns a failed build into
// a failed install, so that a fast path cannot silently go missing there.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const [packageName = process.cwd(), fallback = 'the package falls back to JavaScript'] = process.argv.slice(2);
const required = process.env.NETSIDECAR_ADDONS_REQUIRED === '1';

function nodeGyp() {
  // npm puts its own node-gyp on PATH for install scripts; elsewhere use the one npm ships with.
  const fromPath = spawnSync('node-gyp', ['--version'], { stdio: 'ignore' });
  if (fromPath.status === 0) return ['node-gyp'];
  try {
    const npmDir = dirname(
      createRequire(import.meta.url).resolve('npm/package.json', { paths: [join(dirname(process.execPath), '..', 'lib', 'node_modules')] }),
    );
    return [process.execPath, join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  } catch {
    return ['node-gyp'];
  }
}

if (process.platform !== 'linux') {
  console.warn(`${packageName}: the addon is built for Linux only; on ${process.platform} ${fallback}`);
  process.exit(0);
}
const [command, ...prefix] = nodeGyp();
const result = spawnSync(command, [...prefix, 'rebuild'], { cwd: process.cwd(), stdio: 'inherit' });
if (result.status !== 0) {
  const message = `${packageName}: the addon did not build (python3, make and g++ are needed); ${fallback}`;
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
}
