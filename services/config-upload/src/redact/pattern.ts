/**
 * The small command language the per-vendor files are written in, close to the syntax lines of
 * the vendors' command references:
 *
 *   word        that word (case-insensitive); `a|b|c` one of them; `*-pwd` any word ending so
 *   *           any one word            #   a number
 *   @address    an IP address (`10.1.1.1:0`)      @tag  a value already replaced by its tag
 *   [ ... ]     optional (greedy, given back when the rest does not match)
 *   ...         any words (as few as possible)
 *   @set        one word of a named set;  @set*  any number of them
 *   $kind       THE SECRET: one word, redacted and counted as `kind`
 *   $kind...    the secret is every word to the end of the statement (values with spaces)
 *   %kind       the rest is a program's argument list: values of secret flags are the secrets
 *               (`-cvauth=key,X` → X, `--password X` → X), see argv.ts
 *   &kind       one word holding an HTTP request (a health monitor's `send` string): the
 *               credentials in it are the secrets (`Authorization: Basic X` → X)
 *
 * `snmp-server host * [vrf *] [informs|traps] [version 1|2c] $snmp-community [udp-port #]`
 * says: after the host and any of those options, in that order, the next word is the community,
 * whatever it looks like (`version`, `7`, `aes256`), because matching backtracks until the whole
 * statement is consumed. A statement a pattern cannot consume does not match.
 */
import { argvSecrets } from './argv.js';
import { embeddedSecrets } from './secret-encodings.js';
import { Tagger } from './tagger.js';
import { addressRe } from './tokens.js';

type Node =
  | { t: 'lit'; words: Set<string>; suffixes: string[] }
  | { t: 'any' }
  | { t: 'num' }
  | { t: 'addr' }
  | { t: 'tag' }
  | { t: 'opt'; seq: readonly Node[] }
  | { t: 'skip' }
  | { t: 'set'; words: Set<string>; many: boolean }
  | { t: 'secret'; kind: string; rest: boolean }
  | { t: 'argv'; kind: string }
  | { t: 'http'; kind: string };

export interface Pattern {
  readonly source: string;
  readonly nodes: readonly Node[];
  /** Every literal word of the pattern: what fail-closed redaction keeps and shapes show. */
  readonly vocabulary: ReadonlySet<string>;
  /** The literal alternatives of the first node, when it is a literal (for indexing). */
  readonly first: readonly string[] | null;
  /** The literal alternatives of the last literal node (for indexing statements by their keyword). */
  readonly last: readonly string[] | null;
}

/** A secret found by a pattern: word indices [from, to), or characters [sub[0], sub[1]) of word `from`. */
export interface Capture {
  kind: string;
  from: number;
  to: number;
  sub?: [number, number];
}

export type Sets = Readonly<Record<string, readonly string[]>>;

/** The index key of patterns that start with an address (`@address password ...`). */
export const addressKey = '@address';

/**
 * Compiled patterns are immutable and shared, as are their nodes: the four Cisco rule books hold the
 * same commands (redactor.ts), and most nodes are the same few words (`*`, `key`, `password`). A
 * pattern compiled twice, or a node written twice, is one object. Without this the rule books held
 * some 170,000 small objects, half the service's live heap, which every mark-compact of the old
 * generation walks (bench/RESULTS-config.md: its pauses were the 1.2 MB upload's p99).
 */
const internedNodes = new Map<string, Node>();
const internedPatterns = new Map<string, Pattern>();
const interned = <T extends Node>(node: T): T => {
  const key = nodeKey(node);
  const found = internedNodes.get(key);
  if (found) return found as T;
  internedNodes.set(key, node);
  return node;
};
const keys = new WeakMap<Node, string>();
/** The node's structure as a string: equal keys, equal nodes (set and literal words in their order). */
function nodeKey(node: Node): string {
  let key = keys.get(node);
  if (key !== undefined) return key;
  switch (node.t) {
    case 'lit':
      key = JSON.stringify([node.t, [...node.words], node.suffixes]);
      break;
    case 'set':
      key = JSON.stringify([node.t, [...node.words], node.many]);
      break;
    case 'opt':
      key = JSON.stringify([node.t, node.seq.map(nodeKey)]);
      break;
    case 'secret':
      key = JSON.stringify([node.t, node.kind, node.rest]);
      break;
    case 'argv':
    case 'http':
      key = JSON.stringify([node.t, node.kind]);
      break;
    default:
      key = node.t;
  }
  keys.set(node, key);
  return key;
}

export function compile(source: string, sets: Sets = {}): Pattern {
  const parts = source.match(/\[|\]|[^\s[\]]+/g) ?? [];
  const vocabulary = new Set<string>();
  let at = 0;
  const seq = (closing: boolean): Node[] => {
    const nodes: Node[] = [];
    while (at < parts.length) {
      const p = parts[at++]!;
      if (p === ']') {
        if (!closing) throw new Error(`pattern ${source}: unbalanced ]`);
        return nodes;
      }
      if (p === '[') nodes.push(interned({ t: 'opt', seq: seq(true) }));
      else if (p === '*') nodes.push(interned({ t: 'any' }));
      else if (p === '#') nodes.push(interned({ t: 'num' }));
      else if (p === '@address') nodes.push(interned({ t: 'addr' }));
      else if (p === '@tag') nodes.push(interned({ t: 'tag' }));
      else if (p === '...') nodes.push(interned({ t: 'skip' }));
      else if (p.startsWith('%')) nodes.push(interned({ t: 'argv', kind: p.slice(1) }));
      else if (p.startsWith('&')) nodes.push(interned({ t: 'http', kind: p.slice(1) }));
      else if (p.startsWith('$')) {
        const rest = p.endsWith('...');
        nodes.push(interned({ t: 'secret', kind: rest ? p.slice(1, -3) : p.slice(1), rest }));
      } else if (p.startsWith('@')) {
        const many = p.endsWith('*');
        const name = many ? p.slice(1, -1) : p.slice(1);
        const words = sets[name];
        if (!words) throw new Error(`pattern ${source}: unknown set @${name}`);
        for (const w of words) vocabulary.add(w.toLowerCase());
        nodes.push(interned({ t: 'set', words: new Set(words.map((w) => w.toLowerCase())), many }));
      } else {
        const words = new Set<string>();
        const suffixes: string[] = [];
        for (const alt of p.toLowerCase().split('|')) {
          if (alt.length > 1 && alt.startsWith('*')) suffixes.push(alt.slice(1));
          else {
            words.add(alt);
            vocabulary.add(alt);
          }
        }
        nodes.push(interned({ t: 'lit', words, suffixes }));
      }
    }
    if (closing) throw new Error(`pattern ${source}: unbalanced [`);
    return nodes;
  };
  const nodes = seq(false);
  const key = JSON.stringify([source, nodes.map(nodeKey)]);
  const known = internedPatterns.get(key);
  if (known) return known;
  const lits = nodes.filter((n): n is Extract<Node, { t: 'lit' }> => n.t === 'lit' && n.suffixes.length === 0);
  const first = nodes[0]?.t === 'lit' && nodes[0].suffixes.length === 0 ? [...nodes[0].words] : nodes[0]?.t === 'addr' ? [addressKey] : null;
  const lastLit = lits[lits.length - 1];
  const pattern = { source, nodes, vocabulary, first, last: lastLit ? [...lastLit.words] : null };
  internedPatterns.set(key, pattern);
  return pattern;
}

const isNumber = (w: string): boolean => w.length > 0 && w.length < 12 && /^\d+$/.test(w);

function literal(n: Extract<Node, { t: 'lit' }>, w: string): boolean {
  if (n.words.has(w)) return true;
  for (const s of n.suffixes) if (w.length > s.length && w.endsWith(s)) return true;
  return false;
}

/**
 * Matches `p` against `words` (lower-cased) from `at`. With `whole`, the pattern must consume every
 * word to the end; otherwise it is a prefix and the result says where it stopped.
 */
export function match(p: Pattern, words: readonly string[], at = 0, whole = true): { end: number; captures: Capture[] } | null {
  const state: MatchState = { words, caps: [], whole, end: -1 };
  return run(p.nodes, 0, at, null, state) ? { end: state.end, captures: state.caps } : null;
}

/** One match: its input, the captures so far, and where the pattern ended when it matched. */
interface MatchState {
  readonly words: readonly string[];
  readonly caps: Capture[];
  readonly whole: boolean;
  end: number;
}

/**
 * What follows the sequence being matched: the rest of an enclosing sequence (after an optional
 * part), then its own rest, up to the pattern's end. A linked list, allocated only when an optional
 * part is entered: a closure per node visited was most of the garbage of redacting a 1 MB config.
 */
interface Rest {
  readonly nodes: readonly Node[];
  readonly i: number;
  readonly next: Rest | null;
}

/** Matches `nodes[i..]` from word `pos`, then `rest`; backtracks by returning false. */
function run(nodes: readonly Node[], i: number, pos: number, rest: Rest | null, st: MatchState): boolean {
  if (i === nodes.length) {
    if (rest !== null) return run(rest.nodes, rest.i, pos, rest.next, st);
    if (st.whole && pos !== st.words.length) return false;
    st.end = pos;
    return true;
  }
  const n = nodes[i]!;
  const words = st.words;
  switch (n.t) {
    case 'lit':
      return pos < words.length && literal(n, words[pos]!) && run(nodes, i + 1, pos + 1, rest, st);
    case 'any':
      return pos < words.length && run(nodes, i + 1, pos + 1, rest, st);
    case 'num':
      return pos < words.length && isNumber(words[pos]!) && run(nodes, i + 1, pos + 1, rest, st);
    case 'tag':
      return pos < words.length && Tagger.isTag(words[pos]!) && run(nodes, i + 1, pos + 1, rest, st);
    case 'addr':
      return pos < words.length && addressRe.test(words[pos]!) && run(nodes, i + 1, pos + 1, rest, st);
    case 'opt':
      return run(n.seq, 0, pos, { nodes, i: i + 1, next: rest }, st) || run(nodes, i + 1, pos, rest, st);
    case 'skip':
      for (let p = pos; p <= words.length; p++) if (run(nodes, i + 1, p, rest, st)) return true;
      return false;
    case 'set': {
      if (!n.many) return pos < words.length && n.words.has(words[pos]!) && run(nodes, i + 1, pos + 1, rest, st);
      let max = pos;
      while (max < words.length && n.words.has(words[max]!)) max++;
      for (let p = max; p >= pos; p--) if (run(nodes, i + 1, p, rest, st)) return true;
      return false;
    }
    case 'argv': {
      const found = argvSecrets(words, pos, n.kind);
      st.caps.push(...found);
      if (run(nodes, i + 1, words.length, rest, st)) return true;
      st.caps.length -= found.length;
      return false;
    }
    case 'http': {
      if (pos >= words.length) return false;
      const ranges: [number, number][] = [];
      embeddedSecrets(words[pos]!, ranges);
      for (const r of ranges) st.caps.push({ kind: n.kind, from: pos, to: pos + 1, sub: r });
      if (run(nodes, i + 1, pos + 1, rest, st)) return true;
      st.caps.length -= ranges.length;
      return false;
    }
    case 'secret': {
      if (pos >= words.length) return false;
      const to = n.rest ? words.length : pos + 1;
      st.caps.push({ kind: n.kind, from: pos, to });
      if (run(nodes, i + 1, to, rest, st)) return true;
      st.caps.pop();
      return false;
    }
  }
}
