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
