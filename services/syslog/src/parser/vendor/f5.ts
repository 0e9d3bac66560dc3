import type { Draft } from '../draft.js';
import type { LegacyHints } from '../hints.js';

/**
 * F5 BIG-IP: `bigip1 err mcpd[5678]: 01070151:3: text`. The level word (read by the header parser)
 * and the message code: 8 hex digits (product, subset, message number) and a severity digit.
 * The code goes to `msgId` and `vendor`, and stays in the message: F5 (K16197) shows it as part
 * of the message text, and that is the text operators search for.
 */
export function recognizeF5(d: Draft, h: LegacyHints | null): boolean {
  const s = d.message;
  let hex = 0;
  while (hex < 8 && isHex(s.charCodeAt(hex))) hex++;
  const sev = s.charCodeAt(9) - 48;
  const coded = hex === 8 && s.charCodeAt(8) === 58 && sev >= 0 && sev <= 7 && s.charCodeAt(10) === 58;
  const level = h === null ? null : h.level;
  if (!coded && level === null) return false;
  const v: Record<string, unknown> = { name: 'f5' };
  if (level !== null) v['level'] = level;
  if (coded) {
    const code = s.slice(0, 8);
    v['messageCode'] = code;
    v['severity'] = sev;
    d.msgId ??= code;
  }
  d.vendor = v;
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
