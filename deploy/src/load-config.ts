import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDeployConfig, type DeployConfig } from './config.js';

/**
 * Where the inputs come from: `-c config=<file.json>` (a path relative to deploy/), else a
 * `netsidecar` context object (cdk.json or `-c netsidecar='{...}'`). Exactly one of them.
 */
export function loadDeployConfig(context: { config?: unknown; netsidecar?: unknown }, baseDir = process.cwd()): Readonly<DeployConfig> {
  if (context.config !== undefined && context.netsidecar !== undefined) {
    throw new Error('netsidecar deploy: give either the context value `config` (a file) or `netsidecar` (an object), not both');
  }
  if (typeof context.config === 'string') {
    const file = resolve(baseDir, context.config);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`netsidecar deploy: cannot read the config file ${file}: ${(err as Error).message}`, { cause: err });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`netsidecar deploy: ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    // A rules file named in it is read from beside it.
    return parseDeployConfig(raw, { baseDir: dirname(file) });
  }
  if (context.netsidecar !== undefined) {
    const raw: unknown = typeof context.netsidecar === 'string' ? JSON.parse(context.netsidecar) : context.netsidecar;
    return parseDeployConfig(raw, { baseDir });
  }
  throw new Error('netsidecar deploy: no inputs: run with -c config=config/<name>.json (see deploy/README.md)');
}
