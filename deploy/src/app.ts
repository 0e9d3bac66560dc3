#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, PCIDSS321Checks } from 'cdk-nag';
import { DeployConfigError } from './config.js';
import { loadDeployConfig } from './load-config.js';
import { NetsidecarStack } from './stack.js';

/** The CDK app: `cdk synth` runs `node dist/app.js` (cdk.json builds first). */
export function buildApp(app = new App()): { app: App; stack: NetsidecarStack } {
  const config = loadDeployConfig({ config: app.node.tryGetContext('config'), netsidecar: app.node.tryGetContext('netsidecar') });
  const stack = new NetsidecarStack(app, config.stackName, { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new PCIDSS321Checks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    buildApp().app.synth();
  } catch (err) {
    if (err instanceof DeployConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
