import { getHeapStatistics } from 'node:v8';
import type { Logger } from '@netsidecar/telemetry';

/** Room the service needs beside what the sink holds: parsers, sockets, buffers in flight. */
const workingSetBytes = 48 * 1024 * 1024;

/**
 * The sink holds up to its memory limit before it refuses (or spools), as JS strings: counted in
 * UTF-16 units by the file sink, so up to twice the limit in bytes. A heap limit below that
 * (NODE_OPTIONS=--max-old-space-size, set by the images) would turn a CloudWatch outage or a flood
 * into an out-of-memory crash, so it is said at start, where it can be fixed.
 */
export function checkHeapLimit(sinkMemoryLimitBytes: number, logger: Logger, heapLimitBytes = getHeapStatistics().heap_size_limit): boolean {
  const needed = 2 * sinkMemoryLimitBytes + workingSetBytes;
  if (heapLimitBytes >= needed) return true;
  logger.warn('the V8 heap limit is below what the sink may hold: raise --max-old-space-size or lower NETSIDECAR_SINK_MEMORY_LIMIT', {
    heapLimitMb: Math.round(heapLimitBytes / 1024 / 1024),
    neededMb: Math.round(needed / 1024 / 1024),
    sinkMemoryLimitMb: Math.round(sinkMemoryLimitBytes / 1024 / 1024),
  });
  return false;
}
