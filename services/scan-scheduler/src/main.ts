#!/usr/bin/env node
import { runService } from '@netsidecar/runtime';
import { scanVariables } from './config.js';
import { runPlanningRun, startWorker } from './service.js';

/**
 * `node dist/main.js worker` (default): the long-lived SQS consumer (ECS service).
 * `node dist/main.js plan`: one planning run (EventBridge Scheduler -> ECS RunTask), then exit 0.
 */
const command = process.argv[2] ?? 'worker';
if (command !== 'worker' && command !== 'plan') {
  process.stderr.write(`netsidecar-scan: unknown command '${command}' (expected worker or plan; local mode is dist/local.js)\n`);
  process.exit(2);
}

await runService({
  name: 'scan',
  schema: scanVariables,
  ownPrefix: 'NETSIDECAR_SCAN_',
  healthPort: (config) => config.NETSIDECAR_SCAN_HEALTH_PORT,
  start: async (context) => {
    if (command === 'worker') return startWorker(context);
    await runPlanningRun(context);
    // Done: the runtime's SIGTERM path drains the sink, closes the health server and exits 0. The
    // runtime installs its handler after start() returns and the health server listens: wait for it.
    const finish = (): void => {
      if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
      else setTimeout(finish, 10);
    };
    finish();
    return { stop: async () => {} };
  },
});
