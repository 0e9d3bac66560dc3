import { FreeTextCursor, type FreeText } from './free-text.js';
import type { Findings } from './findings.js';
import { joinContinued, physical, tokenize } from './tokens.js';
import type { AttributeRule } from './vendors/routeros.js';

const verbs = new Set(['add', 'set', 'remove', 'enable', 'disable', 'edit', 'unset', 'reset', 'print', 'export', 'move', 'comment']);

/**
 * Pass 1 for RouterOS: logical lines (backslash continuations joined), the section from `/path`
 * lines, and every `attribute=value` of a command checked against the vendor's attribute rules.
 * A value wrapped over two physical lines is tagged as one value and replaced where it stands,
 * so the `\` of the line before it stays.
 */
export function scanRouterOs(text: string, rules: readonly AttributeRule[], free: readonly FreeText[], found: Findings): void {
  const cursor = new FreeTextCursor(free);
  let section = '';
  for (let pos = 0; pos < text.length; ) {
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
    const tokens = tokenize(line);
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
      const rule = ruleFor(rules, t.text.slice(0, eq), section);
      if (!rule) continue;
      const value = t.text.slice(eq + 1);
      if (value === '""') continue;
      const from = t.start + eq + 1;
      found.add(physical(joined, from), physical(joined, t.end - 1) + 1, rule.kind, value);
    }
  }
}

function ruleFor(rules: readonly AttributeRule[], name: string, section: string): AttributeRule | null {
  for (const r of rules) {
    if (r.section !== undefined && section !== r.section && !section.startsWith(`${r.section} `)) continue;
    if (r.attribute.startsWith('*') ? name.endsWith(r.attribute.slice(1)) && name.length > r.attribute.length - 1 : name === r.attribute) return r;
  }
  return null;
}
