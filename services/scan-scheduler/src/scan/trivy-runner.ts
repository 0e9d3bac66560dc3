import { spawn } from 'node:child_process';
import { CodedError, type CodedErrorOptions } from '@netsidecar/config';

export interface TrivyRunnerOptions {
  path: string;
  server: string | null;
  cacheDir: string | null;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** After `timeoutMs`, how long Trivy's own --timeout gets before the process is killed. */
  killGraceMs?: number;
  /** How long asking Trivy (or its server) for the DB version may take; 30 s by default. */
  versionTimeoutMs?: number;
}

/** The Trivy and DB versions Trivy reports; `dbUpdatedAt` is null when it has no DB yet. */
export interface DbInfo {
  trivyVersion: string | null;
  dbUpdatedAt: string | null;
  /** `server` (the server's `GET /version`) or `trivy` (`trivy version --format json`). */
  source: 'server' | 'trivy';
}

export class TrivyError extends CodedError<'trivy_failed' | 'trivy_timeout'> {
  constructor(code: 'trivy_failed' | 'trivy_timeout', message: string, options?: CodedErrorOptions) {
    super(code, message, options);
  }
}

const maxReportBytes = 256 * 1024 * 1024; // 256 MiB: a huge image's report is tens of MiB
const stderrTailBytes = 2_048;
const defaultVersionTimeoutMs = 30_000; // `trivy version` reads a local file; the server answers from memory

/**
 * Trivy's own `--timeout` expired: its context's deadline passes, `main()` logs the error chain as
 * `FATAL ... context deadline exceeded` (always, even with --quiet) after a WARN "Provide a higher
 * timeout value" (not with --quiet), and exits 1. Go's HTTP client timeout also says "context
 * deadline exceeded", followed by "(Client.Timeout exceeded ...)": a registry that does not answer,
 * not a scan that ran out of time.
 */
export function isTrivyTimeout(stderr: string): boolean {
  if (stderr.includes('Provide a higher timeout value')) return true;
  return stderr.includes('context deadline exceeded') && !stderr.includes('Client.Timeout exceeded');
}

/** `trivy version --format json` and the server's `GET /version` answer the same JSON. */
export function parseVersionInfo(text: string, source: DbInfo['source']): DbInfo {
  let parsed: { Version?: unknown; VulnerabilityDB?: { UpdatedAt?: unknown } | null };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new TrivyError('trivy_failed', `trivy ${source === 'server' ? 'server /version' : 'version'}: not JSON`);
  }
  const updatedAt = typeof parsed?.VulnerabilityDB?.UpdatedAt === 'string' ? Date.parse(parsed.VulnerabilityDB.UpdatedAt) : NaN;
  return {
    trivyVersion: typeof parsed?.Version === 'string' ? parsed.Version : null,
    dbUpdatedAt: Number.isNaN(updatedAt) ? null : new Date(updatedAt).toISOString(),
    source,
  };
}

/** Runs the `trivy` executable; never through a shell (the image reference is an argument). */
export class TrivyRunner {
  constructor(private readonly options: TrivyRunnerOptions) {}

  /** `trivy image --format json --scanners vuln --image-src remote <repo@sha256:..>`: the report text. */
  async scan(imageRef: string): Promise<string> {
    const args = [
      'image',
      '--format',
      'json',
      '--scanners',
      'vuln',
      '--image-src',
      'remote',
      '--quiet',
      '--timeout',
      `${Math.ceil(this.options.timeoutMs / 1000)}s`,
    ];
    if (this.options.server) args.push('--server', this.options.server);
    if (this.options.cacheDir) args.push('--cache-dir', this.options.cacheDir);
    args.push(imageRef);
    // Trivy's own --timeout fires first; the kill catches a process that hangs past it.
    return this.run(args, this.options.timeoutMs + (this.options.killGraceMs ?? 5_000));
  }

  /**
   * The DB the next scans use. In client mode that is the server's: its `GET /version` (Trivy
   * >= 0.45, no token needed), the URL resolved against the server address as Trivy's client does.
   * Standalone: `trivy version --format json [--cache-dir]`, which reads the local DB's metadata.
   * Throws a TrivyError when Trivy cannot be asked; `dbUpdatedAt` is null when it has no DB yet.
   */
  async dbInfo(): Promise<DbInfo> {
    const timeoutMs = this.options.versionTimeoutMs ?? defaultVersionTimeoutMs;
    if (this.options.server) {
      const url = new URL('version', this.options.server);
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        throw new TrivyError(
          timedOut ? 'trivy_timeout' : 'trivy_failed',
          `trivy server ${url.href}: ${timedOut ? `no answer in ${timeoutMs} ms` : causeOf(err)}`,
          { cause: err },
        );
      }
      const text = await response.text();
      if (!response.ok) throw new TrivyError('trivy_failed', `trivy server ${url.href} answered ${response.status}`);
      return parseVersionInfo(text, 'server');
    }
    const args = ['version', '--format', 'json'];
    if (this.options.cacheDir) args.push('--cache-dir', this.options.cacheDir);
    return parseVersionInfo(await this.run(args, timeoutMs), 'trivy');
  }

  private run(args: string[], killAfterMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env ?? process.env });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let killed = false;
      let tooLarge = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killAfterMs);
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxReportBytes) {
          tooLarge = true;
          child.kill('SIGKILL');
          return;
        }
        chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-stderrTailBytes);
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new TrivyError('trivy_failed', `cannot run ${this.options.path}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (killed) return reject(new TrivyError('trivy_timeout', `trivy ${args[0]} killed after ${killAfterMs} ms`));
        if (tooLarge) return reject(new TrivyError('trivy_failed', `trivy output over ${maxReportBytes} bytes`));
        if (code !== 0) {
          const tail = lastLine(stderr);
          const detail = `trivy ${args[0]} exited ${code ?? signal}${tail ? `: ${tail}` : ''}`;
          return reject(new TrivyError(isTrivyTimeout(stderr) ? 'trivy_timeout' : 'trivy_failed', detail));
        }
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  const line = (lines[lines.length - 1] ?? '').trim();
  // Go error chains end with the root cause: keep the end of a long line.
  return line.length > 300 ? `…${line.slice(-299)}` : line;
}

/** fetch() says "fetch failed" and puts the reason (ECONNREFUSED, ...) in `cause`. */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
