import t from 'tap';
import { execFileSync } from 'node:child_process';
import type { Logger } from '@netsidecar/telemetry';
import { checkHeapLimit } from '../src/heap-check.js';

const MiB = 1024 * 1024;

function recordingLogger(): { logger: Logger; warnings: { msg: string; fields?: Record<string, unknown> }[] } {
  const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error: () => {},
    child: () => logger,
  };
  return { logger, warnings };
}

t.test('a heap limit that holds twice the sink memory limit and a working set passes quietly', async (t) => {
  const { logger, warnings } = recordingLogger();
  t.equal(checkHeapLimit(64 * MiB, logger, 192 * MiB), true);
  t.same(warnings, []);
});

t.test('a heap limit below what the sink may hold is a warning naming both settings and the figures', async (t) => {
  const { logger, warnings } = recordingLogger();
  t.equal(checkHeapLimit(256 * MiB, logger, 192 * MiB), false);
  t.equal(warnings.length, 1);
  t.match(warnings[0]!.msg, /--max-old-space-size.*NETSIDECAR_SINK_MEMORY_LIMIT/);
  t.same(warnings[0]!.fields, { heapLimitMb: 192, neededMb: 560, sinkMemoryLimitMb: 256 });
});

t.test('the default reads the real limit: a process started with --max-old-space-size=64 is warned for a 64 MiB sink', async (t) => {
  // The heap limit is fixed at process start, so this needs its own node process.
  const script = `import('${new URL('../src/heap-check.ts', import.meta.url).href}').then((m) => {
    const warnings = [];
    const logger = { debug() {}, info() {}, warn: (msg) => warnings.push(msg), error() {}, child() { return logger; } };
    console.log(JSON.stringify({ ok: m.checkHeapLimit(64 * 1024 * 1024, logger), warnings: warnings.length }));
  })`;
  const out = execFileSync(process.execPath, [...process.execArgv, '--max-old-space-size=64', '--input-type=module', '-e', script], { encoding: 'utf8' });
  t.same(JSON.parse(out.trim().split('\n').pop()!), { ok: false, warnings: 1 });
});
