import { AllowList } from './allow-list.js';
import { applySpans, Findings } from './findings.js';
import { findFreeText, type FreeText } from './free-text.js';
import { RuleBook, type CommandSpec } from './grammar.js';
import type { Sets } from './pattern.js';
import { safetyNet } from './safety-net.js';
import { isSecretWord, typeWords } from './secret-words.js';
import type { Tagger } from './tagger.js';
import { scanBraces } from './walk-braces.js';
import { scanFortiOs } from './walk-fortios.js';
import { scanIndented } from './walk-indented.js';
import { scanRouterOs } from './walk-routeros.js';
import { scanXml } from './walk-xml.js';
import type { Vendor } from './vendor.js';
import { eosRules, eosSets } from './vendors/arista-eos.js';
import { iosRules, iosSets } from './vendors/cisco-ios.js';
import { iosxrRules, iosxrSets } from './vendors/cisco-iosxr.js';
import { nxosRules, nxosSets } from './vendors/cisco-nxos.js';
import { f5Rules, f5Sets } from './vendors/f5.js';
import { fortiosRules, fortiosSets } from './vendors/fortios.js';
import { junosRules, junosSets } from './vendors/junos.js';
import { panosRules, panosSets } from './vendors/panos.js';
import { routerosAttributes } from './vendors/routeros.js';

export interface Redaction {
  text: string;
  count: number;
  byKind: Record<string, number>;
  freeText: string[];
  /**
   * Shapes of the commands whose secrets no rule classified (`snmp-server host * vrf * version 2c *`):
   * their values were redacted blindly, by the fail-closed rules of pass 1 or by the safety net.
   * Distinct, sorted; never a value.
   */
  unclassified: string[];
}

type Scan = (text: string, free: readonly FreeText[], found: Findings) => void;

const allow = new AllowList();
const books: RuleBook[] = [];
const book = (rules: readonly CommandSpec[], sets: Sets, by: 'first' | 'last'): RuleBook => {
  const b = new RuleBook(rules, sets, by);
  books.push(b);
  return b;
};

// A Cisco-family vendor's own commands come first (the first form that matches wins), then its
// siblings': detection cannot always tell IOS from an XR or NX-OS file without its header line.
const cisco = [iosRules, nxosRules, iosxrRules, eosRules];
const ciscoBook = (own: readonly CommandSpec[]): RuleBook =>
  book([...own, ...cisco.filter((r) => r !== own).flat()], { ...iosSets, ...nxosSets, ...iosxrSets, ...eosSets }, 'first');
const ios = ciscoBook(iosRules);
const nxos = ciscoBook(nxosRules);
const iosxr = ciscoBook(iosxrRules);
const eos = ciscoBook(eosRules);
const anyCisco = ios;
const junos = book(junosRules, junosSets, 'last');
const panos = book(panosRules, panosSets, 'last');
const f5 = book(f5Rules, f5Sets, 'last');
const anyBraces = book([...junosRules, ...panosRules, ...f5Rules], { ...junosSets, ...panosSets, ...f5Sets }, 'last');
const fortios = book(fortiosRules, fortiosSets, 'first');

/** Words some grammar knows: shapes show them, everything else becomes `*`. */
const vocabulary = new Set<string>([...typeWords, 'set', 'config', 'edit', 'no']);
for (const b of books) for (const w of b.vocabulary) vocabulary.add(w);
const known = (w: string): boolean => vocabulary.has(w);
/** For shapes: secret words are keywords too (a redacted word is `*` whatever it is). */
const shapeKnown = (w: string): boolean => known(w) || isSecretWord(w);

const indented =
  (b: RuleBook): Scan =>
  (text, free, found) =>
    scanIndented(text, b, allow, free, found, shapeKnown);
const braces =
  (b: RuleBook): Scan =>
  (text, free, found) =>
    scanBraces(text, b, allow, free, found, shapeKnown);
const forti: Scan = (text, free, found) => scanFortiOs(text, fortios, allow, free, found, shapeKnown);
const routeros: Scan = (text, free, found) => scanRouterOs(text, routerosAttributes, free, found);
/** An XML configuration (PAN-OS's own, or an export) starts with a tag. */
const isXml = (text: string): boolean => /^\s*</.test(text);
const xml =
  (b: RuleBook): Scan =>
  (text, _free, found) => {
    if (isXml(text)) scanXml(text, b, allow, found, shapeKnown);
  };
/** PAN-OS writes XML, braces or `set` commands; one rule book serves the three. */
const bracesOrXml =
  (b: RuleBook): Scan =>
  (text, free, found) =>
    isXml(text) ? scanXml(text, b, allow, found, shapeKnown) : scanBraces(text, b, allow, free, found, shapeKnown);

// Credentials in URLs (`archive path http://user:pass@host/`, Junos archive sites, `/tool fetch`).
const urlCredentials = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@"']+:([^\s@/"']+)@/g;
const urls: Scan = (text, _free, found) => {
  if (!text.includes('://')) return;
  urlCredentials.lastIndex = 0;
  for (let m = urlCredentials.exec(text); m !== null; m = urlCredentials.exec(text)) {
    const end = m.index + m[0].length - 1;
    found.add(end - m[1]!.length, end, 'url-password', m[1]!);
  }
};

// An unknown vendor gets every family: redacting a harmless word is cheap, leaking a secret is not.
const passOne: Record<Vendor, Scan[]> = {
  'cisco-ios': [urls, indented(ios)],
  'cisco-nxos': [urls, indented(nxos)],
  'cisco-iosxr': [urls, indented(iosxr)],
  'arista-eos': [urls, indented(eos)],
  junos: [urls, braces(junos)],
  mikrotik: [urls, routeros],
  fortios: [urls, forti],
  panos: [urls, bracesOrXml(panos)],
  f5: [urls, braces(f5)],
  unknown: [urls, indented(anyCisco), braces(anyBraces), xml(anyBraces), forti, routeros],
};

/**
 * Replaces every secret value with its keyed tag before the text goes anywhere (store, diff, log,
 * event), in two independent passes (README "Redaction"):
 *
 * 1. by grammar: the vendor's commands (src/redact/vendors/<vendor>.ts) say where a secret sits in
 *    each command; the family's walker reads logical statements (sub-modes, `set` paths,
 *    continuation lines, multi-line values) and replaces exactly those values;
 * 2. the safety net (safety-net.ts) reads pass 1's output knowing no command, only secret words
 *    and secret encodings; what it still finds is redacted and reported as `unclassified`.
 *
 * A leak needs both to miss. Line endings are normalised to LF first; otherwise the text is kept
 * byte for byte around the tags.
 */
export class Redactor {
  constructor(private readonly tagger: Tagger) {}

  redact(input: string, vendor: Vendor): Redaction {
    const byKind: Record<string, number> = {};
    const normalised = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
    const first = new Findings();
    const free = findFreeText(normalised);
    for (const scan of passOne[vendor]) scan(normalised, free, first);
    const one = applySpans(normalised, first.spans, this.tagger, byKind);
    // Tags never open free text: without any in the input there is none in pass 1's output.
    const freeAfter = one.count === 0 || free.length === 0 ? free : findFreeText(one.text);
    const second = safetyNet(one.text, freeAfter, allow, known);
    const two = applySpans(one.text, second.spans, this.tagger, byKind);
    const unclassified = [...new Set([...first.unclassified, ...second.unclassified])].sort();
    return {
      text: two.text,
      count: one.count + two.count,
      byKind,
      freeText: [...new Set(freeAfter.map((f) => f.label))].sort(),
      unclassified,
    };
  }
}
