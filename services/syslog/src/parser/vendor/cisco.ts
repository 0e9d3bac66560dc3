import type { Draft } from '../draft.js';
import type { LegacyHints } from '../hints.js';

/** A Cisco-style message code: `%LINK-3-UPDOWN:`, `%ROUTING-BGP-5-ADJCHANGE :`, `%ASA-6-302013:`. */
export interface Mnemonic {
  /** Without `%`: `LINK-3-UPDOWN`. */
  code: string;
  /** Everything before the severity: `LINK`, `ROUTING-BGP`, `ETHPORT-SLOT1`. */
  facility: string;
  severity: number;
  /** Index of the text after `code:` and one space. */
  end: number;
}

/**
 * `%FACILITY[-SUBFACILITY]-SEVERITY-MNEMONIC:` at i (Cisco "System Message Guide" format, also used
 * by NX-OS, XR (with a space before the colon), ASA/FTD and Arista EOS). Null when it is not one.
 */
export function readMnemonic(s: string, i: number): Mnemonic | null {
  if (s.charCodeAt(i) !== 37 /* % */) return null;
  const start = i + 1;
  const lim = Math.min(s.length, start + 80);
  let e = start;
  let lastDash = -1;
  for (; e < lim; e++) {
    const c = s.charCodeAt(e);
    if (c === 45) lastDash = e;
    else if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  const sev = s.charCodeAt(lastDash - 1) - 48;
  if (lastDash < start + 3 || lastDash === e - 1 || sev < 0 || sev > 7 || s.charCodeAt(lastDash - 2) !== 45) return null;
  let p = e;
  if (s.charCodeAt(p) === 32) p++;
  if (s.charCodeAt(p) !== 58) return null;
  p++;
  if (s.charCodeAt(p) === 32) p++;
  return { code: s.slice(start, e), facility: s.slice(start, lastDash - 2), severity: sev, end: p };
}

/** ASA, FTD and their predecessors number their messages: `%ASA-6-302013`. */
const FIREWALL_FACILITIES: ReadonlyMap<string, string> = new Map([
  ['ASA', 'cisco-asa'],
  ['PIX', 'cisco-asa'],
  ['FWSM', 'cisco-asa'],
  ['FTD', 'cisco-ftd'],
]);

const MESSAGE_ID = /^\d{6}$/;

/**
 * A body that starts with a Cisco-style code. The code leaves the message (it is in `vendor` and
 * `msgId`). Vendor name: `cisco-asa`/`cisco-ftd` for numbered firewall messages; `arista` when the
 * line had a BSD host and an agent tag (`rtr1 Ebra: %LINEPROTO-...`), which EOS sends and Cisco
 * IOS, XR (it has a node) and NX-OS do not; otherwise `cisco`.
 */
export function recognizeCisco(d: Draft, h: LegacyHints | null): boolean {
  const m = readMnemonic(d.message, 0);
  if (m === null) return false;
  const firewall = FIREWALL_FACILITIES.get(m.facility);
  const numbered = firewall !== undefined && MESSAGE_ID.test(m.code.slice(m.facility.length + 3));
  const name = numbered ? firewall : h !== null && h.bsdHost && d.app !== null && h.node === null ? 'arista' : 'cisco';
  const v = ciscoHeader(name, h);
  v['mnemonic'] = m.code;
  v['facility'] = m.facility;
  v['severity'] = m.severity;
  if (numbered) v['messageId'] = Number(m.code.slice(m.facility.length + 3));
  d.vendor = v;
  d.msgId ??= m.code;
  d.message = d.message.slice(m.end);
  return true;
}

/** Cisco header facts without a code in the body (a counter or clock marker was seen). */
export function recognizeCiscoHeader(d: Draft, h: LegacyHints): boolean {
  if (h.counter < 0 && h.seq < 0 && h.marker === '' && h.node === null) return false;
  d.vendor = ciscoHeader('cisco', h);
  return true;
}

function ciscoHeader(name: string, h: LegacyHints | null): Record<string, unknown> {
  const v: Record<string, unknown> = { name };
  if (h === null || name === 'arista') return v;
  if (h.node !== null) v['os'] = 'iosxr';
  else if (h.yearFirst && h.ciscoStyle) v['os'] = 'nxos';
  if (h.counter >= 0) v['counter'] = h.counter;
  if (h.seq >= 0) v['seq'] = h.seq;
  if (h.node !== null) v['node'] = h.node;
  if (h.marker !== '') {
    v['clockSynchronized'] = false;
    v['clockMarker'] = h.marker;
  }
  return v;
}
