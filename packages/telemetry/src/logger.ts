/**
 * The services' own operational log: one JSON object per line on stderr, so that it never mixes
 * with events when the stdout sink is in use. Events go through a sink; this is for operators.
 *
 * Never pass secrets (passwords, keys, credentials, raw config) in `fields`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default. Tests pass an array collector. */
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
  now?: () => Date;
}

const noop = (): void => {};

export function createLogger(options: LoggerOptions = {}): Logger {
  const minimum = levelRank[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const bindings = options.bindings ?? {};

  // As pino does: a disabled level is a no-op function, not a check on every call.
  const at = (level: LogLevel) =>
    levelRank[level] < minimum
      ? noop
      : (msg: string, fields?: Record<string, unknown>) =>
          write(JSON.stringify({ time: now().toISOString(), level, ...bindings, msg, ...fields }, errorReplacer));

  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** A logger that says nothing: for tests and benchmarks that do not look at operational logs. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const coded = value as Error & { code?: unknown };
    return { name: value.name, message: value.message, ...(coded.code === undefined ? {} : { code: coded.code }) };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
