// Which core runs what in the throughput runs. The server under test gets core 1 (its every thread:
// "one core" is then literally true for Node, whose GC helpers would otherwise spread to the other
// core), and the load generator core 0, where on loopback the kernel also carries the request's
// receive path. Without taskset, or on a single core, nothing is pinned. The accuracy runs pin
// nothing: a pinned server cannot move away from another process that happens to run on its core,
// and that waiting, not the server, would be measured.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { cpus } from 'node:os';

function findTaskset() {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/bin'])) {
    try {
      accessSync(`${dir}/taskset`, constants.X_OK);
      return `${dir}/taskset`;
    } catch {
      // not here
    }
  }
  return null;
}

const taskset = findTaskset();

/** `{ server, clients }` core numbers, or null when nothing is pinned. */
export const cpuPlan = taskset && cpus().length >= 2 ? { server: 1, clients: 0 } : null;

/** Moves every thread of the running process `pid` to core `cpu` (no plan: nothing happens). */
export function pinProcess(pid, cpu) {
  if (!cpuPlan) return;
  execFileSync(taskset, ['-a', '-c', '-p', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** `command args` run on `cpu` (null or no plan: unpinned), as a [command, args] pair for spawn. */
export function pinned(cpu, command, args) {
  if (cpu === null || cpu === undefined || !cpuPlan) return [command, args];
  return [taskset, ['-c', String(cpu), command, ...args]];
}
