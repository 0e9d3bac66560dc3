/**
 * Words that announce a secret in any vendor's syntax: the value after them (`password X`,
 * `key 7 X`, `community X`), or after `=` (`secret=X`, `-cvauth=key,X`, `DC1.auth=key,X`). Used by
 * the safety net (pass 2) and by argument-string scanning. Deliberately wide: a word here that is
 * followed by a value no rule classified makes that value redacted and reported.
 *
 * Compound words (parts joined by `-`, `_` or `.`) are read as compound nouns are, by their last
 * part: `auth-password`, `_backup_pass`, `tacacs-secret`, `hex-key`, `DC1.auth` name a secret;
 * `password-policy`, `passwd-time`, `password-memory`, `key-management`, `secret-zone`,
 * `SECRET-ROUTES-IN` name a setting or a thing. A last part that only says how or which
 * (`-encrypted`, `-string`, `-remote`, a digit, `-l2`) is skipped: `auth-password-encrypted`,
 * `key-string`, `passwd1`, `auth-password-l1` are secrets. A strong part (`password`, `secret`,
 * `psk`...) anywhere names a secret unless the last part names a setting. Algorithm words
 * (`md5`, `ah-md5`, `keyed-sha1`, `hmac-sha-256`, `aes-cbc`) announce the key that follows them.
 */
const exact = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'secret',
  'secrets',
  'key',
  'community',
  'psk',
  'psksecret',
  'md5',
  'sha',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha-1',
  'sha-224',
  'sha-256',
  'sha-384',
  'sha-512',
  'auth',
  'authentication',
  'authkey',
  'priv',
  'privacy',
  'key-string',
  'keystring',
  'private-key',
  'privatekey',
  'pre-shared-key',
  'preshared-key',
  'pre-shared',
  'psk-key',
  'credential',
  'credentials',
  'phash',
  'hash-password',
  'cvauth',
  'ingestauth',
  'api-key',
  'apikey',
  'auth-string',
  'trap-group',
  'server-key',
  'nthash',
  'authpwd',
  'privpwd',
  'community-name',
  'community-string',
  'snmp-community-string',
]);

/** Compound words ending in a secret noun that name something public, an index or a mode, not a secret. */
const notSecret = new Set([
  'public-key',
  'trusted-key',
  'ssh-key',
  'host-key',
  'route-key',
  'rsa-key',
  'ca-key',
  'proxy-ca-key',
  'sort-key',
  'named-key',
  'send-key',
  'primary-key',
  'transmit-key',
  'auto-key',
  'manual-key',
  'symmetric-key',
  'no-key',
  'extended-community',
  'large-community',
  'ext-community',
  'send-community',
  'no-password',
  'bypass',
]);

/** The last part names the secret (`*-password`, `*_pass`, `*.auth`, `*-key`, `*-community`). */
const nouns = new Set(['password', 'passwd', 'pwd', 'pass', 'secret', 'secrets', 'passphrase', 'key', 'psk', 'community', 'credential', 'credentials', 'auth']);
/** Anywhere in a compound, these name a secret unless the last part names a setting (`psksecret-remote`, `auth-password-l1`). */
const strong = /password|passwd|pwd|secret|passphrase|psk/;
/**
 * A last part that names a setting about secrets, not a secret: `password-policy`, `passwd-time`,
 * `password-memory`, `secret-zone`, `RM-SECRET-TENANT-OUT`.
 */
const settings = new Set([
  'policy',
  'length',
  'encryption',
  'recovery',
  'prompt',
  'expire',
  'expiry',
  'expiration',
  'change',
  'complexity',
  'history',
  'lifetime',
  'strength',
  'check',
  'age',
  'profile',
  'mode',
  'type',
  'timeout',
  'login',
  'memory',
  'time',
  'period',
  'block',
  'chain',
  'chains',
  'keychain',
  'id',
  'list',
  'order',
  'method',
  'methods',
  'port',
  'file',
  'in',
  'out',
  'zone',
  'required',
  'reuse',
  'retries',
  'attempts',
  'lockout',
  'min',
  'max',
  'minimum',
  'maximum',
  'format',
  'interval',
  'count',
  'warning',
  'days',
  'algorithm',
  'data',
  'rules',
  'server',
  'servers',
  'group',
  'status',
  'state',
  'enable',
  'disable',
  'option',
  'options',
]);
/** A last part that says how the secret is written, not what it is (`auth-password-encrypted`, `key-string`). */
const modifiers = new Set(['encrypted', 'enc', 'value', 'string', 'str', 'hex', 'text', 'ascii', 'hash', 'plain', 'cleartext', 'clear', 'remote', 'local']);
/** One-word forms that end in a secret noun (`psksecret`, `authpwd`, `userpassword`, `backuppass`). */
const glued = /(?:password|passwd|pwd|secret|passphrase|[a-z]{2}pass)$/;
/** Algorithm words a key follows (`ah-md5 3 <v>`, `keyed-sha1 key-id 1 key <v>`, `aes-cbc 128 <v>`): weak keywords. */
const algorithm = /^(?:[a-z0-9]+-)*(?:md5|sha(?:2?-?\d+)?)$|^hmac-[a-z0-9-]+$|^(?:aes|3des|des)-(?:cbc|gcm|ctr)(?:-\d+)?$/;

/** True when `word` (lower case, quotes and leading dashes allowed) announces a secret value. */
export function isSecretWord(raw: string): boolean {
  let w = raw;
  while (w.startsWith('-')) w = w.slice(1);
  if (w.endsWith(':')) w = w.slice(0, -1);
  if (w.length < 2) return false;
  if (exact.has(w)) return true;
  if (notSecret.has(w)) return false;
  if (algorithm.test(w)) return true;
  const parts = w.split(/[-_.]+/).filter((p) => p !== '');
  // `-encrypted`, `-string`, `1`, `l2`: how or which, not what
  while (parts.length > 1 && (modifiers.has(parts[parts.length - 1]!) || /^(?:l|level)?\d+$/.test(parts[parts.length - 1]!))) parts.pop();
  const last = (parts[parts.length - 1] ?? '').replace(/\d+$/, '');
  if (nouns.has(last)) return parts.length > 1 || last !== 'auth';
  if (last === 'authentication') return parts.length > 1;
  if (settings.has(last)) return false;
  if (parts.length > 1 && parts.slice(0, -1).some((p) => strong.test(p))) return true;
  return last.length > 4 && glued.test(last) && !/(?:by|com|over|under|sur|tres|encom)pass$/.test(last);
}

/** `md5`, `sha-256`, `ah-md5`, `hmac-sha1`, `aes-cbc`: an algorithm, which a key may follow. */
export function isAlgorithmWord(w: string): boolean {
  return algorithm.test(w);
}

const weak = new Set(['auth', 'authentication', 'priv', 'privacy', 'key-string', 'keystring', 'cvauth', 'ingestauth', 'pre-shared']);

/**
 * Secret words after which another secret word may come before the value (`auth md5 <v>`,
 * `key-string password <v>`, `hello-authentication ah-md5 3 <v>`): modes and algorithms rather
 * than the value's own name.
 */
export function isWeakSecretWord(w: string): boolean {
  return weak.has(w) || algorithm.test(w) || w.endsWith('-authentication');
}

/**
 * Words that may stand between a secret word and its value without being the value: encryption
 * types, algorithms, and the markers vendors put before a stored form. The net skips them to find
 * the value, and keeps them when it redacts blindly.
 */
export const typeWords = new Set([
  '0',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '8a',
  'encrypted',
  'clear',
  'hidden',
  'sha512',
  'md5',
  'sha',
  'sha1',
  'sha256',
  'sha384',
  'sha-256',
  'sha-512',
  'hmac-md5',
  'hmac-sha1',
  'hmac-sha256',
  'text',
  'ascii',
  'ascii-text',
  'hex',
  'hexadecimal',
  'aes',
  'aes128',
  'aes192',
  'aes256',
  'aes-128',
  'aes-192',
  'aes-256',
  'des',
  '3des',
  'des56',
  '128',
  '192',
  '256',
  'plain',
  'plaintext',
  'plain-text',
  'type',
  'value',
  'ietf-md5',
  'message-digest',
]);
