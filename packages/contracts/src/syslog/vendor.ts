import type { LineFields } from './line-fields.js';
import type { StructuredData } from './syslog1.js';

/**
 * Vendor fields that other fields of the event give, left out of `syslog/2` (`compactVendor`) and
 * put back in `syslog/1` order (`expandVendor`). The two functions are each other's inverse on
 * every event the parser makes (services/syslog/test/syslog2-*.test.ts prove it on the corpora and
 * fuzzed lines); they sit side by side so that a rule changes in both at once.
 *
 * - Cisco family (`cisco`, `cisco-asa`, `cisco-ftd`, `arista`): `mnemonic` when it is the `msgId`;
 *   `facility`, `severity` (and the firewalls' `messageId`) always, they are read from the code;
 *   `clockSynchronized: false` beside a `clockMarker`.
 * - Junos: from RFC 5424 structured data (a `junos@2636...` SD-ID), the whole vendor object (the
 *   parser derives it from the SD-ID and `msgId` alone); otherwise `eventTag` when it is the `msgId`.
 * - Other vendors: as they are.
 */
const CISCO_FAMILY: ReadonlySet<string> = new Set(['cisco', 'cisco-asa', 'cisco-ftd', 'arista']);
const FIREWALLS: ReadonlySet<string> = new Set(['cisco-asa', 'cisco-ftd']);

/** The first SD-ID of Junos' structured-data format, as the parser looks for it; null when none. */
function junosSdId(sd: StructuredData | null | undefined): string | null {
  if (!sd) return null;
  for (const id in sd) if (id.startsWith('junos@2636')) return id;
  return null;
}

/** The Cisco-style code a family vendor object stands for: its `mnemonic`, else the `msgId` it equals. */
export function ciscoCode(vendor: Record<string, unknown>, msgId: string | null | undefined): string | null {
  const mnemonic = vendor['mnemonic'];
  if (typeof mnemonic === 'string') return mnemonic;
  // Only a `cisco` object made from the header alone (counter, clock marker) has no code, and then
  // no other recogniser set msgId: a legacy line's msgId comes only from its vendor code.
  return msgId ?? null;
}

/**
 * `vendor` as `syslog/2` writes it: null when it is left out whole (or was null), the object
 * otherwise (a new object only when something is left out). `undefined` when `expandVendor` could
 * not give it back exactly (no line the parser reads does this; the encoder then writes the event
 * as `syslog/1`, which a reader takes as well).
 */
export function compactVendor(e: LineFields): Record<string, unknown> | null | undefined {
  const vendor = e.vendor;
  const sdId = junosSdId(e.structuredData);
  if (!vendor) return sdId === null ? null : undefined;
  const name = vendor['name'];
  if (name === 'junos') {
    if (sdId !== null) return sameAsJunosSd(vendor, sdId, e.msgId) ? null : undefined;
    if (vendor['eventTag'] === undefined) return e.msgId == null ? vendor : undefined;
    if (vendor['eventTag'] !== e.msgId) return vendor;
    const out: Record<string, unknown> = {};
    for (const key in vendor) if (key !== 'eventTag') out[key] = vendor[key];
    return out;
  }
  if (sdId !== null) return undefined;
  if (typeof name !== 'string' || !CISCO_FAMILY.has(name)) return vendor;
  const hasCode = vendor['mnemonic'] !== undefined;
  if (!hasCode && e.msgId != null) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in vendor) {
    const value = vendor[key];
    if (key === 'clockSynchronized' && value === false && vendor['clockMarker'] !== undefined) continue;
    if (hasCode && (key === 'facility' || key === 'severity' || key === 'messageId')) continue;
    if (key === 'mnemonic' && value === e.msgId) continue;
    out[key] = value;
  }
  return out;
}

/** The object recognizeJunosSd makes: name, eventTag (the msgId), platform (the SD-ID after `junos@2636.`). */
function sameAsJunosSd(vendor: Record<string, unknown>, id: string, msgId: string | null | undefined): boolean {
  const platform = id.length > 11 ? id.slice(11) : undefined;
  const tag = msgId ?? undefined;
  return (
    Object.keys(vendor).length === 1 + (tag === undefined ? 0 : 1) + (platform === undefined ? 0 : 1) &&
    vendor['eventTag'] === tag &&
    vendor['platform'] === platform
  );
}

/** The `syslog/1` vendor object of a `syslog/2` event (null when it had none). */
export function expandVendor(e: LineFields): Record<string, unknown> | null {
  const vendor = e.vendor;
  if (!vendor) {
    const id = junosSdId(e.structuredData);
    if (id === null) return null;
    // As the parser's recognizeJunosSd builds it.
    const v: Record<string, unknown> = { name: 'junos' };
    if (e.msgId != null) v['eventTag'] = e.msgId;
    if (id.length > 11) v['platform'] = id.slice(11);
    return v;
  }
  const name = vendor['name'];
  if (name === 'junos') {
    if (vendor['eventTag'] !== undefined || e.msgId == null) return vendor;
    const out: Record<string, unknown> = { name };
    out['eventTag'] = e.msgId;
    for (const key in vendor) if (key !== 'name') out[key] = vendor[key];
    return out;
  }
  if (typeof name !== 'string' || !CISCO_FAMILY.has(name)) return vendor;
  // The order of the parser's ciscoHeader, then the code's fields.
  const out: Record<string, unknown> = { name };
  for (const key of ['os', 'counter', 'seq', 'node']) if (vendor[key] !== undefined) out[key] = vendor[key];
  if (vendor['clockMarker'] !== undefined) {
    out['clockSynchronized'] = vendor['clockSynchronized'] ?? false;
    out['clockMarker'] = vendor['clockMarker'];
  }
  const code = ciscoCode(vendor, e.msgId);
  if (code !== null) {
    const lastDash = code.lastIndexOf('-');
    const facility = code.slice(0, lastDash - 2);
    out['mnemonic'] = code;
    out['facility'] = facility;
    out['severity'] = code.charCodeAt(lastDash - 1) - 48;
    if (FIREWALLS.has(name)) out['messageId'] = Number(code.slice(facility.length + 3));
  }
  return out;
}
