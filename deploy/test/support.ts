import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../src/app.js';
import { DeployConfigError, parseDeployConfig } from '../src/config.js';
import type { NetsidecarStack } from '../src/stack.js';

export const deployDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(deployDir, '..');

/** The example inputs shipped in deploy/config/example.json (every option on). */
export function exampleConfig(): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(deployDir, 'config', 'example.json'), 'utf8')) as Record<string, unknown>;
  // Relative to the config file, as `-c config=config/example.json` reads it; the tests pass the object.
  if (typeof config['complianceRulesFile'] === 'string') config['complianceRulesFile'] = join(deployDir, 'config', config['complianceRulesFile']);
  return config;
}

export interface Synthesized {
  app: App;
  stack: NetsidecarStack;
  template: Template;
  /** Raw template JSON, for checks over every resource. */
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
}

/**
 * The app exactly as `cdk synth` builds it (cdk-nag AwsSolutions and PCI DSS 3.2.1 packs included:
 * synthesis throws on any unacknowledged finding), synthesized once per test file into a temp dir.
 */
export function synthesize(raw: Record<string, unknown>, t: { teardown(fn: () => void): void }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'netsidecar-cdk-'));
  t.teardown(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack } = buildApp(new App({ outdir, context: { netsidecar: raw } }));
  app.synth();
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as Synthesized['json'] };
}

export function resourcesOfType(json: Synthesized['json'], type: string): [string, Record<string, unknown>][] {
  return Object.entries(json.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The problems parseDeployConfig finds in `raw`, [] when it is valid. */
export function problems(raw: unknown): string[] {
  try {
    parseDeployConfig(raw);
  } catch (err) {
    if (err instanceof DeployConfigError) return err.problems;
    throw err;
  }
  return [];
}
