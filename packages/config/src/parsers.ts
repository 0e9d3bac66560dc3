/**
 * Value parsers for environment variables. Each returns the parsed value or throws an Error whose
 * message says what was expected; `loadConfig` turns that into a ConfigError naming the variable.
 */
export type Parser<T> = (raw: string) => T;

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer from ${min} to ${max}`);
    const value = Number(raw.trim());
    if (value < min || value > max) throw new Error(`expected an integer from ${min} to ${max}`);
    return value;
  };
}

/** A TCP/UDP port; 0 means "pick a free port" (tests). */
export const port: Parser<number> = integer(0, 65535);

export function oneOf<const T extends readonly string[]>(choices: T): Parser<T[number]> {
  return (raw) => {
    const value = raw.trim();
    if (!(choices as readonly string[]).includes(value)) throw new Error(`expected one of ${choices.join(', ')}`);
    return value;
  };
}

export const text: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new Error('expected a non-empty value');
  return raw.trim();
};

export const boolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new Error('expected true or false');
};

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`: a unit is required so that nobody guesses between ms and s. */
export function duration(minMs = 0, maxMs = 7 * 24 * 3_600_000): Parser<number> {
  return (raw) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
    if (!match) throw new Error('expected a duration with a unit, like 500ms, 30s, 5m or 1h');
    const ms = Math.round(Number(match[1]) * durationUnits[match[2]!]!);
    if (ms < minMs || ms > maxMs) throw new Error(`expected a duration from ${minMs}ms to ${maxMs}ms`);
    return ms;
  };
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };

/** `65536`, `64KiB`, `16MiB`, `2GiB` (and decimal kB/MB/GB). */
export function byteSize(min = 0, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
    const unit = sizeUnits[(match?.[2] ?? '').toLowerCase()];
    if (!match || unit === undefined) throw new Error('expected a size like 65536, 64KiB, 16MiB or 2GiB');
    const bytes = Math.round(Number(match[1]) * unit);
    if (bytes < min || bytes > max) throw new Error(`expected a size from ${min} to ${max} bytes`);
    return bytes;
  };
}
