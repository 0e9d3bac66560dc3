#!/usr/bin/env node
import { serviceTable } from '@netsidecar/contracts';
import { runJob, runService } from '@netsidecar/runtime';
import { scanVariables } from './config.js';
import { runPlanningRun, startWorker } from './service.js';

/**
 * `node dist/main.js worker` (default): the long-lived SQS consumer (ECS service), health and
 * metrics on NETSIDECAR_SCAN_HEALTH_PORT.
 * `node dist/main.js plan`: one planning run (EventBridge Scheduler -> ECS RunTask) as a one-shot
 * job: no health port (README.md, "Commands"), exit 0 when the run finished, 1 when it could not run.
 */
const command = process.argv[2] ?? 'worker';
if (command !== 'worker' && command !== 'plan') {
  process.stderr.write(`netsidecar-scan: unknown command '${command}' (expected worker or plan; local mode is dist/local.js)\n`);
  process.exit(2);
}

const definition = { name: serviceTable.scan.name, schema: scanVariables, ownPrefix: serviceTable.scan.envPrefix };
if (command === 'plan') {
  await runJob({ ...definition, run: (runtime) => runPlanningRun(runtime) });
} else {
  await runService({ ...definition, healthPort: (config) => config.NETSIDECAR_SCAN_HEALTH_PORT, start: (context) => startWorker(context) });
}
