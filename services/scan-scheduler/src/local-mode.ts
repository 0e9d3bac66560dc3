/**
 * Local mode: one planning + scan cycle against a static inventory file, state in a JSON file,
 * `trivy` from PATH (or --trivy), events to the configured sink (file by default), and the coverage
 * report on stdout. README.md, "Commands". `local.ts` is the command; this is the cycle, callable
 * in-process by tests.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '@netsidecar/config';
import { serviceTable } from '@netsidecar/contracts';
import { openRuntime } from '@netsidecar/runtime';
import { scanVariables } from './config.js';
import { renderCoverageMarkdown, writeCoverage, buildCoverage } from './report/coverage-report.js';
import { StaticInventory } from './inventory/static-inventory.js';
import { inParallel, runPlan } from './plan/planner.js';
import { MemoryScanQueue } from './queue/scan-queue.js';
import { scanImage } from './scan/scan-image.js';
import { MemoryStateStore } from './state/memory-store.js';
import { coverageDir, plumbing, trivyRunner } from './wiring.js';

const usage = 'usage: node dist/local.js --inventory FILE [--state FILE] [--trivy PATH] [--json]';

export interface LocalIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** One local cycle; resolves with the exit code (0 ok, 1 a scan or the inventory failed, 2 usage/config). */
export async function runLocal(io: LocalIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: { inventory: { type: 'string' }, state: { type: 'string' }, trivy: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.inventory) {
    io.stderr(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  let runtime;
  try {
    runtime = await openRuntime({
      name: serviceTable.scan.name,
      schema: scanVariables,
      ownPrefix: serviceTable.scan.envPrefix,
      env: io.env,
      log: { write: (line) => io.stderr(line + '\n'), bindings: { mode: 'local' } },
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`netsidecar-scan local: ${err.message}\n`);
    return 2;
  }
  const { config, logger, registry, sink, logGroup } = runtime;
  const statePath = values.state ?? join(config.NETSIDECAR_DATA_DIR, 'scan-state.json');
  const store = await MemoryStateStore.load(statePath);
  let running = 0;
  const { events, metrics, notifier } = plumbing({ config, sink, logGroup, registry, store, running: () => running });
  const queue = new MemoryScanQueue();
  const trivy = trivyRunner(config, { ...(values.trivy ? { path: values.trivy } : {}), env: io.env });
  const plan = await runPlan({
    sources: [new StaticInventory(values.inventory)],
    store,
    queue,
    events,
    notifier,
    now: () => new Date(),
    // No queue outlives the process: what a run enqueued it has scanned or failed to scan, so the
    // next run may take a failed image again (its failed attempts are counted on the image).
    leaseMs: 0,
    maxEnqueue: config.NETSIDECAR_SCAN_MAX_ENQUEUE,
    maxAgeMs: config.NETSIDECAR_SCAN_MAX_AGE,
    dbRescanMinAgeMs: config.NETSIDECAR_SCAN_DB_RESCAN_MIN_AGE,
    trivyDb: () => trivy.dbInfo(),
  });
  if (plan.inventoryErrors > 0) logger.error('inventory file could not be read; see the error event');

  let failures = 0;
  await inParallel(queue.requests, config.NETSIDECAR_SCAN_CONCURRENCY, async (request) => {
    running++;
    try {
      const result = await scanImage(request, 1, {
        store,
        trivy,
        notifier,
        events,
        metrics,
        now: () => new Date(),
        ignoreFile: config.NETSIDECAR_SCAN_IGNORE_FILE,
      });
      if (result !== 'ok') failures++;
    } finally {
      running--;
    }
  });
  await store.save(statePath);

  const coverage = buildCoverage(await store.listImages(), plan.coverage.unpinned, new Date(), config.NETSIDECAR_SCAN_MAX_AGE);
  const files = await writeCoverage(coverageDir(config), coverage);
  io.stdout(values.json ? JSON.stringify(coverage, null, 2) + '\n' : renderCoverageMarkdown(coverage));
  logger.info('local cycle done', { scanned: queue.requests.length, failures, state: statePath, coverage: files.markdown });
  await sink.close(Date.now() + config.NETSIDECAR_SHUTDOWN_DEADLINE);
  return failures > 0 || plan.inventoryErrors > 0 ? 1 : 0;
}
