import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isHashedFileBase, parseStreamNameFile, streamFileExtension, streamNameFileExtension, streamOfFileBase } from '@netsidecar/sink';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SpawnedService {
  child: ChildProcess;
  dataDir: string;
  /** The service's operational log lines (stderr JSON), parsed. */
  logs: Record<string, unknown>[];
  /** Everything the service printed on stdout (EMF metrics, stdout-sink events). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line whose `msg` is `msg`. */
  waitForLog(msg: string): Promise<Record<string, unknown>>;
  /** SIGTERM and wait: the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
  /** Events of a log group (`netsidecar/syslog`) in the file sink, by stream (as named by the sink's file names). */
  fileEvents(group: string): Promise<Map<string, Record<string, unknown>[]>>;
}

/**
 * Starts a service's real main() as its own process, from source, with the same TypeScript loader
 * tap gives this test (process.execArgv), so what runs is what `npm start` runs after a build.
 */
export async function spawnService(
  t: { teardown(fn: () => unknown): void },
  main: string,
  env: Record<string, string>,
  /** `args` after the script; `detached`: a process group of its own, as a terminal runs a command (signal it with `process.kill(-pid)`). */
  options: { args?: string[]; detached?: boolean } = {},
): Promise<SpawnedService> {
  // A caller that passes NETSIDECAR_DATA_DIR keeps it across restarts and cleans it up itself.
  const ownDataDir = env.NETSIDECAR_DATA_DIR === undefined;
  const dataDir = env.NETSIDECAR_DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'netsidecar-e2e-')));
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NETSIDECAR_') && !k.startsWith('AWS_')));
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

  const waitForLog = async (msg: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = logs.find((line) => line.msg === msg);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}) before logging '${msg}': ${stderrText}`);
      await Promise.race([new Promise<void>((notify) => listeners.push(notify)), exited]);
    }
  };
  const fileEvents = async (group: string) => {
    const dir = join(dataDir, 'logs', group);
    const byStream = new Map<string, Record<string, unknown>[]>();
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      if (!file.endsWith(streamFileExtension)) continue; // a hashed file's `.name`
      const lines = (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean);
      const base = file.slice(0, -streamFileExtension.length);
      const stream = isHashedFileBase(base) ? (parseStreamNameFile(await readFile(join(dir, base + streamNameFileExtension), 'utf8')) ?? base) : streamOfFileBase(base);
      byStream.set(stream, lines.map((line) => JSON.parse(line) as Record<string, unknown>));
    }
    return byStream;
  };
  return {
    child,
    dataDir,
    logs,
    stderr: () => stderrText,
    stdout: () => stdoutText,
    waitForLog,
    exited,
    fileEvents,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
