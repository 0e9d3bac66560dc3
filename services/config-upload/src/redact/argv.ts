import type { Capture } from './pattern.js';
import { isSecretWord } from './secret-words.js';

/**
 * Secrets inside a program's argument list, as EOS `daemon TerminAttr` / `exec /usr/bin/TerminAttr
 * -cvaddr=... -cvauth=key,<key> -cvvrf=MGMT`: `-flag=value` and `-flag value` where the flag names
 * a secret. `key,<v>` / `password,<v>` keep their selector (the value is what follows the comma);
 * `token,<file>` and `token-secure,<file>` name a file, which is not a secret.
 */
export function argvSecrets(words: readonly string[], from: number, kind: string): Capture[] {
  const out: Capture[] = [];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) continue;
    const eq = w.indexOf('=');
    if (eq === -1) {
      if (isSecretWord(w) && i + 1 < words.length && !words[i + 1]!.startsWith('-')) out.push({ kind, from: i + 1, to: i + 2 });
      continue;
    }
    const name = w.slice(0, eq);
    const value = w.slice(eq + 1);
    // `-cvopt=<cluster>.auth=key,<v>`: the last `name=` before the value decides
    const inner = value.lastIndexOf('=');
    const flag = inner === -1 ? name : value.slice(0, inner).split('.').pop()!;
    const v = inner === -1 ? value : value.slice(inner + 1);
    const vStart = inner === -1 ? eq + 1 : eq + 1 + inner + 1;
    if (!isSecretWord(flag) || v === '') continue;
    if (/^token(?:-secure)?,/.test(v)) continue;
    const comma = /^(?:key|password|secret|psk),/.exec(v);
    const start = vStart + (comma ? comma[0].length : 0);
    if (start < w.length) out.push({ kind, from: i, to: i + 1, sub: [start, w.length] });
  }
  return out;
}
