import { CodedError } from '@netsidecar/config';

/**
 * Symmetric keys in chrony's keyfile format (chrony.conf(5), `keyfile`), one per line:
 *
 *   ID [TYPE] KEY        # TYPE: MD5 (default), SHA1 or AES128
 *                        # KEY: HEX:0123ab..., ASCII:text, or text (no white space)
 *
 * The same IDs and secrets go into the routers' `ntp authentication-key` lines. Errors name the
 * line number and what is wrong, never the key itself: the file is a secret.
 */
export const keyTypes = ['MD5', 'SHA1', 'AES128'] as const;
export type KeyType = (typeof keyTypes)[number];

export interface SymmetricKey {
  id: number;
  type: KeyType;
  secret: Buffer;
}

export class KeyFileError extends CodedError<'NETSIDECAR_ERR_NTP_KEY_FILE'> {
  constructor(message: string) {
    super('NETSIDECAR_ERR_NTP_KEY_FILE', message);
  }
}

export function parseKeyFile(text: string): Map<number, SymmetricKey> {
  const keys = new Map<number, SymmetricKey>();
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    // Whole-line comments only, as chrony: an ASCII key may itself contain '#'.
    if (line === '' || /^[#!;%]/.test(line)) return;
    const where = `line ${index + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length < 2 || fields.length > 3) throw new KeyFileError(`${where}: expected 'ID [TYPE] KEY'`);
    const [idText, ...rest] = fields as [string, ...string[]];
    if (!/^\d+$/.test(idText) || Number(idText) < 1 || Number(idText) > 0xffffffff) {
      throw new KeyFileError(`${where}: the key ID must be a number from 1 to 4294967295`);
    }
    const id = Number(idText);
    const typeText = rest.length === 2 ? rest[0]!.toUpperCase() : 'MD5';
    const type = keyTypes.find((known) => known === typeText);
    if (!type) throw new KeyFileError(`${where}: key type ${typeText} is not supported (use ${keyTypes.join(', ')})`);
    const secret = decodeSecret(rest[rest.length - 1]!, where);
    if (secret.length === 0) throw new KeyFileError(`${where}: the key is empty`);
    if (type === 'AES128' && secret.length !== 16)
      throw new KeyFileError(`${where}: an AES128 key must be 16 bytes (32 hex digits), got ${secret.length} bytes`);
    if (keys.has(id)) throw new KeyFileError(`${where}: key ID ${id} is defined twice`);
    keys.set(id, { id, type, secret });
  });
  return keys;
}

function decodeSecret(text: string, where: string): Buffer {
  if (/^HEX:/i.test(text)) {
    const hex = text.slice(4);
    if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new KeyFileError(`${where}: HEX: must be followed by an even number of hexadecimal digits`);
    return Buffer.from(hex, 'hex');
  }
  return Buffer.from(/^ASCII:/i.test(text) ? text.slice(6) : text, 'latin1');
}
