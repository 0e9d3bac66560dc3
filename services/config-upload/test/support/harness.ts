// The real upload service on 127.0.0.1, port 0, with a file sink and a file store in a temporary
// directory, a users file with five principals, and an in-memory operational log.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonVariables, loadConfig } from '@netsidecar/config';
import { FileSink, type Sink } from '@netsidecar/sink';
import { Readiness, createLogger, createRegistry, type Logger } from '@netsidecar/telemetry';
import { hashPassword, startConfigUploadService, uploadVariables, type RunningUpload, type UploadServiceOptions } from '@netsidecar/config-upload';

export const users = {
  router: { name: 'rtr-upload', password: 'R0uter-Upl0ad-Pa55' },
  auditor: { name: 'auditor', password: 'Aud1t-0nly-Pa55' },
  lab: { name: 'lab-bot', password: 'Lab-B0t-Pa55' },
  /** Bound to one device, `rtr-solo-1`: every upload it makes is that router's. */
  solo: { name: 'solo-bot', password: 'S0lo-B0t-Pa55' },
  /** Reads the lab devices only. */
  labReader: { name: 'lab-reader', password: 'Lab-R3ader-Pa55' },
} as const;

/** The redaction key of every test: a test can compute the tag of a planted secret. */
export const redactionKey = 'test-redaction-key-0123456789abcdef';

let usersFileText: Promise<string> | undefined;
function usersFile(): Promise<string> {
  usersFileText ??= (async () => {
    const line = async (u: { name: string; password: string }, globs: string, roles: string) => {
      const { salt, hash } = await hashPassword(u.password);
      return `${u.name}:scrypt:${salt}:${hash}:${globs}:${roles}`;
    };
    return [
      '# test principals',
      await line(users.router, 'rtr-*,fw-*,mt-*,sw-*,edge*,xr-*,nx-*,rtr_*,rtr-upload', 'upload'),
      await line(users.auditor, '*', 'read'),
      await line(users.lab, 'lab-*', 'upload'),
      await line(users.solo, 'rtr-solo-1', 'upload'),
      await line(users.labReader, 'lab-*', 'read'),
      '',
    ].join('\n');
  })();
  return usersFileText;
}

export interface TestUpload {
  service: RunningUpload;
  url: string;
  dataDir: string;
  sink: Sink;
  /** The service's metrics registry (what GET /metrics shows). */
  registry: ReturnType<typeof createRegistry>;
  logs: Record<string, unknown>[];
  /** Raw text of every operational log line, for "no secret anywhere" checks. */
  logText(): string;
  /** Events of one device stream (or of every stream), parsed. */
  events(stream?: string): Promise<Record<string, unknown>[]>;
  /** Every byte the service wrote under the data dir (sink output and store), as text. */
  everythingWritten(): Promise<string>;
  /** Files in the store (relative paths). */
  storedFiles(): Promise<string[]>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Makes the service's sink instead of the default file sink (`events()` then reads nothing). */
export type SinkFactory = (dataDir: string, registry: ReturnType<typeof createRegistry>, logger: Logger) => Promise<Sink>;

export async function startTestUpload(
  t: Teardown,
  env: Record<string, string> = {},
  options: UploadServiceOptions = {},
  makeSink?: SinkFactory,
): Promise<TestUpload> {
  const dataDir = await mkdtemp(join(tmpdir(), 'netsidecar-upload-'));
  let cleanup = () => rm(dataDir, { recursive: true, force: true });
  t.teardown(() => cleanup());
  await writeFile(join(dataDir, 'users'), await usersFile(), { mode: 0o600 });
  await writeFile(join(dataDir, 'redaction.key'), redactionKey, { mode: 0o600 });
  const config = loadConfig(
    { ...commonVariables, ...uploadVariables },
    {
      ownPrefix: 'NETSIDECAR_UPLOAD_',
      env: {
        NETSIDECAR_DATA_DIR: dataDir,
        NETSIDECAR_UPLOAD_BIND_ADDRESS: '127.0.0.1',
        NETSIDECAR_UPLOAD_PORT: '0',
        NETSIDECAR_UPLOAD_HEALTH_PORT: '0',
        NETSIDECAR_UPLOAD_USERS_FILE: join(dataDir, 'users'),
        NETSIDECAR_UPLOAD_REDACTION_KEY_FILE: join(dataDir, 'redaction.key'),
        NETSIDECAR_UPLOAD_RATE_LIMIT: '0',
        ...env,
      },
    },
  );
  const registry = createRegistry('config');
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      lines.push(line);
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const sink = makeSink
    ? await makeSink(dataDir, registry, logger)
    : new FileSink({ dataDir, registry, logger, memoryLimitBytes: config.NETSIDECAR_SINK_MEMORY_LIMIT });
  const service = await startConfigUploadService({ config, logger, registry, readiness: new Readiness(), sink, logGroup: '/netsidecar/config' }, options);
  cleanup = async () => {
    await service.stop();
    await sink.close(Date.now() + 2_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  const logDir = join(dataDir, 'logs', 'netsidecar', 'config');
  const readTree = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  };
  return {
    service,
    url: `http://127.0.0.1:${service.port}`,
    dataDir,
    sink,
    registry,
    logs,
    logText: () => lines.join('\n'),
    events: async (stream) => {
      await sink.flush();
      const files = stream === undefined ? (await readdir(logDir).catch(() => [])).map((f) => join(logDir, f)) : [join(logDir, `${stream}.jsonl`)];
      const out: Record<string, unknown>[] = [];
      for (const file of files) {
        const text = await readFile(file, 'utf8').catch(() => '');
        for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as Record<string, unknown>);
      }
      return out;
    },
    everythingWritten: async () => {
      await sink.flush();
      let all = '';
      for (const file of await readTree(dataDir)) {
        if (file.endsWith('/users') || file.endsWith('/redaction.key')) continue;
        all += await readFile(file, 'utf8');
      }
      return all;
    },
    storedFiles: async () => {
      const root = join(dataDir, 'config-upload', 'store');
      return (await readTree(root)).map((f) => f.slice(root.length + 1)).sort();
    },
  };
}

export interface CurlResult {
  status: number;
  body: string;
  json: Record<string, unknown> | null;
  headers: string;
}

/** Runs the real curl; `-sS`, headers and status captured. Never throws on an HTTP error status. */
export function curl(args: string[], stdin?: string | Buffer): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'curl',
      ['-sS', '--max-time', '30', '-D', '-', '-o', '-', ...args],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const text = stdout.toString('utf8');
        // Headers (after any 100 Continue block), then the body.
        const headerEnd = text.search(/\r\n\r\n(?!HTTP\/)/);
        if (headerEnd === -1) {
          if (err) return reject(new Error(`curl failed: ${stderr.toString()}`));
          return reject(new Error('curl gave no response'));
        }
        const headers = text.slice(0, headerEnd);
        const body = text.slice(headerEnd + 4);
        const statuses = [...headers.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)];
        const status = Number(statuses[statuses.length - 1]?.[1] ?? 0);
        let json: Record<string, unknown> | null;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = null;
        }
        resolve({ status, body, json, headers });
      },
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

export const fixturesDir = new URL('../fixtures/', import.meta.url).pathname;
