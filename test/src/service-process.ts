import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: where `services/<name>/src/main.ts` are found. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceProcess {
  child: ChildProcess;
  dataDir: string;
  /** The service's operational log lines (stderr JSON), parsed. */
  logs: Record<string, unknown>[];
  /** Everything the service printed on stdout (EMF metrics, stdout-sink events). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line whose `msg` is `msg` (or matches it); rejects if the service exits first. */
  waitForLog(msg: string | RegExp): Promise<Record<string, unknown>>;
  /** Sends `signal` (SIGTERM by default) and waits: the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface ServiceProcessOptions {
  /** Arguments after the script. */
  args?: string[];
  /** A process group of its own, as a terminal runs a command (signal it with `process.kill(-pid)`). */
  detached?: boolean;
}

/**
 * Starts a service's real main() as its own process, from source, with the same TypeScript loader
 * the test runs under (process.execArgv), so what runs is what `npm start` runs after a build.
 * `main` is relative to the repository root. The environment is this one without `NETSIDECAR_`,
 * `AWS_` and `ECS_` variables, plus a fresh data directory (removed at teardown) and `env`. A caller
 * that passes NETSIDECAR_DATA_DIR keeps it across restarts and cleans it up itself. At teardown the
 * process (and its group, when detached) is killed if it still runs.
 */
export async function startServiceProcess(
  t: { teardown(fn: () => unknown): void },
  main: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const ownDataDir = env.NETSIDECAR_DATA_DIR === undefined;
  const dataDir = env.NETSIDECAR_DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'netsidecar-e2e-')));
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_') && !k.startsWith('ECS_')),
  );
  const child = spawn(process.execPath, [...process.execArgv, join(repoRoot, main), ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...cleanEnv, NETSIDECAR_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const logs: Record<string, unknown>[] = [];
  const listeners: (() => void)[] = [];
  let stderrText = '';
  let partial = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrText += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* not JSON: kept in stderrText */
      }
    }
    for (const notify of listeners.splice(0)) notify();
  });
  let stdoutText = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdoutText += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  t.teardown(async () => {
    if (options.detached) {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: a launcher's services too
      } catch {
        /* the group is gone */
      }
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const matches = (msg: string | RegExp) => (line: Record<string, unknown>) => (typeof msg === 'string' ? line.msg === msg : msg.test(String(line.msg)));
  const waitForLog = async (msg: string | RegExp): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = logs.find(matches(msg));
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}) before logging ${String(msg)}: ${stderrText}`);
      await Promise.race([new Promise<void>((notify) => listeners.push(notify)), exited]);
    }
  };
  return {
    child,
    dataDir,
    logs,
    stderr: () => stderrText,
    stdout: () => stdoutText,
    waitForLog,
    exited,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
