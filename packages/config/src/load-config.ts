import { envPrefixes } from '@netsidecar/contracts';
import { ConfigError } from './config-error.js';
import type { Parser } from './parsers.js';

/** One environment variable: its parser and its default (`undefined` = optional, no default). */
export interface Variable<T> {
  parse: Parser<T>;
  default: T;
  /** One line for the README and for `--help`-style listings. */
  description: string;
}

export type Schema = Record<string, Variable<unknown>>;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: S[K]['default'] };

/**
 * Variable-name prefixes that belong to each service (and the audit CLI): the service table of
 * @netsidecar/contracts. A service rejects unknown `NETSIDECAR_*` names, but must tolerate another
 * service's variables: `npm start` runs every service from one shell, and a shared ECS environment
 * file is common.
 */
export const servicePrefixes = envPrefixes;

/**
 * Variables read at build or install time, not by a service: a shell that exported one for
 * `npm ci` (CI does) must still be able to `npm start`.
 */
export const buildTimeVariables = ['NETSIDECAR_ADDONS_REQUIRED'] as const;

export interface LoadOptions {
  /** The prefix this service owns, e.g. `NETSIDECAR_SYSLOG_`; unknown names under it are errors. */
  ownPrefix?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Parses the variables of `schema` from the environment once, validates them, and returns a frozen
 * object keyed by variable name. Throws ConfigError naming the first bad or unknown variable.
 */
export function loadConfig<S extends Schema>(schema: S, options: LoadOptions = {}): ConfigOf<S> {
  const env = options.env ?? process.env;
  rejectUnknown(schema, env, options.ownPrefix);
  const config: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      config[name] = variable.default;
      continue;
    }
    try {
      config[name] = variable.parse(raw);
    } catch (problem) {
      // Echo short values to help the operator; never echo long ones, which may be secrets pasted by mistake.
      const shown = raw.length <= 64 && !/secret|password|key|token|webhook|credential/i.test(name) ? `, got '${raw}'` : '';
      throw new ConfigError(name, `${problem instanceof Error ? problem.message : String(problem)}${shown}`);
    }
  }
  return Object.freeze(config) as ConfigOf<S>;
}

function rejectUnknown(schema: Schema, env: NodeJS.ProcessEnv, ownPrefix: string | undefined): void {
  const known = Object.keys(schema);
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('NETSIDECAR_') || name in schema || (buildTimeVariables as readonly string[]).includes(name)) continue;
    const ownsIt = ownPrefix !== undefined && name.startsWith(ownPrefix);
    const belongsToAnotherService = !ownsIt && servicePrefixes.some((prefix) => name.startsWith(prefix));
    if (belongsToAnotherService) continue;
    const suggestion = closest(name, known);
    throw new ConfigError(name, `unknown variable${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
  }
}

function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
