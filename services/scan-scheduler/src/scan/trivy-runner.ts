import { spawn } from 'node:child_process';

export interface TrivyRunnerOptions {
  path: string;
  server: string | null;
  cacheDir: string | null;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** After `timeoutMs`, how long Trivy's own --timeout gets before the process is killed. */
  killGraceMs?: number;
}

export interface DbInfo {
  trivyVersion: string | null;
  dbUpdatedAt: string | null;
}

export class TrivyError extends Error {
  constructor(
    readonly code: 'trivy_failed' | 'trivy_timeout',
    message: string,
  ) {
    super(message);
    this.name = 'TrivyError';
  }
}

const maxReportBytes = 256 * 1024 * 1024; // 256 MiB: a huge image's report is tens of MiB
const stderrTailBytes = 2_048;

/** Runs the `trivy` executable; never through a shell (the image reference is an argument). */
export class TrivyRunner {
  constructor(private readonly options: TrivyRunnerOptions) {}

  /** `trivy image --format json --scanners vuln --image-src remote <repo@sha256:..>`: the report text. */
  async scan(imageRef: string): Promise<string> {
    const args = ['image', '--format', 'json', '--scanners', 'vuln', '--image-src', 'remote', '--quiet', '--timeout', `${Math.ceil(this.options.timeoutMs / 1000)}s`];
    if (this.options.server) args.push('--server', this.options.server);
    if (this.options.cacheDir) args.push('--cache-dir', this.options.cacheDir);
    args.push(imageRef);
    return this.run(args);
  }

  /** `trivy version --format json`: the DB the next scans use. Null fields when unknown. */
  async dbInfo(): Promise<DbInfo> {
    const args = ['version', '--format', 'json'];
    if (this.options.cacheDir) args.push('--cache-dir', this.options.cacheDir);
    try {
      const parsed = JSON.parse(await this.run(args)) as { Version?: unknown; VulnerabilityDB?: { UpdatedAt?: unknown } };
      const updatedAt = typeof parsed.VulnerabilityDB?.UpdatedAt === 'string' ? Date.parse(parsed.VulnerabilityDB.UpdatedAt) : NaN;
      return {
        trivyVersion: typeof parsed.Version === 'string' ? parsed.Version : null,
        dbUpdatedAt: Number.isNaN(updatedAt) ? null : new Date(updatedAt).toISOString(),
      };
    } catch {
      return { trivyVersion: null, dbUpdatedAt: null };
    }
  }

  private run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.options.env ?? process.env });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let timedOut = false;
      let tooLarge = false;
      const killAfter = this.options.timeoutMs + (this.options.killGraceMs ?? 5_000); // Trivy's own --timeout fires first; this catches a hung process
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, killAfter);
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
        reject(new TrivyError('trivy_failed', `cannot run ${this.options.path}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) return reject(new TrivyError('trivy_timeout', `trivy ${args[0]} killed after ${killAfter} ms`));
        if (tooLarge) return reject(new TrivyError('trivy_failed', `trivy output over ${maxReportBytes} bytes`));
        if (code !== 0) {
          const tail = lastLine(stderr);
          return reject(new TrivyError('trivy_failed', `trivy ${args[0]} exited ${code ?? signal}${tail ? `: ${tail}` : ''}`));
        }
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((line) => line.trim() !== '');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 300);
}
