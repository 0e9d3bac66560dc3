/**
 * Secrets that a single regular expression cannot tell from harmless words, because the meaning
 * depends on the enclosing block: SNMP community names (Junos `snmp { community X`, FortiOS
 * `config system snmp community` / `set name`, MikroTik `/snmp community` / `name=`). And free text
 * that no rule can check (banners), which is flagged, not redacted.
 */
export type Replace = (secret: string, kind: string) => string;

export function junosCommunities(text: string, replace: Replace): string {
  if (!/\bcommunity\b/.test(text)) return text;
  const lines = text.split('\n');
  const stack: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const set = /^(set snmp community )("[^"]*"|\S+)/.exec(line);
    if (set) {
      lines[i] = set[1] + replace(set[2]!, 'snmp-community') + line.slice(set[0].length);
      continue;
    }
    const trimmed = line.trim();
    if (stack[0] === 'snmp' && stack.length === 1) {
      const m = /^(\s*community )("[^"]*"|[^\s;{]+)/.exec(line);
      if (m) lines[i] = m[1] + replace(m[2]!, 'snmp-community') + line.slice(m[0].length);
    }
    if (trimmed.endsWith('{')) stack.push(trimmed.replace(/^(?:inactive|protect): /, '').split(/\s+/)[0] ?? '');
    else if (trimmed.startsWith('}')) stack.pop();
  }
  return lines.join('\n');
}

export function fortiosCommunities(text: string, replace: Replace): string {
  if (!/^config system snmp community/m.test(text)) return text;
  const lines = text.split('\n');
  let depth = 0;
  let inside = -1;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trim();
    if (trimmed.startsWith('config ')) {
      depth++;
      if (trimmed === 'config system snmp community') inside = depth;
    } else if (trimmed === 'end') {
      if (depth === inside) inside = -1;
      depth--;
    } else if (inside !== -1 && depth === inside) {
      const m = /^(\s*set name )("(?:[^"\\]|\\.)*"|\S+)/.exec(lines[i]!);
      if (m) lines[i] = m[1] + replace(m[2]!, 'snmp-community') + lines[i]!.slice(m[0].length);
    }
  }
  return lines.join('\n');
}

export function mikrotikCommunities(text: string, replace: Replace): string {
  if (!/^\/snmp community/m.test(text)) return text;
  const lines = text.split('\n');
  let inside = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('/')) inside = line.startsWith('/snmp community');
    if (inside) lines[i] = line.replace(/(\bname=)("(?:[^"\\]|\\.)*"|\S+)/g, (_m, pre: string, v: string) => pre + replace(v, 'snmp-community'));
  }
  return lines.join('\n');
}

/** Free text nobody can check for secrets: reported in the event's `freeText`. */
export function findFreeText(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/^banner (\S+)/gm)) found.add(`banner ${m[1]}`);
  for (const m of text.matchAll(/^\s*(?:set system login )?(announcement|message) "/gm)) found.add(`login ${m[1]}`);
  if (/^config system replacemsg/m.test(text)) found.add('replacemsg');
  if (/^\/system note/m.test(text)) found.add('system note');
  return [...found].sort();
}
