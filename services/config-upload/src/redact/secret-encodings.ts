/**
 * Forms in which devices store secrets, recognisable without knowing the command:
 * - crypt and friends: `$1$` (MD5, Cisco type 5), `$5$` `$6$` (SHA crypt, NX-OS, XR type 10, EOS
 *   sha512), `$8$` `$9$` (Cisco PBKDF2 and scrypt), `$9$` (Junos reversible), `$M$` (F5), `$y$`...
 * - FortiOS `ENC <base64>` (the word after `ENC`), PAN-OS `-AQ==...`, NX-OS localized keys `0x<hex>`;
 * - after a type word (`5`, `6`, `7`, `8`, `9`, `encrypted`), a long hex or base64 blob: Cisco
 *   type 7 (`0822455D0A16`), type 6 AES.
 */
const crypt = /^["']?\$[0-9A-Za-z]{1,6}\$[^\s$"']/;
const localized = /^0x[0-9a-f]{16,}$/i;
const hexBlob = /^"?[0-9A-Fa-f]{8,}"?$/;
const base64Blob = /^"?[A-Za-z0-9+/]{16,}={0,2}"?$/;
const typeWord = new Set(['5', '6', '7', '8', '9', 'encrypted', 'enc']);

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
