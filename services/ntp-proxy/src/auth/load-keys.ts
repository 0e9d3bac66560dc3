import { readFileSync } from 'node:fs';
import { ConfigError } from '@netsidecar/config';
import { KeyFileError, parseKeyFile } from './key-file.js';
import { KeyRing } from './key-ring.js';

/** Where the keys come from: a file (a mounted secret), or the text itself (an ECS secret variable). */
export interface KeySources {
  file: string | null;
  text: string | null;
}

/**
 * NETSIDECAR_NTP_KEYS_FILE or NETSIDECAR_NTP_KEYS, read at start; a problem stops the start with
 * one line naming the variable and the line, never the key.
 */
export function loadKeys(sources: KeySources): KeyRing | null {
  if (sources.file !== null && sources.text !== null) {
    throw new ConfigError('NETSIDECAR_NTP_KEYS', 'set either NETSIDECAR_NTP_KEYS or NETSIDECAR_NTP_KEYS_FILE, not both');
  }
  if (sources.text !== null) {
    // A secret stored as one line (a console text box) separates keys with ';'.
    return parse('NETSIDECAR_NTP_KEYS', 'value', sources.text.replace(/;/g, '\n'));
  }
  const file = sources.file;
  if (file === null) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('NETSIDECAR_NTP_KEYS_FILE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parse('NETSIDECAR_NTP_KEYS_FILE', file, text);
}

function parse(variable: string, where: string, text: string): KeyRing {
  try {
    return new KeyRing(parseKeyFile(text));
  } catch (err) {
    if (err instanceof KeyFileError) throw new ConfigError(variable, `${where}: ${err.message}`);
    throw err;
  }
}
