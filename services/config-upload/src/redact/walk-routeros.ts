import { unescape } from './escapes.js';
import { FreeTextCursor, type FreeText } from './free-text.js';
import type { Findings } from './findings.js';
import { joinContinued, physical, tokenize, type Token } from './tokens.js';
import { scriptAttributes, secretVariable, type AttributeRule } from './vendors/routeros.js';

const verbs = new Set(['add', 'set', 'remove', 'enable', 'disable', 'edit', 'unset', 'reset', 'print', 'export', 'move', 'comment']);

/**
 * Pass 1 for RouterOS: logical lines (backslash continuations joined), the section from `/path`
 * lines, and every `attribute=value` of a command checked against the vendor's attribute rules.
 * A value wrapped over two physical lines is tagged as one value and replaced where it stands,
 * so the `\` of the line before it stays. A script (`/system script add source="..."`, scheduler
 * and netwatch `on-event=`) is RouterOS commands one quoting level down: its escapes undone, its
 * lines are read the same way, and so are its variables (`:local pass "<v>"`).
 */
export function scanRouterOs(text: string, rules: readonly AttributeRule[], free: readonly FreeText[], found: Findings): void {
  const cursor = new FreeTextCursor(free);
  let section = '';
  for (let pos = 0; pos < text.length;) {
    const joined = joinContinued(text, pos);
    const lineStart = pos;
    pos = joined.end + 1;
    const line = joined.text;
    if (line.trimStart().startsWith('#') || line.trim() === '') continue;
    const block = cursor.at(lineStart);
    if (block) {
      pos = Math.max(pos, block.end + 1);
      continue;
    }
    const at = (i: number) => physical(joined, i);
    section = command(
      tokenize(line),
      section,
      rules,
      (from, to, kind, value) => found.add(at(from), at(to - 1) + 1, kind, value),
      (token, where) => {
        const decoded = unescape(token.text.slice(where + 1, token.text.endsWith('"') ? -1 : undefined));
        const base = token.start + where + 1;
        script(decoded.text, rules, (from, to, kind, value) => found.add(at(base + decoded.at[from]!), at(base + decoded.at[to - 1]!) + 1, kind, value));
      },
    );
  }
}

type Emit = (from: number, to: number, kind: string, value: string) => void;

/** One command line: its section (a `/path` starts one) and its secret attributes; returns the section. */
function command(
  tokens: readonly Token[],
  current: string,
  rules: readonly AttributeRule[],
  emit: Emit,
  onScript: ((t: Token, quoteAt: number) => void) | null,
): string {
  let section = current;
  let k = 0;
  if (tokens[0]?.text.startsWith('/')) {
    const path: string[] = [];
    while (k < tokens.length && !verbs.has(tokens[k]!.text) && !tokens[k]!.text.includes('=')) path.push(tokens[k++]!.text);
    section = path.join(' ');
  }
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    const eq = t.text.indexOf('=');
    if (eq <= 0 || eq === t.text.length - 1) continue;
    const name = t.text.slice(0, eq);
    if (onScript && scriptAttributes.has(name) && t.text.charCodeAt(eq + 1) === 34 /* " */) {
      onScript(t, eq + 1);
      continue;
    }
    const rule = ruleFor(rules, name, section);
    if (!rule) continue;
    const value = t.text.slice(eq + 1);
    // `""`, and in scripts `password=$pass`: a variable, not a value
    if (value === '""' || /^\$[A-Za-z_][\w-]*$/.test(value)) continue;
    // In a script the quotes around a value were escaped (`\"v\"`): only the value is replaced.
    if (!onScript && value.length > 2 && value.startsWith('"') && value.endsWith('"')) emit(t.start + eq + 2, t.end - 1, rule.kind, value.slice(1, -1));
    else emit(t.start + eq + 1, t.end, rule.kind, value);
  }
  return section;
}

/** A script's text (escapes undone): its lines as commands, and values of variables named for a secret. */
function script(text: string, rules: readonly AttributeRule[], emit: Emit): void {
  let section = '';
  let from = 0;
  for (const line of text.split('\n')) {
    const tokens = tokenize(line).map((t) => ({ ...t, start: t.start + from, end: t.end + from }));
    from += line.length + 1;
    const first = tokens[0]?.text;
    if (first === ':local' || first === ':global' || first === ':set') {
      const name = tokens[1];
      const value = tokens[2];
      if (name && value && secretVariable(name.text)) {
        const quoted = value.text.length > 2 && value.text.startsWith('"') && value.text.endsWith('"');
        const [s, e] = quoted ? [value.start + 1, value.end - 1] : [value.start, value.end];
        emit(s, e, 'script-secret', text.slice(s, e));
      }
      continue;
    }
    section = command(tokens, section, rules, emit, null);
  }
}

function ruleFor(rules: readonly AttributeRule[], attribute: string, section: string): AttributeRule | null {
  // `security.passphrase`, and `.passphrase` (v7 export leaves out a prefix it just wrote)
  const name = attribute.slice(attribute.lastIndexOf('.') + 1);
  for (const r of rules) {
    if (r.section !== undefined && section !== r.section && !section.startsWith(`${r.section} `)) continue;
    if (r.attribute.startsWith('*') ? name.endsWith(r.attribute.slice(1)) && name.length > r.attribute.length - 1 : name === r.attribute) return r;
  }
  return null;
}
