/**
 * Forms in which devices store secrets, recognisable without knowing the command:
 * - crypt and friends: `$1$` (MD5, Cisco type 5), `$5$` `$6$` (SHA crypt, NX-OS, XR type 10, EOS
 *   sha512), `$8$` `$9$` (Cisco PBKDF2 and scrypt), `$9$` (Junos reversible), `$M$` (F5), `$y$`...
 * - FortiOS `ENC <base64>` (the word after `ENC`), PAN-OS `-AQ==...`, NX-OS localized keys `0x<hex>`;
 * - after a type word (`3`, `5`, `6`, `7`, `8`, `9`, `encrypted`), a long hex or base64 blob: Cisco
 *   type 7 (`0822455D0A16`), type 6 AES, NX-OS type 3 (3DES).
 */
const crypt = /^["']?\$[0-9A-Za-z]{1,6}\$[^\s$"']/;
const localized = /^0x[0-9a-f]{16,}$/i;
const hexBlob = /^"?[0-9A-Fa-f]{8,}"?$/;
const base64Blob = /^"?[A-Za-z0-9+/]{16,}={0,2}"?$/;
const typeWord = new Set(['3', '5', '6', '7', '8', '9', 'encrypted', 'enc']);

/** A whole word in a secret encoding (`previous`: the word before it, lower case). */
export function encodedValue(word: string, previous: string): boolean {
  if (word.length >= 8 && crypt.test(word)) return true;
  if (previous === 'enc' && word.length >= 8) return true;
  if (word.startsWith('-AQ==') && word.length > 8) return true;
  if (word.length >= 18 && localized.test(word)) return true;
  if (typeWord.has(previous)) {
    if (hexBlob.test(word) && /[A-Fa-f]/.test(word) && /\d/.test(word)) return true;
    if (base64Blob.test(word) && /[A-Z]/.test(word) && /[a-z]/.test(word) && /\d/.test(word)) return true;
  }
  return false;
}

/**
 * Secrets inside a word or a string, wherever they stand (`<authpwd>-AQ==...</authpwd>`,
 * `send "GET / ...\r\nAuthorization: Basic <base64>\r\n"`, `password=$1$...`):
 * - PAN-OS encrypted values `-AQ==...`;
 * - crypt forms glued to what precedes them (`>`, `=`, `,`, `:`, a quote);
 * - HTTP credentials: the value of an `Authorization:` header, a `Basic` token that decodes to
 *   `user:password`, a `Bearer` token.
 * Pushes [start, end) ranges of `text` to `out`.
 */
export function embeddedSecrets(text: string, out: [number, number][]): void {
  if (text.includes('-AQ==')) for (const m of text.matchAll(panos)) out.push([m.index, m.index + m[0].length]);
  if (text.includes('$')) for (const m of text.matchAll(gluedCrypt)) out.push([m.index + 1, m.index + m[0].length]);
  if (!/basic|bearer|authorization/i.test(text)) return;
  for (const m of text.matchAll(header)) out.push(last(m));
  for (const m of text.matchAll(basic)) if (isUserColonPassword(m[1]!)) out.push(last(m));
  for (const m of text.matchAll(bearer)) out.push(last(m));
}

const panos = /-AQ==[A-Za-z0-9+/]*={0,2}/g;
const gluedCrypt = /[>=,:("']\$(?:[0-9]{1,2}[a-z]?|[A-Za-z]{1,6})\$[^\s"'<>;]{4,}/g;
const header = /(?:proxy-)?authorization:\s*(?:basic|bearer|token|apikey|negotiate|ntlm)\s+([A-Za-z0-9+/._~-]+=*)/gi;
const basic = /\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})/gi;
const bearer = /\bbearer\s+([A-Za-z0-9+/._~-]{16,}=*)/gi;

function last(m: RegExpMatchArray): [number, number] {
  const v = m[1]!;
  const end = m.index! + m[0].length;
  return [end - v.length, end];
}

function isUserColonPassword(b64: string): boolean {
  const plain = Buffer.from(b64, 'base64').toString('latin1');
  return plain.includes(':') && /^[\x20-\x7e]+$/.test(plain);
}
