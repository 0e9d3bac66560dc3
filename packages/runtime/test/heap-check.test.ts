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

t.test('the default reads the real limit of the process it runs in', async (t) => {
  // The heap limit is fixed at process start, so this needs its own node process. What V8 makes of
  // --max-old-space-size=64 differs between Node versions (112 MiB on 22, 256 MiB on 24: the young
  // generation counts), so the child reports the limit it got and the sink sizes are set from it.
  const script = `Promise.all([import('node:v8'), import('${new URL('../src/heap-check.ts', import.meta.url).href}')]).then(([v8, m]) => {
    const limit = v8.getHeapStatistics().heap_size_limit;
    const warnings = [];
    const logger = { debug() {}, info() {}, warn: (msg, fields) => warnings.push(fields), error() {}, child() { return logger; } };
    const tooBig = m.checkHeapLimit(limit / 2, logger);
    const small = m.checkHeapLimit(1024 * 1024, logger);
    console.log(JSON.stringify({ limitMb: Math.round(limit / 1024 / 1024), tooBig, small, warnings }));
  })`;
  const out = execFileSync(process.execPath, [...process.execArgv, '--max-old-space-size=64', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop()!) as { limitMb: number; tooBig: boolean; small: boolean; warnings: { heapLimitMb: number }[] };
  t.ok(result.limitMb < 512, `the child runs with a small heap (${result.limitMb} MiB), not the machine default`);
  t.equal(result.tooBig, false, 'a sink allowed half the heap is warned: it may hold twice its limit in UTF-16');
  t.equal(result.small, true, 'a 1 MiB sink fits');
  t.equal(result.warnings.length, 1);
  t.equal(result.warnings[0]!.heapLimitMb, result.limitMb, 'the warning names the limit the process really has');
});
