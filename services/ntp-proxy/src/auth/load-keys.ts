import { readFileSync } from 'node:fs';
import { ConfigError } from '@netsidecar/config';
import { KeyFileError, parseKeyFile } from './key-file.js';
import { KeyRing } from './key-ring.js';

/** NETSIDECAR_NTP_KEYS_FILE read at start; a problem stops the start with one line (never the key). */
export function loadKeys(file: string | null): KeyRing | null {
  if (file === null) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('NETSIDECAR_NTP_KEYS_FILE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return new KeyRing(parseKeyFile(text));
  } catch (err) {
    if (err instanceof KeyFileError) throw new ConfigError('NETSIDECAR_NTP_KEYS_FILE', `${file}: ${err.message}`);
    throw err;
  }
}
