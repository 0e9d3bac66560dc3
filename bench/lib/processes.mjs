// Every child the benchmarks start goes through `start()`, so that one exit handler can kill them
// all, by pid, when the bench ends, fails or is interrupted: no service or rsyslogd outlives a run.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const children = new Set();

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts `command` and keeps its stdout and stderr (last 1 MiB each). `onStderrLine` sees each
 * stderr line as it arrives (the services log JSON lines there). With `ipc`, a Node child gets
 * an IPC channel (`child.send`, `process.send`).
 */
export function start(command, args, { env, cwd, onStderrLine, onStdoutLine, ipc = false } = {}) {
  const stdio = ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(command, args, { env: env ?? process.env, cwd, stdio });
  children.add(child);
  const output = { stdout: '', stderr: '' };
  const collect = (name, onLine) => {
    let partial = '';
    child[name].setEncoding('utf8');
    child[name].on('data', (text) => {
      output[name] = (output[name] + text).slice(-1024 * 1024);
      if (!onLine) return;
      partial += text;
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        onLine(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    });
  };
  collect('stdout', onStdoutLine);
  collect('stderr', onStderrLine);
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      children.delete(child);
      resolve({ code: -1, signal: null, error: err });
    });
  });
  return {
    pid: child.pid,
    child,
    output,
    exited,
    /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. */
    async stop(signal = 'SIGTERM', graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Runs `command` to completion and returns its stdout; throws with stderr on a non-zero exit. */
export async function run(command, args, options = {}) {
  const proc = start(command, args, options);
  const { code, signal, error } = await proc.exited;
  if (error) throw error;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code ?? signal}: ${proc.output.stderr.trim()}`);
  return proc.output.stdout;
}

/** Fields of /proc/<pid>/status in kB (VmRSS, VmHWM), or null when the process is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null;
  }
}

const clockTicks = 100; // USER_HZ on Linux

/** User + system CPU seconds used by `pid` so far (its threads included), or null. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}

/**
 * Scheduler times of every thread of `pid`, in seconds: on a CPU, and runnable but waiting for one
 * (/proc/<pid>/task/<tid>/schedstat): Map<tid, { onCpu, waiting }>, empty when the process is gone.
 */
export function threadsSchedOf(pid) {
  const threads = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
      threads.set(Number(tid), { onCpu: onCpu / 1e9, waiting: waiting / 1e9 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/**
 * Between two threadsSchedOf() snapshots, as fractions of `seconds`: the main thread's time on a CPU
 * and runnable-but-waiting for one, and the busiest other thread's (by time on a CPU). A thread near
 * 1 on a CPU is saturated; a large "waiting" share means the machine's cores were all taken.
 */
export function threadBusy(pid, before, after, seconds) {
  const main = { onCpu: 0, waiting: 0 };
  const other = { onCpu: 0, waiting: 0 };
  for (const [tid, end] of after) {
    const start = before.get(tid) ?? { onCpu: 0, waiting: 0 };
    const share = { onCpu: (end.onCpu - start.onCpu) / seconds, waiting: (end.waiting - start.waiting) / seconds };
    if (tid === pid) Object.assign(main, share);
    else if (share.onCpu > other.onCpu) Object.assign(other, share);
  }
  return { main, other };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
