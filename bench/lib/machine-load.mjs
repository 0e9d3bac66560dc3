// Other work on the machine (builds, test runs) steals CPU from a 2-core benchmark and turns into
// "loss" that is not the receiver's. So each step waits for a quiet machine first, and measures the
// CPU that others used during it ("background"), which the results show beside every figure.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsOf, sleep } from './processes.mjs';

const clockTicks = 100; // USER_HZ

/** CPU seconds the whole machine was busy (all cores; iowait counts as idle). */
function machineBusySeconds() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks;
}

/**
 * CPU of the kernel's softirq threads: on loopback they do part of the receive path of OUR
 * datagrams when the sender's own context cannot, so they are not background.
 */
function softirqThreadSeconds() {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let comm;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      continue;
    }
    if (comm.startsWith('ksoftirqd')) sum += cpuSecondsOf(Number(pid)) ?? 0;
  }
  return sum;
}

function selfSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function loadSnapshot() {
  return { at: performance.now(), busy: machineBusySeconds(), softirq: softirqThreadSeconds(), self: selfSeconds() };
}

/**
 * Cores used by other processes between two snapshots, given the CPU seconds our own children
 * (receiver, sender) used meanwhile.
 */
export function backgroundCores(before, after, ourChildrenSeconds) {
  const wall = (after.at - before.at) / 1000;
  const others = after.busy - before.busy - (after.softirq - before.softirq) - (after.self - before.self) - ourChildrenSeconds;
  return Math.max(0, others / wall);
}

let waitedMs = 0;
const maxWaitPerCallMs = 20_000; // 20 s at most per step...
const maxWaitTotalMs = 90_000; // ...and 90 s in a whole run, so the run stays bounded

/**
 * Waits until the machine is quiet: less than `threshold` cores busy over a 1 s window (our own
 * process included, which is idle while it waits). Gives up after the budgets above. Returns the
 * cores busy in the last window.
 */
export async function waitForQuietMachine(threshold = 0.15) {
  const start = performance.now();
  for (;;) {
    const a = loadSnapshot();
    await sleep(1_000);
    const b = loadSnapshot();
    const cores = (b.busy - a.busy) / ((b.at - a.at) / 1000);
    const waited = performance.now() - start;
    if (cores < threshold || waited >= maxWaitPerCallMs || waitedMs + waited >= maxWaitTotalMs) {
      waitedMs += waited;
      return cores;
    }
  }
}

export function totalQuietWaitSeconds() {
  return waitedMs / 1000;
}
