import type { Capture } from './pattern.js';
import { isSecretWord } from './secret-words.js';

/**
 * Secrets inside a program's argument list, as EOS `daemon TerminAttr` / `exec /usr/bin/TerminAttr
 * -cvaddr=... -cvauth=key,<key> -cvvrf=MGMT`: `-flag=value` and `-flag value` where the flag names
 * a secret, and `name=value` options given as a flag's argument (`-cvopt DC1.auth=key,<v>`,
 * `-cvopt=DC1.auth=key,<v>`) where the option's last dotted part names one. `key,<v>` /
 * `password,<v>` keep their selector (the value is what follows the comma); `token,<file>` and
 * `token-secure,<file>` name a file, which is not a secret.
 */
export function argvSecrets(words: readonly string[], from: number, kind: string): Capture[] {
  const out: Capture[] = [];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (!w.includes('=')) {
      if (w.startsWith('-') && isSecretWord(w) && i + 1 < words.length && !words[i + 1]!.startsWith('-')) out.push({ kind, from: i + 1, to: i + 2 });
      continue;
    }
    const start = valueStart(w);
    if (start === -1) continue;
    const v = w.slice(start);
    if (v === '' || /^token(?:-secure)?,/.test(v)) continue;
    const comma = /^(?:key|password|secret|psk),/.exec(v);
    const at = start + (comma ? comma[0].length : 0);
    if (at < w.length) out.push({ kind, from: i, to: i + 1, sub: [at, w.length] });
  }
  return out;
}

/** Where the value of the first secret `name=` of a chain `name=name=...=value` starts; -1 if none names a secret. */
function valueStart(w: string): number {
  const name = /^([A-Za-z0-9_.-]+)=/y;
  let at = 0;
  for (;;) {
    name.lastIndex = at;
    const m = name.exec(w);
    if (!m) return -1;
    at += m[0].length;
    const parts = m[1]!.split('.');
    if (isSecretWord(m[1]!) || isSecretWord(parts[parts.length - 1]!)) return at;
  }
}
