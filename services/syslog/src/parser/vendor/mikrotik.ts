import type { Draft } from '../draft.js';

const LEVEL_TOPICS: ReadonlySet<string> = new Set(['debug', 'info', 'warning', 'error', 'critical']);

/**
 * MikroTik RouterOS puts its comma-separated topics first (`firewall,info input: in:ether1 ...`),
 * with or without a BSD header (`bsd-syslog`). Two or more lower-case topics, one of them a level,
 * then a space. The topics go to `vendor.topics` and leave the message.
 */
export function recognizeMikrotik(d: Draft): boolean {
  const s = d.message;
  const lim = Math.min(s.length, 128);
  let e = 0;
  let commas = 0;
  for (; e < lim; e++) {
    const c = s.charCodeAt(e);
    if (c === 44) commas++;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) break;
  }
  if (commas === 0 || (e < s.length && s.charCodeAt(e) !== 32)) return false;
  const topics = s.slice(0, e).split(',');
  let level = false;
  for (const t of topics) {
    if (t === '') return false;
    if (LEVEL_TOPICS.has(t)) level = true;
  }
  if (!level) return false;
  d.vendor = { name: 'mikrotik', topics };
  d.message = s.slice(e + 1);
  return true;
}
