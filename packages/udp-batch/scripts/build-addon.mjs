#!/usr/bin/env node
// Builds the recvmmsg/sendmmsg addon at install time (it needs python3, make and a C compiler).
// Where it cannot be built (another OS, no compiler) the install goes on and the services use
// node:dgram: they say so in their start-up log. NETSIDECAR_UDP_BATCH_REQUIRED=1 (CI) turns a failed
// build into a failed install, so the fast path cannot silently go missing there.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.NETSIDECAR_UDP_BATCH_REQUIRED === '1';

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
  console.warn(`@netsidecar/udp-batch: recvmmsg is Linux-only; on ${process.platform} the services use node:dgram`);
  process.exit(0);
}
const [command, ...prefix] = nodeGyp();
const result = spawnSync(command, [...prefix, 'rebuild'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  const message = '@netsidecar/udp-batch: the addon did not build (python3, make and g++ are needed); UDP falls back to node:dgram';
  if (required) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
}
