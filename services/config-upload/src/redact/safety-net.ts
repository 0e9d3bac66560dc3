import type { AllowList } from './allow-list.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import { Findings, shapeOf } from './findings.js';
import { encodedValue } from './secret-encodings.js';
import { isSecretWord, typeWords } from './secret-words.js';
import { Tagger } from './tagger.js';
import { joinContinued, physical, tokenize, type Joined, type Token } from './tokens.js';

/**
 * Pass 2, the same for every vendor, on the text pass 1 produced: it knows no command, only the
 * words that announce a secret and the forms secrets are stored in. Whatever it still finds is a
 * gap in pass 1: it is redacted, counted `unclassified`, and its command shape reported.
 *
 * - a secret word (`password`, `key`, `community`, `auth`, `*-secret`, ...) followed, after type
 *   words (`7`, `encrypted`, `md5`...), by anything but a tag: everything after the secret word is
 *   redacted word by word, except structure and a few option words that stand between values
 *   (`address`, `vrf`, `ro`...), and never the last word;
 * - a tag followed by a word no grammar knows (a rule took an option word for the value and left
 *   the value behind it);
 * - `name=value` where the name is a secret word (RouterOS, program options, URLs' queries), also
 *   inside quoted strings (scripts, EEM actions); `<name>value</name>` (XML);
 * - any word in a secret encoding (`$1$`..`$9$` crypt and Junos forms, `ENC <v>`, `-AQ==`, long
 *   hex or base64 after a type word, `0x` localized keys), credentials in URLs, private key blocks;
 * - SNMP by role: the word after `version 1|2c`, the words of `snmp-server host` without a tag.
 *
 * Statements of the allow list are left alone (except encodings). Free text is not read.
 */
const hintSource = 'pass|secret|key|communit|auth|psk|shar|md5|sha|pwd|priv|\\$|enc |\\b[5-9] [0-9a-z+/]{8}|encrypted |version (?:1|2c)\\b|snmp-server host|trap-group|credential|phash|:\\/\\/|-aq==|0x[0-9a-f]{16}|<[a-z-]+>';
// Run on the lower-cased text: a case-sensitive scan of 1 MB costs about half of a case-insensitive one.
const hintLower = new RegExp(hintSource, 'g');
const hintAnyCase = new RegExp(hintSource, 'gi');
const privateKeyBlock = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g;

/** Words kept when a line is redacted blindly: options that separate values, never values themselves. */
const keep = new Set([
  'address', 'vrf', 'timeout', 'port', 'udp-port', 'ro', 'rw', 'view', 'level', 'priv', 'auth', 'version', 'role', 'access',
  'group', 'expire', 'privilege', 'hostname', 'ipv6', 'use-vrf', 'context', 'send-only', 'single-connection', 'traps', 'informs',
  'localizedkey', 'localizedv2key', 'auth-port', 'acct-port', 'source-interface', 'key', 'secret', 'password', 'community',
]);
/** Secret words that may be followed by another before the value (`auth md5 <v>`, `key-string password <v>`). */
const weak = new Set(['auth', 'authentication', 'priv', 'privacy', 'key-string', 'keystring', 'md5', 'sha', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512', 'cvauth', 'ingestauth', 'pre-shared']);

/** BGP communities (`65000:100`, well-known names) after `community` in routing policy. */
const routingCommunity = /^(?:\d+:\d+|no-export|no-advertise|local-as|internet|gshut|none|additive)$/;

/**
 * A word after a tag that may be a value left behind (a rule took an option word for the value):
 * one no grammar knows, unless it reads like a keyword (lower-case letters and dashes), which is
 * what follows a value in brace and `set` paths (`community <tag> authorization read-only`).
 */
function suspicious(text: string, word: string, known: (w: string) => boolean): boolean {
  if (structural(word) || Tagger.isTag(text) || known(word) || word.startsWith('##')) return false;
  return !/^[a-z][a-z-]*$/.test(text);
}

/** Statements whose quoted argument is prose, not commands: only `name=value` pairs are looked for in it. */
const freeWords = new Set(['description', 'comment', 'comments', 'remark', 'alias', 'descr']);

const structural = (w: string): boolean => w === ';' || w === '{' || w === '}' || w === '[' || w === ']';

export function safetyNet(text: string, free: readonly FreeText[], allow: AllowList, known: (w: string) => boolean): Findings {
  const found = new Findings();
  privateKeyBlock.lastIndex = 0;
  for (let m = privateKeyBlock.exec(text); m !== null; m = privateKeyBlock.exec(text)) {
    found.add(m.index, m.index + m[0].length, 'unclassified', m[0]);
    found.unclassified.add(`${m[1]!.toLowerCase()} block`);
  }
  const cursor = new FreeTextCursor(free);
  const lower = text.toLowerCase();
  // Lower-casing keeps positions unless a character changes length (`İ`): then scan the text itself.
  const [hint, scanned] = lower.length === text.length ? [hintLower, lower] : [hintAnyCase, text];
  hint.lastIndex = 0;
  for (let m = hint.exec(scanned); m !== null; m = hint.exec(scanned)) {
    let start = text.lastIndexOf('\n', m.index) + 1;
    // back to the first physical line of a continued logical line
    while (start > 1 && text.charCodeAt(start - 2) === 92) start = text.lastIndexOf('\n', start - 2) + 1;
    const joined = joinContinued(text, start);
    hint.lastIndex = joined.end + 1;
    if (cursor.at(start)) continue;
    // `!` and `#` lines are comments the device wrote (headers, `## Last commit`), not statements
    const c = joined.text.trimStart().charCodeAt(0);
    if (c === 33 || c === 35) continue;
    checkLine(joined, allow, known, found);
  }
  return found;
}

function checkLine(joined: Joined, allow: AllowList, known: (w: string) => boolean, found: Findings): void {
  const tokens = tokenize(joined.text, true, false);
  const words = tokens.map((t) => t.text.toLowerCase());
  const redacted = new Set<number>();
  const spans: [number, number][] = []; // characters inside words
  const statement = words.filter((w) => !structural(w) && !w.startsWith('##'));
  const allowed = allow.allows(statement[0] === 'set' ? statement.slice(1) : statement) || allow.allows(statement);
  const end = words.findIndex((w) => w.startsWith('##'));
  const n = end === -1 ? words.length : end;
  /** `authentication plain-text-password`, `no auth password`: a secret word ends the line, no value. */
  const onlySecretWordsAfter = (i: number): boolean => {
    let k = i + 1;
    while (k < n && !structural(words[k]!) && (known(words[k]!) || isSecretWord(unquote(words[k]!))) && !Tagger.isTag(tokens[k]!.text)) k++;
    const last = k - 1;
    return (k === n || structural(words[k]!)) && last > i && isSecretWord(unquote(words[last]!)) && !known(words[last]!) ;
  };
  /** The tag a secret word at i leads to over option words, numbers and names the grammars know; -1 if none. */
  const tagAfter = (i: number): number => {
    let j = i + 1;
    while (j < n && !Tagger.isTag(tokens[j]!.text) && !structural(words[j]!) && (known(words[j]!) || /^\d+$/.test(words[j]!))) j++;
    return j < n && Tagger.isTag(tokens[j]!.text) ? j : -1;
  };

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const w = words[i]!;
    if (Tagger.isTag(t.text)) continue;
    if (encodedValue(t.text, i > 0 ? words[i - 1]! : '')) {
      redacted.add(i);
      continue;
    }
    inside(t.text, freeWords.has(words[0]!) || freeWords.has(words[1] ?? '') ? 1 : 0, spans, t.start);
    if (allowed) continue;
    let keyword = !w.includes('=') && isSecretWord(unquote(w));
    if (!keyword && (w === '1' || w === '2c' || w === 'v1' || w === 'v2c') && words[i - 1] === 'version') keyword = true;
    if (!keyword) continue;
    if (i + 1 >= n || structural(words[i + 1]!)) continue;
    if (w === 'community' && routingCommunity.test(words[i + 1]!)) continue;
    // `password password <tag>`, `password secret <tag>`: no syntax puts a secret word right after
    // one of these, so that word is the value (and the tag after it someone's mistake).
    if (!weak.has(w) && !typeWords.has(words[i + 1]!) && isSecretWord(unquote(words[i + 1]!)) && !Tagger.isTag(tokens[i + 1]!.text)) {
      blind(words, tokens, i + 1, n, redacted);
      break;
    }
    if (onlySecretWordsAfter(i)) continue;
    const tag = tagAfter(i);
    if (tag !== -1) {
      const after = tag + 1;
      if (after < n && !allowed && suspicious(tokens[after]!.text, words[after]!, known)) {
        blind(words, tokens, after, n, redacted);
        break;
      }
      continue;
    }
    // No tag: unless a later secret word on the line holds the tagged value (`pre-shared-key
    // address X key <tag>`), the value is here and nobody classified it.
    let later = false;
    for (let k = i + 1; k < n && !later; k++) later = isSecretWord(unquote(words[k]!)) && tagAfter(k) !== -1;
    if (later) continue;
    blind(words, tokens, i + 1, n, redacted);
    break;
  }
  if (!allowed && words[0] === 'snmp-server' && words[1] === 'host' && !tokens.some((t) => Tagger.isTag(t.text))) {
    const before = redacted.size;
    for (let k = 3; k < n; k++) if (!known(words[k]!) && !Tagger.isTag(tokens[k]!.text)) redacted.add(k);
    if (redacted.size === before && n > 3) redacted.add(n - 1);
  }
  if (redacted.size === 0 && spans.length === 0) return;
  for (const i of redacted) {
    const t = tokens[i]!;
    const from = physical(joined, t.start);
    found.add(from, physical(joined, t.end - 1) + 1, 'unclassified', t.text);
  }
  for (const [s, e] of spans) found.add(physical(joined, s), physical(joined, e - 1) + 1, 'unclassified', joined.text.slice(s, e));
  const marked = new Set(redacted);
  for (const [s] of spans) marked.add(tokens.findIndex((t) => t.start <= s && s < t.end));
  found.unclassified.add(shapeOf(tokens.slice(0, n), marked, (w) => known(w) || isSecretWord(w)));
}

/** Redacts words [from, n) one by one, keeping structure and separating options (never the last word). */
function blind(words: readonly string[], tokens: readonly Token[], from: number, n: number, redacted: Set<number>): void {
  let last = n - 1;
  while (last >= from && structural(words[last]!)) last--;
  for (let k = from; k <= last; k++) {
    const w = words[k]!;
    if (structural(w) || Tagger.isTag(tokens[k]!.text)) continue;
    if (k > from && k < last && keep.has(w)) continue;
    redacted.add(k);
  }
}

const unquote = (w: string): string => (w.length > 1 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w);

const pair = /([A-Za-z0-9_.-]+)=(\\?"(?:[^"\\]|\\.)*?\\?"|[^\s"\\;&]+)/g;
const xml = /<([A-Za-z0-9_-]+)>([^<]+)<\/\1>/g;
const url = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@"']+:([^\s@/"']+)@/g;

/**
 * Secrets inside one word: `name=value` pairs (also in a quoted script), XML elements, URL
 * credentials. Adds [start, end) character ranges (offset by `base`) of the values.
 */
function inside(word: string, depth: number, spans: [number, number][], base: number): void {
  if (word.includes('=')) {
    pair.lastIndex = 0;
    for (let m = pair.exec(word); m !== null; m = pair.exec(word)) {
      const name = m[1]!.toLowerCase();
      let value = m[2]!;
      let at = m.index + m[1]!.length + 1;
      if (!isSecretWord(name) || value === '""' || value === '\\"\\"' || Tagger.isTag(value)) continue;
      if (/^token(?:-secure)?,/.test(value)) continue;
      const sel = /^(?:key|password|secret|psk),/.exec(value);
      if (sel) {
        at += sel[0].length;
        value = value.slice(sel[0].length);
      }
      if (value !== '' && !Tagger.isTag(value)) spans.push([base + at, base + at + value.length]);
    }
  }
  if (word.includes('</')) {
    xml.lastIndex = 0;
    for (let m = xml.exec(word); m !== null; m = xml.exec(word)) {
      if (!isSecretWord(m[1]!.toLowerCase()) || Tagger.isTag(m[2]!)) continue;
      const at = m.index + m[1]!.length + 2;
      spans.push([base + at, base + at + m[2]!.length]);
    }
  }
  if (word.includes('://')) {
    url.lastIndex = 0;
    for (let m = url.exec(word); m !== null; m = url.exec(word)) {
      if (Tagger.isTag(m[1]!)) continue;
      const at = m.index + m[0].length - 1 - m[1]!.length;
      spans.push([base + at, base + at + m[1]!.length]);
    }
  }
  // A quoted string holding commands (scripts, EEM actions): its pairs, and (unless it is prose,
  // depth 1) its words, are checked as a line of their own.
  const q = word.indexOf('"');
  if (depth < 2 && q !== -1 && word.length > q + 2 && / /.test(word)) {
    const close = word.endsWith('"') && word.length - 1 > q ? word.length - 1 : word.length;
    const innerText = word.slice(q + 1, close);
    const at = base + q + 1;
    inside(innerText, 2, spans, at);
    if (depth === 1) return;
    const innerTokens = tokenize(innerText);
    for (let k = 0; k + 1 < innerTokens.length; k++) {
      if (innerTokens[k]!.text.includes('=') || !isSecretWord(innerTokens[k]!.text.toLowerCase())) continue;
      let j = k + 1;
      while (j < innerTokens.length - 1 && typeWords.has(innerTokens[j]!.text.toLowerCase())) j++;
      const v = innerTokens[j]!;
      if (!Tagger.isTag(v.text) && !v.text.includes('=')) spans.push([at + v.start, at + v.end]);
    }
  }
}
