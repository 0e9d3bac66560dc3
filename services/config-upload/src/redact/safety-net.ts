import type { AllowList } from './allow-list.js';
import { unescape } from './escapes.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import { Findings, shapeOf } from './findings.js';
import { embeddedSecrets, encodedValue } from './secret-encodings.js';
import { isAlgorithmWord, isSecretWord, isWeakSecretWord, typeWords } from './secret-words.js';
import { Tagger } from './tagger.js';
import { addressRe as address, joinContinued, physical, tokenize, type Joined, type Token } from './tokens.js';

/**
 * Pass 2, the same for every vendor, on the text pass 1 produced: it knows no command, only the
 * words that announce a secret and the forms secrets are stored in. Whatever it still finds is a
 * gap in pass 1: it is redacted, counted `unclassified`, and its command shape reported.
 *
 * - a secret word (`password`, `key`, `hex-key`, `community`, `auth`, `*_pass`, `ah-md5`,
 *   `hello-authentication`...) followed, after type words (`7`, `encrypted`, `md5`...), by anything
 *   but a tag: everything after the secret word is redacted word by word, except structure and a
 *   few option words that stand between values (`address`, `vrf`, `ro`...), and never the last word.
 *   No value: the line ends, only secret words follow, a reference by name follows (`key-chain
 *   NAME`, `profile NAME`), or one toggle ends the line (`password disable`);
 * - a tag followed by a word no grammar knows (a rule took an option word for the value and left
 *   the value behind it);
 * - `name=value` where the name is a secret word (RouterOS, program options `DC1.auth=key,<v>`,
 *   URLs' queries), also inside quoted strings (scripts, EEM actions, whose escapes are undone
 *   first, so `:local pass \"<v>\"` is read as `:local pass "<v>"`); `<name>value</name>` (XML);
 * - any word in a secret encoding (`$1$`..`$9$` crypt and Junos forms, `ENC <v>`, `-AQ==` even
 *   inside a word, long hex or base64 after a type word, `0x` localized keys), HTTP credentials
 *   (`Authorization: Basic <v>`, `Bearer <v>`), credentials in URLs, private key blocks;
 * - SNMP by role: the word after `version 1|2c`, the words of `snmp-server host` without a tag.
 *
 * Statements of the allow list are left alone (except encodings and `name=value` pairs). XML lines
 * are read by their elements only; free text is not read.
 */
const hintSource =
  'pass|secret|key|communit|auth|psk|shar|md5|sha|pwd|priv|\\$|enc |\\b[3-9] [0-9a-z+/]{8}|encrypted |version (?:1|2c)\\b|snmp-server host|trap-group|credential|phash|:\\/\\/|-aq==|0x[0-9a-f]{16}|<[a-z-]+>|basic |bearer ';
// Case-insensitive on the text itself: lower-casing 1 MB first costs as much as the scan (measured
// 4.2 ms each on the bench config), and the case-sensitive scan of the copy gains nothing.
const hint = new RegExp(hintSource, 'gi');
const privateKeyBlock = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g;

/** Words kept when a line is redacted blindly: options that separate values, never values themselves. */
const keep = new Set([
  'address',
  'vrf',
  'timeout',
  'port',
  'udp-port',
  'ro',
  'rw',
  'view',
  'level',
  'priv',
  'auth',
  'version',
  'role',
  'access',
  'group',
  'expire',
  'privilege',
  'hostname',
  'ipv6',
  'use-vrf',
  'context',
  'send-only',
  'single-connection',
  'traps',
  'informs',
  'localizedkey',
  'localizedv2key',
  'auth-port',
  'acct-port',
  'source-interface',
  'key',
  'secret',
  'password',
  'community',
]);

/**
 * Words whose next word names an object (a key chain, a profile, a route map, a server, an SNMP
 * view): a reference or a name, never a value, and never a keyword however it looks (`server
 * a-key secret <v>`).
 */
const naming = new Set([
  'key-chain',
  'keychain',
  'key-chain-name',
  'route-map',
  'route-policy',
  'prefix-list',
  'rsakeypair',
  'trustpoint',
  'profile',
  'ike-gateway',
  'policy-map',
  'class-map',
  'access-class',
  'access-group',
  'server',
  'view',
]);
const namesNext = (w: string): boolean => naming.has(w) || w.endsWith('-profile') || w.endsWith('-keychain');

/** Words that choose a setting: an algorithm after them is the setting's value (`authentication-type md5`), not a key's announcer. */
const selects = (w: string): boolean => w === 'mode' || w === 'type' || w === 'algorithm' || w === 'hash' || /-(?:type|mode|algorithm)$/.test(w);

/** A setting that ends the line after a secret word: `password disable`, `admin-ssh-password enable`. */
const toggles = new Set(['enable', 'disable', 'enabled', 'disabled', 'required', 'yes', 'no', 'true', 'false']);

/** Values of `auth=`/`authentication=` that name methods, not secrets (`authentication=chap,mschap2`). */
const methods = new Set([
  'pap',
  'chap',
  'mschap',
  'mschap1',
  'mschap2',
  'eap',
  'eap-tls',
  'eap-ttls',
  'peap',
  'simple',
  'ah',
  'none',
  'local',
  'radius',
  'tacacs',
  'tacacs+',
  'ldap',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'text',
  'certificate',
  'psk',
  'open',
  'shared',
]);

/** A number, or one with a unit (`128bit`, `30s`): an option's argument, never a secret. */
const quantity = /^\d+(?:bit|bits|k|m|g|s|ms|sec|seconds)?$/;

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

/** Statements whose argument is prose, not commands: only `name=value` pairs and encodings are looked for in it. */
const freeWords = new Set(['description', 'comment', 'comments', 'remark', 'alias', 'descr', 'note']);

/** A line of XML (an element, a declaration), not one that starts with a tag this service wrote. */
const xmlLine = /^\s*<(?!redacted:)[A-Za-z_?!/]/;

const structural = (w: string): boolean => w === ';' || w === '{' || w === '}' || w === '[' || w === ']';

export function safetyNet(text: string, free: readonly FreeText[], allow: AllowList, known: (w: string) => boolean): Findings {
  const found = new Findings();
  privateKeyBlock.lastIndex = 0;
  for (let m = privateKeyBlock.exec(text); m !== null; m = privateKeyBlock.exec(text)) {
    found.add(m.index, m.index + m[0].length, 'unclassified', m[0]);
    found.unclassified.add(`${m[1]!.toLowerCase()} block`);
  }
  const cursor = new FreeTextCursor(free);
  hint.lastIndex = 0;
  for (let m = hint.exec(text); m !== null; m = hint.exec(text)) {
    let start = text.lastIndexOf('\n', m.index) + 1;
    // back to the first physical line of a continued logical line
    while (start > 1 && text.charCodeAt(start - 2) === 92) start = text.lastIndexOf('\n', start - 2) + 1;
    const joined = joinContinued(text, start);
    hint.lastIndex = joined.end + 1;
    if (cursor.at(start)) continue;
    // `!` and `#` lines are comments the device wrote (headers, `## Last commit`), not statements
    let f = 0;
    while (f < joined.text.length && (joined.text.charCodeAt(f) === 32 || joined.text.charCodeAt(f) === 9)) f++;
    const c = joined.text.charCodeAt(f);
    if (c === 33 || c === 35) continue;
    checkLine(joined, allow, known, found);
  }
  return found;
}

function checkLine(joined: Joined, allow: AllowList, known: (w: string) => boolean, found: Findings): void {
  const tokens = tokenize(joined.text, true, false);
  const words = tokens.map((t) => t.text.toLowerCase());
  const redacted = new Set<number>();
  const spans: [number, number][] = []; // characters of the line
  const statement = words.filter((w) => !structural(w) && !w.startsWith('##'));
  const prose = freeWords.has(statement[0]!) || (statement[0] === 'set' && freeWords.has(statement[1] ?? ''));
  // XML (PAN-OS): the element says what its text is; the text of other elements is not read as commands.
  const xml = xmlLine.test(joined.text);
  const allowed = prose || xml || allow.allows(statement[0] === 'set' ? statement.slice(1) : statement) || allow.allows(statement);
  const end = words.findIndex((w) => w.startsWith('##'));
  const n = end === -1 ? words.length : end;
  // `set interfaces X description "..."`, `description "...";`: the last word, after a prose word, is prose
  let lastWord = n - 1;
  while (lastWord >= 0 && structural(words[lastWord]!)) lastWord--;
  const proseWord = lastWord > 0 && freeWords.has(words[lastWord - 1]!) ? lastWord : -1;
  /** Words named by the word before them (`key-chain NAME`, `profile NAME`): neither keywords nor values. */
  const isName = (k: number): boolean => k > 0 && namesNext(words[k - 1]!) && !Tagger.isTag(tokens[k]!.text);
  /**
   * No value after the secret word at i: only secret words and keywords the grammars know follow
   * (the last one a secret word no grammar knows: `authentication plain-text-password`), or only
   * those and references by name (`authentication md5 key-chain HSRP-KC`), or one toggle.
   */
  const noValueAfter = (i: number): boolean => {
    if (i + 2 === n || (i + 2 < n && structural(words[i + 2]!))) {
      if (toggles.has(words[i + 1]!)) return true;
    }
    let k = i + 1;
    let named = false;
    while (k < n && !structural(words[k]!) && !Tagger.isTag(tokens[k]!.text)) {
      if (namesNext(words[k]!) && k + 1 < n && !structural(words[k + 1]!)) {
        k += 2;
        named = true;
        continue;
      }
      // an option's number after a reference: `lsp-password keychain K level 2`
      if (!known(words[k]!) && !isSecretWord(unquote(words[k]!)) && !(named && /^\d+$/.test(words[k]!))) break;
      k++;
    }
    if (k < n && !structural(words[k]!)) return false;
    if (named) return true;
    const last = k - 1;
    return last > i && isSecretWord(unquote(words[last]!)) && !known(words[last]!);
  };
  /** The tag a secret word at i leads to over option words, numbers, addresses and names; -1 if none. */
  const tagAfter = (i: number): number => {
    let j = i + 1;
    while (
      j < n &&
      !Tagger.isTag(tokens[j]!.text) &&
      !structural(words[j]!) &&
      (known(words[j]!) || quantity.test(words[j]!) || address.test(words[j]!) || isName(j))
    )
      j++;
    return j < n && Tagger.isTag(tokens[j]!.text) ? j : -1;
  };

  /** A secret word that is not weak follows i after option words and numbers only (and a value after it). */
  const strongAfterOptions = (i: number): boolean => {
    for (let k = i + 1; k + 1 < n && !structural(words[k]!); k++) {
      const v = unquote(words[k]!);
      if (isSecretWord(v) && !isWeakSecretWord(v)) return true;
      if (!known(words[k]!) && !quantity.test(words[k]!)) return false;
    }
    return false;
  };

  if (xml) elements(joined.text, spans);
  embeddedSecrets(joined.text, spans);
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const w = words[i]!;
    if (Tagger.isTag(t.text)) continue;
    if (encodedValue(t.text, i > 0 ? words[i - 1]! : '')) {
      redacted.add(i);
      continue;
    }
    inside({ text: t.text, at: (p) => t.start + p }, prose || i === proseWord ? 1 : 0, spans);
    if (allowed || isName(i) || i === proseWord) continue;
    let keyword = !w.includes('=') && isSecretWord(unquote(w)) && !(i > 0 && selects(words[i - 1]!) && isAlgorithmWord(w));
    if (!keyword && (w === '1' || w === '2c' || w === 'v1' || w === 'v2c') && words[i - 1] === 'version') {
      // SNMP by role: the community follows the version, unless an option word with its own argument does
      keyword = !(i + 2 < n && known(words[i + 1]!) && !structural(words[i + 2]!));
    }
    if (!keyword) continue;
    if (i + 1 >= n || structural(words[i + 1]!)) continue;
    if (w === 'community' && routingCommunity.test(words[i + 1]!)) continue;
    // `password password <tag>`, `password secret <tag>`: no syntax puts a secret word right after
    // one of these, so that word is the value (and the tag after it someone's mistake).
    // (PAN-OS `pre-shared-key key <v>` is the one syntax that does.)
    const selector = words[i + 1] === 'key' && (w === 'pre-shared-key' || w === 'preshared-key');
    if (!selector && !isWeakSecretWord(w) && !typeWords.has(words[i + 1]!) && isSecretWord(unquote(words[i + 1]!)) && !Tagger.isTag(tokens[i + 1]!.text)) {
      // ...unless the first word was a name after all: then the second's value follows it, and
      // is taken too, however much it looks like an option (`zzpwd password version level 2`)
      blind(words, tokens, i + 1, n, redacted, 2);
      break;
    }
    if (noValueAfter(i)) continue;
    const tag = tagAfter(i);
    if (tag !== -1) {
      const after = tag + 1;
      if (after < n && suspicious(tokens[after]!.text, words[after]!, known)) {
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
    // An algorithm or mode, then options, then the key's own word: that word leads to the value
    // (`keyed-sha1 key-id 1 key <v>`), the options are not it.
    if (isWeakSecretWord(w) && strongAfterOptions(i)) continue;
    blind(words, tokens, i + 1, n, redacted);
    break;
  }
  if (!allowed && words[0] === 'snmp-server' && words[1] === 'host' && !tokens.some((t) => Tagger.isTag(t.text))) {
    const before = redacted.size;
    for (let k = 3; k < n; k++) if (!known(words[k]!) && !Tagger.isTag(tokens[k]!.text)) redacted.add(k);
    if (redacted.size === before && n > 3) redacted.add(n - 1);
  }
  const values = spans.filter(([s, e]) => !Tagger.isTag(joined.text.slice(s, e)));
  if (redacted.size === 0 && values.length === 0) return;
  for (const i of redacted) {
    const t = tokens[i]!;
    const from = physical(joined, t.start);
    found.add(from, physical(joined, t.end - 1) + 1, 'unclassified', t.text);
  }
  for (const [s, e] of values) found.add(physical(joined, s), physical(joined, e - 1) + 1, 'unclassified', joined.text.slice(s, e));
  const marked = new Set(redacted);
  for (const [s] of values) marked.add(tokens.findIndex((t) => t.start <= s && s < t.end));
  found.unclassified.add(shapeOf(tokens.slice(0, n), marked, (w) => known(w) || isSecretWord(w)));
}

/**
 * Redacts words [from, n) one by one, keeping structure and separating options, but never the
 * last word nor the first `firsts` (a value may look like an option word).
 */
function blind(words: readonly string[], tokens: readonly Token[], from: number, n: number, redacted: Set<number>, firsts = 1): void {
  let last = n - 1;
  while (last >= from && structural(words[last]!)) last--;
  for (let k = from; k <= last; k++) {
    const w = words[k]!;
    if (structural(w) || Tagger.isTag(tokens[k]!.text)) continue;
    if (k >= from + firsts && k < last && keep.has(w)) continue;
    redacted.add(k);
  }
}

const unquote = (w: string): string => (w.length > 1 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w);

/** A piece of the line: its text, and where each of its characters is on the line. */
interface View {
  text: string;
  at: (i: number) => number;
}

const pair = /([A-Za-z0-9_.-]+)=(\\?"(?:[^"\\]|\\.)*?\\?"|[^\s"\\;&]+)/g;
const xmlElement = /<([A-Za-z0-9_-]+)(?:\s[^<>]*)?>([^<]+)<\/\1>/g;
const url = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@"']+:([^\s@/"']+)@/g;

/** XML elements with a secret name: their text (`<authpwd>...</authpwd>`), unless it is a toggle. */
function elements(line: string, spans: [number, number][]): void {
  if (!line.includes('</')) return;
  xmlElement.lastIndex = 0;
  for (let m = xmlElement.exec(line); m !== null; m = xmlElement.exec(line)) {
    const value = m[2]!;
    if (!isSecretWord(m[1]!.toLowerCase()) || Tagger.isTag(value.trim()) || value.trim() === '' || toggles.has(value.trim().toLowerCase())) continue;
    const at = m.index + m[0].length - m[1]!.length - 3 - value.length;
    spans.push([at, at + value.length]);
  }
}

/**
 * Secrets inside one word: `name=value` pairs (also in a quoted script), URL credentials, and in a
 * quoted string holding commands (scripts, EEM actions) the words after secret words. `depth` 1:
 * the string is prose (a description, a `comment=`), only pairs are read in it.
 */
function inside(view: View, depth: number, spans: [number, number][]): void {
  const word = view.text;
  const span = (s: number, e: number) => spans.push([view.at(s), view.at(e - 1) + 1]);
  let innerDepth = depth;
  if (word.includes('=')) {
    pair.lastIndex = 0;
    for (let m = pair.exec(word); m !== null; m = pair.exec(word)) {
      const name = m[1]!.toLowerCase();
      if (m.index === 0 && freeWords.has(name)) innerDepth = Math.max(innerDepth, 1);
      let value = m[2]!;
      let at = m.index + m[1]!.length + 1;
      // a quoted value (`"v"`, or `\"v\"` inside a script): the value is inside the quotes
      const quote =
        value.startsWith('\\"') && value.endsWith('\\"') && value.length >= 4 ? 2 : value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? 1 : 0;
      if (quote > 0) {
        at += quote;
        value = value.slice(quote, -quote);
      }
      if (!isSecretWord(name) || value === '' || Tagger.isTag(value)) continue;
      if (/^token(?:-secure)?,/.test(value)) continue;
      // `authentication=chap,mschap2`, `require-message-auth=yes-for-request-resp`: methods and settings
      if ((isWeakSecretWord(name) || /[-_.]auth$/.test(name)) && value.split(',').every((v) => methods.has(v.toLowerCase()) || /^[a-z]+(?:-[a-z]+)+$/.test(v)))
        continue;
      // in a script, `password=$pass` refers to a variable
      if (depth >= 2 && /^\$[A-Za-z_][\w-]*$/.test(value)) continue;
      if (toggles.has(value.toLowerCase())) continue;
      const sel = /^(?:key|password|secret|psk),/.exec(value);
      if (sel) {
        at += sel[0].length;
        value = value.slice(sel[0].length);
      }
      if (value !== '' && !Tagger.isTag(value)) span(at, at + value.length);
    }
  }
  if (word.includes('://')) {
    url.lastIndex = 0;
    for (let m = url.exec(word); m !== null; m = url.exec(word)) {
      if (Tagger.isTag(m[1]!)) continue;
      const at = m.index + m[0].length - 1 - m[1]!.length;
      span(at, at + m[1]!.length);
    }
  }
  // A quoted string holding commands: its escapes undone, its pairs, and (unless it is prose) its
  // words are checked as a line of their own.
  const q = word.indexOf('"');
  if (depth >= 2 || q === -1 || word.length <= q + 2 || !/[ \\]/.test(word)) return;
  const close = word.endsWith('"') && word.length - 1 > q ? word.length - 1 : word.length;
  const decoded = unescape(word.slice(q + 1, close));
  const inner: View = { text: decoded.text, at: (i) => view.at(q + 1 + decoded.at[i]!) };
  const innerSpans: [number, number][] = [];
  embeddedSecrets(inner.text, innerSpans);
  for (const [s, e] of innerSpans) spans.push([inner.at(s), inner.at(e - 1) + 1]);
  inside(inner, 2, spans);
  if (innerDepth >= 1) return;
  const innerTokens = tokenize(inner.text);
  for (let k = 0; k + 1 < innerTokens.length; k++) {
    const kw = innerTokens[k]!.text.toLowerCase();
    if (kw.includes('=') || !isSecretWord(kw)) continue;
    let j = k + 1;
    while (j < innerTokens.length - 1 && typeWords.has(innerTokens[j]!.text.toLowerCase())) j++;
    const v = innerTokens[j]!;
    const quotedValue = v.text.length > 2 && v.text.startsWith('"') && v.text.endsWith('"');
    const [s, e] = quotedValue ? [v.start + 1, v.end - 1] : [v.start, v.end];
    if (Tagger.isTag(inner.text.slice(s, e)) || v.text.includes('=')) continue;
    spans.push([inner.at(s), inner.at(e - 1) + 1]);
  }
}
