/**
 * Reads `<PRI>` at the start of `s`: the PRI value (0..191) and the index after `>`. Null when there
 * is no PRI or it is not valid: not 1-3 digits, or above 191 (RFC 5424 §6.2.1 caps it at 191, so a
 * larger value cannot be split into a facility and a severity).
 */
export function readPri(s: string): { value: number; end: number } | null {
  if (s.charCodeAt(0) !== 60 /* < */) return null;
  let value = 0;
  let i = 1;
  for (; i < 5 && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 62 /* > */) break;
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  if (i === 1 || i > 4 || s.charCodeAt(i) !== 62 || value > 191) return null;
  return { value, end: i + 1 };
}
