import { addressKey, compile, match, type Capture, type Pattern, type Sets } from './pattern.js';
import { addressRe } from './tokens.js';

/**
 * One secret-bearing command of a vendor, as data (see pattern.ts for the notation):
 *
 *   cmd('snmp-server host', '* [vrf *] [informs|traps] [version 1|2c] $snmp-community ...')
 *
 * `head` identifies the command; each form is what may follow it, with `$kind` where the secret
 * sits. A form without `$` is a known form that holds no secret (`key chain NAME`). When a
 * statement starts with a known head but no form consumes it, the command is known to carry a
 * secret in a shape nobody declared: every word after the head that is not a keyword of the
 * command is redacted (fail closed) and the shape is reported as `unclassified`.
 *
 * `under` restricts a rule to a sub-mode: the statement must sit below a parent line (indented
 * families: any enclosing line; FortiOS: the nearest `config` line) that starts with `under`.
 */
export interface CommandSpec {
  head: string;
  forms: readonly string[];
  under?: string;
}

export function cmd(head: string, forms: string | readonly string[], under?: string): CommandSpec {
  return { head, forms: typeof forms === 'string' ? [forms] : forms, ...(under === undefined ? {} : { under }) };
}

/** `cmd` for every head of a list, same forms. */
/** An address as a statement's first word; the digit test first, as most lines start with a letter. */
const isAddress = (w: string): boolean => w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57 && addressRe.test(w);

const asciiLower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
const shapeOf = (length: number, first: number): number => length * 0x10000 + first;

export function cmds(heads: readonly string[], forms: string | readonly string[], under?: string): CommandSpec[] {
  return heads.map((h) => cmd(h, forms, under));
}

export interface Rule {
  readonly head: Pattern;
  readonly forms: readonly Pattern[];
  readonly under: Pattern | null;
  readonly vocabulary: ReadonlySet<string>;
}

/**
 * Rules are shared between books like their patterns (pattern.ts): the Cisco books each hold every
 * Cisco family's commands. Keyed by the compiled patterns, which are themselves interned.
 */
const rules = new Map<Pattern, Map<string, Rule>>();
const patternIds = new Map<Pattern, number>();
const idOf = (p: Pattern | null): number => {
  if (p === null) return -1;
  let id = patternIds.get(p);
  if (id === undefined) patternIds.set(p, (id = patternIds.size));
  return id;
};

function ruleOf(head: Pattern, forms: readonly Pattern[], under: Pattern | null): Rule {
  const key = [...forms.map(idOf), idOf(under)].join(' ');
  let byHead = rules.get(head);
  if (!byHead) rules.set(head, (byHead = new Map<string, Rule>()));
  const known = byHead.get(key);
  if (known) return known;
  const vocabulary = new Set<string>(head.vocabulary);
  for (const f of forms) for (const w of f.vocabulary) vocabulary.add(w);
  const rule: Rule = { head, forms, under, vocabulary };
  byHead.set(key, rule);
  return rule;
}

export type Verdict = { t: 'secrets'; captures: Capture[]; rule: Rule } | { t: 'unclassified'; rule: Rule; headEnd: number };

/**
 * A vendor's rules, compiled once and indexed by one literal word of the head: its first word for
 * the indented and FortiOS families (the statement starts with it), its last for the brace and
 * `set` families (the keyword is on the line or ends its parent's, the others may not be).
 */
export class RuleBook {
  private readonly index = new Map<string, Rule[]>();
  /** The index words by length and first character (`shapeOf`), for `headsAt`. */
  private readonly byShape = new Map<number, string[]>();
  readonly vocabulary = new Set<string>();
  /** Some rule's statement starts with an address (IOS-XR `  10.1.1.1:0 password ...` under `mpls ldp` / ` neighbor`). */
  private readonly byAddress: boolean;

  constructor(
    specs: readonly CommandSpec[],
    sets: Sets,
    private readonly by: 'first' | 'last',
  ) {
    for (const spec of specs) {
      const head = compile(spec.head, sets);
      const keys = by === 'first' ? head.first : head.last;
      if (!keys) throw new Error(`rule ${spec.head}: the head needs a literal ${by} word`);
      const forms = spec.forms.map((f) => compile(`${spec.head} ${f}`, sets));
      const rule = ruleOf(head, forms, spec.under === undefined ? null : compile(spec.under, sets));
      for (const w of rule.vocabulary) this.vocabulary.add(w);
      for (const key of keys) {
        const list = this.index.get(key);
        if (list) list.push(rule);
        else this.index.set(key, [rule]);
      }
    }
    this.byAddress = by === 'first' && this.index.has(addressKey);
    for (const key of this.index.keys()) {
      const shape = shapeOf(key.length, key.charCodeAt(0));
      const list = this.byShape.get(shape);
      if (list) list.push(key);
      else this.byShape.set(shape, [key]);
    }
  }

  /**
   * `has(word) || has(word.toLowerCase())` for the word `text[start, end)`, without making a string
   * of it: most lines of a large config start with a word no rule is indexed under (`interface`,
   * `switchport`), and a string per line was a third of the garbage of redacting 1 MB. An ASCII
   * word is compared with the index words of its length and first letter, case-insensitively (they
   * are lower-case); any other word the exact way.
   */
  headsAt(text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) >= 0x80) {
        const word = text.slice(start, end);
        return this.has(word) || this.has(word.toLowerCase());
      }
    }
    if (end === start) return this.has('');
    for (const key of this.byShape.get(shapeOf(end - start, asciiLower(text.charCodeAt(start)))) ?? []) {
      let i = 1;
      while (i < key.length && asciiLower(text.charCodeAt(start + i)) === key.charCodeAt(i)) i++;
      if (i === key.length) return true;
    }
    // isAddress's own first test, before the string it needs
    const c = text.charCodeAt(start);
    return this.byAddress && c >= 48 && c <= 57 && isAddress(text.slice(start, end));
  }

  /** Whether any rule is indexed under this (lower-case) word: the cheap screen before tokenizing. */
  has(word: string): boolean {
    return this.index.has(word) || (this.byAddress && isAddress(word));
  }

  private rulesFor(word: string): Rule[] | undefined {
    return this.index.get(word) ?? (this.byAddress && isAddress(word) ? this.index.get(addressKey) : undefined);
  }

  /**
   * What the rules say about a statement: `words` lower-cased, `own` the index of its first word
   * on this line (earlier words come from parent lines), `parents` the word lists `under` is
   * tested against. Null: no rule knows the statement. A secret captured in a parent's words is
   * not returned (it was redacted on the parent's line).
   */
  classify(words: readonly string[], own: number, parents: () => readonly (readonly string[])[]): Verdict | null {
    // brace families: the keyword may also end the parent (`certificates local { NAME "<key>"; }`);
    // a rule found that way only counts when one of its forms matches
    const keys = this.by === 'first' ? words.slice(own, own + 1) : words.slice(own);
    if (this.by === 'last' && own > 0) keys.push(words[own - 1]!);
    let failed: Verdict | null = null;
    const seen = new Set<Rule>();
    for (const [k, key] of keys.entries()) {
      const rules = this.rulesFor(key);
      if (!rules) continue;
      const viaParent = own + k >= words.length;
      for (const rule of rules) {
        if (seen.has(rule)) continue;
        seen.add(rule);
        if (rule.under && !parents().some((p) => match(rule.under!, p, 0, false) !== null)) continue;
        const head = match(rule.head, words, 0, false);
        if (!head) continue;
        for (const form of rule.forms) {
          const m = match(form, words, 0, true);
          if (m) return { t: 'secrets', captures: m.captures.filter((c) => c.from >= own), rule };
        }
        if (!viaParent) failed ??= { t: 'unclassified', rule, headEnd: Math.max(head.end, own) };
      }
    }
    return failed;
  }
}
