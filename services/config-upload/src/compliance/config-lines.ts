import type { Vendor } from '../redact/vendor.js';

/** A configuration line as the rules see it: trimmed, with its 1-based number in the stored text. */
export interface Line {
  number: number;
  text: string;
}

/** A section: its parent line and the lines under it. */
export interface Block {
  parent: Line;
  lines: Line[];
}

/**
 * The lines of a redacted configuration, and its sections, in the form the vendor family writes
 * them. Junos (curly braces or `set`) is read in `set` form, whatever was uploaded, so one rule
 * serves both: `system { ntp { server 10.0.0.1 key 1; } }` is `set system ntp server 10.0.0.1 key 1`,
 * and a section is a hierarchy path (`system ntp`). Every other family is read by indentation
 * (IOS, NX-OS, IOS-XR, EOS, FortiOS `config`/`edit`): a section is a line and the more indented
 * lines after it.
 */
export interface ConfigLines {
  all: Line[];
  sections(section: RegExp): Block[];
}

/** `!` and `#` start comments in every family (IOS separators, Junos `## Last commit`, FortiOS `#config-version`). */
const isComment = (text: string) => text.startsWith('!') || text.startsWith('#');

export function configLines(text: string, vendor: Vendor): ConfigLines {
  return vendor === 'junos' ? junosLines(text) : indentedLines(text);
}

function indentedLines(text: string): ConfigLines {
  const raw = text.split('\n');
  const indent = (line: string) => line.length - line.trimStart().length;
  const all: Line[] = [];
  raw.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== '' && !isComment(trimmed)) all.push({ number: i + 1, text: trimmed });
  });
  return {
    all,
    sections: (section) => {
      const blocks: Block[] = [];
      raw.forEach((line, i) => {
        const parent = line.trim();
        if (parent === '' || isComment(parent) || !section.test(parent)) return;
        const depth = indent(line);
        const lines: Line[] = [];
        for (let j = i + 1; j < raw.length; j++) {
          const child = raw[j]!;
          const trimmed = child.trim();
          if (trimmed === '') continue;
          // IOS ends a block with `!` at the left margin; any line as far left as the parent ends it too.
          if (indent(child) <= depth) break;
          if (!isComment(trimmed)) lines.push({ number: j + 1, text: trimmed });
        }
        blocks.push({ parent: { number: i + 1, text: parent }, lines });
      });
      return blocks;
    },
  };
}

/** A Junos statement in `set` form: its hierarchy words and its own words. */
interface SetStatement {
  number: number;
  words: string[];
}

function junosLines(text: string): ConfigLines {
  const statements = junosStatements(text);
  const all = statements.map((s) => ({ number: s.number, text: `set ${s.words.join(' ')}` }));
  return {
    all,
    sections: (section) => {
      // The shortest path prefix the section matches is the parent: `system services ssh` for
      // `^system services ssh`, whose lines are the rest of each statement (`root-login deny`).
      const blocks = new Map<string, Block>();
      for (const s of statements) {
        for (let k = 1; k < s.words.length; k++) {
          const path = s.words.slice(0, k).join(' ');
          if (!section.test(path)) continue;
          let block = blocks.get(path);
          if (!block) blocks.set(path, (block = { parent: { number: s.number, text: path }, lines: [] }));
          block.lines.push({ number: s.number, text: s.words.slice(k).join(' ') });
          break;
        }
      }
      return [...blocks.values()];
    },
  };
}

/**
 * `set` lines as written; curly-brace statements turned into their `set` form with the path of the
 * blocks they are in. Comments (`/* *\/`, `#`) and `inactive:` / `protect:` markers are left out; a
 * quoted value spanning lines (a certificate) is read line by line, which no rule should need.
 */
function junosStatements(text: string): SetStatement[] {
  const out: SetStatement[] = [];
  const path: string[][] = [];
  let inComment = false;
  text.split('\n').forEach((raw, i) => {
    let line = raw.trim();
    if (inComment) {
      const close = line.indexOf('*/');
      if (close === -1) return;
      inComment = false;
      line = line.slice(close + 2).trim();
    }
    if (line.startsWith('set ')) {
      out.push({ number: i + 1, words: line.slice(4).trim().split(/\s+/) });
      return;
    }
    // `delete`, `deactivate`... in a `set` listing change no statement of the stored text's own.
    if (/^(?:deactivate|activate|delete|annotate|insert) /.test(line)) return;
    const open = line.indexOf('/*');
    if (open !== -1) {
      const close = line.indexOf('*/', open + 2);
      if (close === -1) inComment = true;
      line = (line.slice(0, open) + (close === -1 ? '' : ` ${line.slice(close + 2)}`)).trim();
    }
    if (line === '' || line.startsWith('#')) return;
    line = line.replace(/;\s*#.*$/, ';'); // `authentication-key "<redacted:...>"; ## SECRET-DATA`
    const words = line.split(/\s+/).filter((w) => w !== 'inactive:' && w !== 'protect:');
    if (line === '}') {
      path.pop();
      return;
    }
    if (line.endsWith('{')) {
      path.push(words.slice(0, -1));
      return;
    }
    const own = line.endsWith(';') ? words.join(' ').slice(0, -1).trim().split(/\s+/) : words;
    out.push({ number: i + 1, words: [...path.flat(), ...own] });
  });
  return out;
}
