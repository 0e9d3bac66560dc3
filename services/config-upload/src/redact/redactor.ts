import type { Rule } from './rule.js';
import { commonRules } from './rules-common.js';
import { ciscoRules } from './rules-cisco.js';
import { junosRules } from './rules-junos.js';
import { mikrotikRules } from './rules-mikrotik.js';
import { fortiosRules } from './rules-fortios.js';
import { findFreeText, fortiosCommunities, junosCommunities, mikrotikCommunities, type Replace } from './line-passes.js';
import { Tagger } from './tagger.js';
import type { Vendor } from './vendor.js';

export interface Redaction {
  text: string;
  count: number;
  byKind: Record<string, number>;
  freeText: string[];
}

type Pass = (text: string, replace: Replace) => string;
interface Family {
  rules: Rule[];
  passes: Pass[];
  /**
   * Set when every rule matches within one line and has a hint: the rules then run only over the
   * lines holding a hint, found with indexOf. A 1 MB config has a few thousand such lines among
   * 40,000; running 25 rules over the whole text cost ~20 ms of CPU (bench/RESULTS-config.md).
   */
  hotLines?: string[];
}

function hotLines(rules: Rule[]): string[] {
  return [...new Set(rules.map((r) => r.hint!))];
}

// The common rules ride along with Cisco's, so a Cisco config is split into lines once.
const cisco: Family = { rules: [...commonRules, ...ciscoRules], passes: [], hotLines: hotLines([...commonRules, ...ciscoRules]) };
const junos: Family = { rules: [...commonRules, ...junosRules], passes: [junosCommunities] };
const mikrotik: Family = { rules: [...commonRules, ...mikrotikRules], passes: [mikrotikCommunities] };
const fortios: Family = { rules: [...commonRules, ...fortiosRules], passes: [fortiosCommunities] };

function applyRules(input: string, rules: Rule[], replace: Replace): string {
  let text = input;
  for (const { kind, re, hint } of rules) {
    if (hint !== undefined && !text.includes(hint)) continue;
    re.lastIndex = 0;
    text = text.replace(re, (match: string, ...groups: unknown[]) => {
      const [before, secret, after] = groups;
      if (typeof secret !== 'string') return match;
      return `${before as string}${replace(secret, kind)}${typeof after === 'string' ? after : ''}`;
    });
  }
  return text;
}

// An unknown vendor gets every family, Cisco's then FortiOS's first: they know the type words and
// `ENC` before a value, so a later generic rule cannot take the type word for the value. Redacting
// a harmless word is cheap, leaking a secret is not.
const families: Record<Vendor, Family[]> = {
  'cisco-ios': [cisco],
  'cisco-nxos': [cisco],
  'cisco-iosxr': [cisco],
  'arista-eos': [cisco],
  junos: [junos],
  mikrotik: [mikrotik],
  fortios: [fortios],
  unknown: [cisco, fortios, junos, mikrotik],
};

/**
 * Replaces every secret value with its keyed tag before the text goes anywhere (store, diff, log,
 * event). Line endings are normalised to LF first so that `$` and the rules see one form.
 */
export class Redactor {
  constructor(private readonly tagger: Tagger) {}

  redact(input: string, vendor: Vendor): Redaction {
    const byKind: Record<string, number> = {};
    let count = 0;
    const replace: Replace = (secret, kind) => {
      if (Tagger.isTag(secret)) return secret;
      count++;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      return this.tagger.tag(secret);
    };
    let text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
    for (const family of families[vendor]) {
      text = family.hotLines ? this.onHotLines(text, family.rules, family.hotLines, replace) : applyRules(text, family.rules, replace);
      for (const pass of family.passes) text = pass(text, replace);
    }
    return { text, count, byKind, freeText: findFreeText(text) };
  }

  /** Runs line-local rules over the hint-bearing lines only, then puts them back in place. */
  private onHotLines(text: string, rules: Rule[], hints: string[], replace: Replace): string {
    const starts = new Set<number>();
    for (const hint of hints) {
      for (let i = text.indexOf(hint); i !== -1; ) {
        starts.add(text.lastIndexOf('\n', i) + 1);
        const end = text.indexOf('\n', i);
        i = end === -1 ? -1 : text.indexOf(hint, end + 1);
      }
    }
    if (starts.size === 0) return text;
    const at = [...starts].sort((x, y) => x - y);
    const picked = at.map((start) => {
      const end = text.indexOf('\n', start);
      return text.slice(start, end === -1 ? text.length : end);
    });
    // Rules never add or remove a newline (values and tags are single-line), so lines map 1:1.
    const done = applyRules(picked.join('\n'), rules, replace).split('\n');
    const out: string[] = [];
    let position = 0;
    for (let k = 0; k < at.length; k++) {
      out.push(text.slice(position, at[k]), done[k]!);
      position = at[k]! + picked[k]!.length;
    }
    out.push(text.slice(position));
    return out.join('');
  }
}
