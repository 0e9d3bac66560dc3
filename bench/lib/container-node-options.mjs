// The NODE_OPTIONS a service's image sets (its Dockerfile's ENV), so that a bench runs the service
// with the same V8 settings as the container: a heap limit changes both memory and speed.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function containerNodeOptions(service) {
  const dockerfile = readFileSync(join(repoRoot, 'services', service, 'Dockerfile'), 'utf8');
  // ENV lines continue with backslashes; the value is one token or a quoted string.
  const match = dockerfile.replace(/\\\n/g, ' ').match(/\bNODE_OPTIONS=("[^"]*"|\S+)/);
  return match ? match[1].replace(/^"|"$/g, '') : '';
}

/** The node flags of the image's CMD (`["node", "--flag", ..., "services/x/dist/main.js"]`): V8 flags NODE_OPTIONS does not allow. */
export function containerNodeFlags(service) {
  const dockerfile = readFileSync(join(repoRoot, 'services', service, 'Dockerfile'), 'utf8');
  const cmd = dockerfile.match(/^CMD\s+(\[.*\])\s*$/m);
  if (!cmd) return [];
  const argv = JSON.parse(cmd[1]);
  return argv[0] === 'node' ? argv.slice(1).filter((arg) => arg.startsWith('--')) : [];
}
