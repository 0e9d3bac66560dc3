import { readFileSync } from 'node:fs';
import { ConfigError } from '@netsidecar/config';
import { globToRegExp } from './glob.js';

export type Role = 'upload' | 'read';

export interface Principal {
  name: string;
  salt: Buffer;
  hash: Buffer;
  /** Device globs as written, for logs and tests. */
  globs: string[];
  devices: RegExp[];
  roles: ReadonlySet<Role>;
}

/**
 * `principal:scrypt:<salt base64>:<hash base64>:<device globs>[:<roles>]`, one a line, `#` comments.
 * Roles: `upload` (default), `read`, or `upload,read`. A bad line stops the service at start
 * naming the line number, never its content (it holds a hash).
 */
export function parseUsers(text: string, variable = 'NETSIDECAR_UPLOAD_USERS_FILE'): Map<string, Principal> {
  const users = new Map<string, Principal>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (why: string): never => {
      throw new ConfigError(variable, `line ${index + 1}: ${why}`);
    };
    const fields = line.split(':');
    if (fields.length < 5 || fields.length > 6) fail('expected principal:scrypt:<salt>:<hash>:<globs>[:<roles>]');
    const [name = '', scheme, salt = '', hash = '', globText = '', roleText = 'upload'] = fields;
    if (!/^[A-Za-z0-9._@-]{1,128}$/.test(name)) fail('principal names are 1-128 of A-Z a-z 0-9 . _ @ -');
    if (scheme !== 'scrypt') fail("the only scheme is 'scrypt'");
    const isBase64 = (s: string) => /^[A-Za-z0-9+/]+={0,2}$/.test(s);
    if (!isBase64(salt) || !isBase64(hash) || Buffer.from(hash, 'base64').length !== 32) fail('salt and a 32-byte hash in base64 expected');
    const globs = globText
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    if (globs.length === 0) fail('at least one device glob expected (* for all)');
    const roles = new Set<Role>();
    for (const role of roleText.split(',').map((r) => r.trim())) {
      if (role !== 'upload' && role !== 'read') fail(`unknown role (upload or read)`);
      roles.add(role as Role);
    }
    if (users.has(name)) fail('principal listed twice');
    users.set(name, { name, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64'), globs, devices: globs.map(globToRegExp), roles });
  });
  return users;
}

export function loadUsers(path: string | null): Map<string, Principal> {
  if (path === null) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('NETSIDECAR_UPLOAD_USERS_FILE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseUsers(text);
}
