/**
 * Words that announce a secret in any vendor's syntax: the value after them (`password X`,
 * `key 7 X`, `community X`), or after `=` (`secret=X`, `-cvauth=key,X`). Used by the safety net
 * (pass 2) and by argument-string scanning. Deliberately wide: a word here that is followed by a
 * value no rule classified makes that value redacted and reported.
 */
const exact = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'pass', 'secret', 'secrets', 'key', 'community', 'psk', 'psksecret',
  'md5', 'sha', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512',
  'auth', 'authentication', 'authkey', 'priv', 'privacy', 'key-string', 'keystring', 'private-key', 'privatekey',
  'pre-shared-key', 'preshared-key', 'pre-shared', 'psk-key', 'credential', 'credentials', 'phash', 'hash-password',
  'cvauth', 'ingestauth', 'api-key', 'apikey', 'auth-string', 'trap-group', 'server-key',
  'community-name', 'community-string', 'snmp-community-string',
]);

/** `*-key` words that name something public or an index, not a secret. */
const notSecret = new Set([
  'public-key', 'trusted-key', 'ssh-key', 'host-key', 'route-key', 'rsa-key', 'ca-key', 'proxy-ca-key', 'sort-key',
  'key-chain', 'named-key', 'key-id', 'keyid', 'public-key-id', 'send-key', 'primary-key', 'license-key-file', 'peer-key-id',
  'password-policy', 'password-expire', 'password-change', 'password-encryption', 'password-recovery', 'password-prompt',
  'secret-data', 'authentication-order', 'authentication-type', 'authentication-method', 'authentication-algorithm',
  'authentication-mode', 'auth-type', 'auth-method', 'auth-mode', 'auth-port', 'authentication-port', 'auth-timeout',
  'community-list', 'send-community', 'extended-community', 'large-community', 'community-set', 'extcommunity', 'ext-community',
]);

/** True when `word` (lower case, quotes and leading dashes allowed) announces a secret value. */
export function isSecretWord(raw: string): boolean {
  let w = raw;
  while (w.startsWith('-')) w = w.slice(1);
  if (w.endsWith(':')) w = w.slice(0, -1);
  if (w.length < 2) return false;
  if (exact.has(w)) return true;
  if (notSecret.has(w)) return false;
  if (w.includes('password') || w.includes('passwd') || w.includes('secret') || w.includes('passphrase')) {
    // password-policy words are settings, not values: `password-encryption`, `password-policy`
    return !/^(?:no-|min-|max-)|(?:-policy|-length|-encryption|-recovery|-prompt|-expire|-expiry|-change|-complexity|-history|-lifetime|-strength|-check|-age|-profile|-mode|-type|-timeout|-login)$/.test(w);
  }
  if (w.endsWith('-key') || w.endsWith('_key') || w.endsWith('-psk') || w.endsWith('-pwd') || w.endsWith('_pwd')) return true;
  if (w.endsWith('-community') || w.endsWith('-community-string')) return true;
  if (w.startsWith('auth-') || w.startsWith('authentication-')) return /(?:key|password|pwd|string|secret)$/.test(w);
  return false;
}

/**
 * Words that may stand between a secret word and its value without being the value: encryption
 * types, algorithms, and the markers vendors put before a stored form. The net skips them to find
 * the value, and keeps them when it redacts blindly.
 */
export const typeWords = new Set([
  '0', '3', '4', '5', '6', '7', '8', '9', '10', '8a', 'encrypted', 'clear', 'hidden', 'sha512', 'md5', 'sha', 'sha1', 'sha256',
  'sha384', 'sha-256', 'sha-512', 'hmac-md5', 'hmac-sha1', 'hmac-sha256', 'text', 'ascii', 'ascii-text', 'hex',
  'hexadecimal', 'aes', 'aes128', 'aes192', 'aes256', 'aes-128', 'aes-192', 'aes-256', 'des', '3des', 'des56', '128', '192',
  '256', 'plain', 'plaintext', 'plain-text', 'type', 'value', 'ietf-md5', 'message-digest',
]);
