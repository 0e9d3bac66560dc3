import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@netsidecar/config';

/**
 * The HMAC key of the redaction tags. In AWS it comes from Secrets Manager as a file
 * (NETSIDECAR_UPLOAD_REDACTION_KEY_FILE) shared by every task, so tags agree across tasks and
 * restarts. Without it, one is generated once under the data dir (local use): tags must stay stable
 * across restarts, or every upload after a restart would look changed.
 */
export function loadRedactionKey(file: string | null, dataDir: string): { key: Buffer; origin: 'file' | 'generated' | 'data-dir' } {
  if (file !== null) {
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch (err) {
      throw new ConfigError('NETSIDECAR_UPLOAD_REDACTION_KEY_FILE', `cannot read the key file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    const trimmed = Buffer.from(key.toString('latin1').trim(), 'latin1');
    if (trimmed.length < 16) throw new ConfigError('NETSIDECAR_UPLOAD_REDACTION_KEY_FILE', 'the key must be at least 16 bytes');
    return { key: trimmed, origin: 'file' };
  }
  const path = join(dataDir, 'config-upload', 'redaction.key');
  try {
    return { key: readFileSync(path), origin: 'data-dir' };
  } catch {
    const key = randomBytes(32);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
    return { key, origin: 'generated' };
  }
}
