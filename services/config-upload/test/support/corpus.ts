// The leak corpus (test/corpus/): router configurations written from vendor documentation, every
// secret a unique marker, every decoy a line that must survive. This module reads the manifest and
// derives it from the files (so the manifest can be checked, and rebuilt, against the files).
// test/corpus/README.md explains the marker encoding.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const corpusDir = new URL('../corpus/', import.meta.url).pathname;
export const manifestPath = join(corpusDir, 'manifest.json');

export type Family = 'cisco-ios' | 'cisco-nxos' | 'cisco-iosxr' | 'junos' | 'junos-set' | 'arista-eos' | 'mikrotik' | 'fortios' | 'panos' | 'f5';
export const families: readonly Family[] = ['cisco-ios', 'cisco-nxos', 'cisco-iosxr', 'junos', 'junos-set', 'arista-eos', 'mikrotik', 'fortios', 'panos', 'f5'];

/** How the file travels, as the device (or a script) sends it. */
export type Via = 'curl-put' | 'curl-put-ios' | 'curl-post' | 'curl-post-form' | 'curl-multipart' | 'fetch-put' | 'fetch-post';

export interface Marker {
  /** The unique token (at least 8 characters) searched for everywhere the service writes. */
  core: string;
  /** The secret value the core sits in, as written in the file (base64: the encoded token). */
  value: string;
  /** 1-based physical line of the core. */
  line: number;
  /** The logical line (continuations joined) with every marker value replaced by `*`. */
  command: string;
  /** `base64`: the core is only visible after decoding the value (HTTP Basic credentials). */
  encoding: 'plain' | 'base64';
}

export interface CorpusFile {
  file: string;
  family: Family;
  uploadAs: string;
  via: Via;
  gzip: boolean;
  /** The device's intended config (as kept in Git), under intended/, or null. */
  intended: string | null;
  markers: Marker[];
  intendedMarkers: Marker[];
  /** Logical lines without a secret that hold secret-like words: each must survive verbatim. */
  decoys: string[];
  /** Lines with secret-like words that are neither a marker nor a decoy (see neutralPatterns). */
  neutral: string[];
  /** The non-secret change of the second upload (an address), so a diff exists without secrets. */
  v2Edit: { line: number; from: string; to: string };
}

export interface Manifest {
  about: string;
  files: CorpusFile[];
}

/** Hand-kept fields of a manifest entry; the rest is derived from the files. */
export type CorpusFileHead = Pick<CorpusFile, 'file' | 'family' | 'uploadAs' | 'via' | 'gzip' | 'intended'>;

export async function loadManifest(): Promise<Manifest> {
  return JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
}

export const readCorpusFile = (name: string): Promise<string> => readFile(join(corpusDir, name), 'utf8');

// Marker cores. Free slots: Mk<file 2 digits><marker 3 digits><variant>; hex-only slots (Cisco type
// 7, IOS-XR `encrypted`, NX-OS type 3, localized keys): C0DE<variant><file><marker>. Variants: the
// first upload (Zq / A), its rotated second upload (Rv / B), the intended config (In / C).
export const coreRe = /Mk\d{5}(?:Zq|Rv|In)|C0DE[ABC]\d{5}/gi;
export type Variant = 'v1' | 'v2' | 'intended';

export function variantOf(core: string): Variant {
  const last = /^Mk/i.test(core) ? core.slice(-2).toLowerCase() : core.charAt(4).toLowerCase();
  if (last === 'zq' || last === 'a') return 'v1';
  if (last === 'rv' || last === 'b') return 'v2';
  return 'intended';
}

/** The same marker in another variant (same file and number, so a finding maps back to the manifest). */
export function rotateCore(core: string, to: Variant): string {
  if (/^Mk/i.test(core)) return core.slice(0, -2) + { v1: 'Zq', v2: 'Rv', intended: 'In' }[to];
  const letter = { v1: 'A', v2: 'B', intended: 'C' }[to];
  const isLower = core === core.toLowerCase();
  return core.slice(0, 4) + (isLower ? letter.toLowerCase() : letter) + core.slice(5);
}

/** The file's text with every marker moved to another variant (plain and base64-encoded ones). */
export function rotateText(text: string, markers: readonly Marker[], to: Variant): string {
  let out = text;
  for (const m of markers) {
    if (m.encoding === 'base64') {
      const plain = Buffer.from(m.value, 'base64').toString('latin1');
      out = out.split(m.value).join(Buffer.from(plain.split(m.core).join(rotateCore(m.core, to)), 'latin1').toString('base64'));
    }
  }
  return out.replace(coreRe, (core) => rotateCore(core, to));
}

// ---- deriving the manifest from the files ---------------------------------------------------

/** Words that make a line look secret-bearing; a line with one and no marker is a decoy. */
const secretWordRe =
  /pass|secret|key|communit|auth|psk|pre-?shared|md5|sha|hmac|private|cvauth|token|credential|encrypt|snmp|tacacs|tacplus|radius|trap|ntp|isakmp|ike|ipsec|crypto|vrrp|hsrp|standby|glbp|chap|\bpap\b|wpa|login|user/i;

/**
 * Lines with secret-like words that hold no secret but that a careful fail-closed net may still
 * take; counted neither as leaks nor as decoys, listed in the manifest so nobody wonders.
 */
export const neutralPatterns: readonly { re: RegExp; why: string }[] = [
  { re: /ssh-(?:rsa|ed25519|dss)|\bsshkey\b|\bssh-key\b|key-hash/, why: 'SSH public keys and their hashes are public' },
  { re: /-cvauth=token/, why: 'a file path after -cvauth=token: not the token itself' },
  { re: /^rmon event .* public /, why: "NX-OS default RMON events: the trap community 'public' is the factory default" },
  { re: /pre-shared-key ckn /, why: 'a MACsec CKN is the key name, sent in clear in MKA frames' },
  { re: /access-key "AKIA/, why: 'an AWS access key id is an identifier, not the secret key' },
  { re: /^\s*key-string$/, why: 'an IOS public-key (pubkey-chain) block opener: the block is public data' },
];

interface LogicalLine {
  text: string;
  /** 0-based physical line indices it spans. */
  from: number;
  to: number;
  /** Inside a PEM block: the 0-based line of its -----BEGIN, else -1. */
  block: number;
}

/** Physical lines joined into logical ones: RouterOS `\` continuations; PEM blocks marked. */
export function logicalLines(text: string, family: Family): LogicalLine[] {
  const physical = text.split('\n');
  const out: LogicalLine[] = [];
  let block = -1;
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    const from = i;
    if (family === 'mikrotik') {
      while (line.endsWith('\\') && i + 1 < physical.length && physical[i + 1]!.startsWith('    ')) {
        line = line.slice(0, -1) + physical[++i]!.slice(4);
      }
    }
    // A block may open and close on one line (Junos keeps "-----BEGIN ...\n...-----END ...\n" quoted).
    const opens = line.lastIndexOf('-----BEGIN ');
    const closes = line.lastIndexOf('-----END ');
    const own = block >= 0 ? block : opens >= 0 ? from : -1;
    out.push({ text: line, from, to: i, block: own });
    if (opens > closes) block = own;
    else if (closes >= 0) block = -1;
  }
  return out;
}

interface Found {
  core: string;
  index: number;
  value: string;
  encoding: 'plain' | 'base64';
}

const leftStop = /[\s"'<>,:=(]/;
const rightStop = /[\s"'<>;,@\\)]/;

function valueAt(line: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && !leftStop.test(line.charAt(a - 1))) a--;
  let b = end;
  while (b < line.length && !rightStop.test(line.charAt(b))) b++;
  return line.slice(a, b);
}

/** Every core on a line: written plainly, or inside a base64 token (HTTP Basic credentials). */
export function coresOnLine(line: string): Found[] {
  const found: Found[] = [];
  for (const m of line.matchAll(coreRe)) {
    found.push({ core: m[0], index: m.index, value: valueAt(line, m.index, m.index + m[0].length), encoding: 'plain' });
  }
  for (const m of line.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
    const decoded = Buffer.from(m[0], 'base64').toString('latin1');
    for (const c of decoded.matchAll(coreRe)) {
      if (!line.includes(c[0])) found.push({ core: c[0], index: m.index, value: m[0], encoding: 'base64' });
    }
  }
  return found;
}

const ipv4Re = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/;

export interface Derived {
  markers: Marker[];
  decoys: string[];
  neutral: string[];
  v2Edit: CorpusFile['v2Edit'];
}

/** Markers, decoys, neutral lines and the v2 edit of one corpus file. */
export function deriveFromText(text: string, family: Family): Derived {
  const physical = text.split('\n');
  const markers: Marker[] = [];
  const decoys: string[] = [];
  const neutral: string[] = [];
  const logical = logicalLines(text, family);
  const markedPhysical = new Set<number>();
  const decoyPhysical = new Set<number>();
  for (const l of logical) {
    const found: (Found & { line: number })[] = [];
    for (let p = l.from; p <= l.to; p++) for (const f of coresOnLine(physical[p]!)) found.push({ ...f, line: p + 1 });
    if (found.length > 0) {
      const commandOf = (t: string, values: string[]) => {
        let shape = t;
        for (const v of [...new Set(values)].sort((x, y) => y.length - x.length)) shape = shape.split(v).join('*');
        return shape.trim();
      };
      // A core in a PEM body: the command is the block's opening line.
      const opener = l.block >= 0 && l.block !== l.from ? logical.find((o) => o.from === l.block) : undefined;
      const joinedValues = found.map((f) =>
        family === 'mikrotik' ? valueAt(l.text, l.text.indexOf(f.core), l.text.indexOf(f.core) + f.core.length) : f.value,
      );
      const command = opener ? `${commandOf(opener.text, [])} [PEM body]` : commandOf(l.text, [...joinedValues, ...found.map((f) => f.value)]);
      for (const [i, f] of found.entries()) markers.push({ core: f.core, value: joinedValues[i]!, line: f.line, command, encoding: f.encoding });
      for (let p = l.from; p <= l.to; p++) markedPhysical.add(p);
      continue;
    }
    if (l.block >= 0 || !secretWordRe.test(l.text)) continue;
    if (neutralPatterns.some((n) => n.re.test(l.text))) {
      neutral.push(l.text);
      continue;
    }
    decoys.push(l.text);
    for (let p = l.from; p <= l.to; p++) decoyPhysical.add(p);
  }
  // The second upload changes one address on a line that is neither secret nor decoy.
  let v2Edit: CorpusFile['v2Edit'] | undefined;
  for (const l of [...logical].reverse()) {
    if (l.from !== l.to || l.block >= 0 || markedPhysical.has(l.from) || decoyPhysical.has(l.from) || secretWordRe.test(l.text)) continue;
    const ip = ipv4Re.exec(l.text);
    if (!ip || ip[4] === undefined) continue;
    const last = Number(ip[4]);
    const changed = `${ip[1]}.${ip[2]}.${ip[3]}.${last < 254 ? last + 1 : last - 1}`;
    v2Edit = { line: l.from + 1, from: l.text, to: l.text.slice(0, ip.index) + changed + l.text.slice(ip.index + ip[0].length) };
    break;
  }
  if (!v2Edit) throw new Error('no line with an address to change for the second upload');
  return { markers, decoys, neutral, v2Edit };
}

/** The second upload: every marker rotated, and one address changed. */
export function secondVersion(text: string, entry: CorpusFile): string {
  const lines = rotateText(text, entry.markers, 'v2').split('\n');
  const at = entry.v2Edit.line - 1;
  if (lines[at] !== entry.v2Edit.from) throw new Error(`${entry.file}: v2Edit.from is not line ${entry.v2Edit.line}`);
  lines[at] = entry.v2Edit.to;
  return lines.join('\n');
}

/** The whole manifest entry of a file, from its hand-kept head and the files. */
export async function deriveEntry(head: CorpusFileHead): Promise<CorpusFile> {
  const derived = deriveFromText(await readCorpusFile(head.file), head.family);
  const intendedMarkers = head.intended === null ? [] : deriveFromText(await readCorpusFile(head.intended), head.family).markers;
  return { ...head, markers: derived.markers, intendedMarkers, decoys: derived.decoys, neutral: derived.neutral, v2Edit: derived.v2Edit };
}
