import type { Draft } from '../draft.js';

/**
 * Junos BSD-style lines carry the event tag (the Junos "System Log Explorer" name) at the start of
 * the text: `rpd[1234]: BGP_NEIGHBOR_STATE_CHANGED: peer ...`. An upper-case word with an underscore
 * right after a process tag is taken as one; it goes to `msgId` (RFC 5424 puts it there too) and
 * leaves the message. NB: a non-Juniper daemon that starts its text the same way is labelled junos.
 */
export function recognizeJunosTag(d: Draft): boolean {
  const s = d.message;
  const c0 = s.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  const lim = Math.min(s.length, 96);
  let e = 1;
  let underscore = false;
  for (; e < lim; e++) {
    const c = s.charCodeAt(e);
    if (c === 95) underscore = true;
    else if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) break;
  }
  if (!underscore || s.charCodeAt(e - 1) === 95) return false;
  const c = s.charCodeAt(e);
  let body: number;
  if (c === 58) body = s.charCodeAt(e + 1) === 32 ? e + 2 : e + 1;
  else if (c === 32) body = e + 1;
  else if (e === s.length) body = e;
  else return false;
  const tag = s.slice(0, e);
  d.vendor = { name: 'junos', eventTag: tag };
  d.msgId ??= tag;
  d.message = s.slice(body);
  return true;
}

/**
 * Junos structured-data format (RFC 5424 with `[junos@2636.<platform OID> name="value" ...]`):
 * the event tag is the MSGID and the SD keeps the variables, so only naming is left to do.
 */
export function recognizeJunosSd(d: Draft): boolean {
  const sd = d.structuredData;
  if (sd === null) return false;
  for (const id in sd) {
    if (id.startsWith('junos@2636')) {
      const v: Record<string, unknown> = { name: 'junos' };
      if (d.msgId !== null) v['eventTag'] = d.msgId;
      if (id.length > 11) v['platform'] = id.slice(11);
      d.vendor = v;
      return true;
    }
  }
  return false;
}
