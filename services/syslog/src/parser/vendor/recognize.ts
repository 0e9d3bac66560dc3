import type { Draft } from '../draft.js';
import type { LegacyHints } from '../hints.js';
import { recognizeCisco, recognizeCiscoHeader } from './cisco.js';
import { recognizeF5 } from './f5.js';
import { recognizeFortiOs } from './fortios.js';
import { recognizeJunosSd, recognizeJunosTag } from './junos.js';
import { recognizeMikrotik } from './mikrotik.js';
import { recognizePaloAlto } from './paloalto.js';

/**
 * Puts vendor fields in `d.vendor` (and may shorten `d.message`, fill `msgId`, `host` or the
 * timestamp) when the body or header is recognised. The first character of the body picks the one
 * or two candidates to try, so an unrecognised line costs a few comparisons. `h` is null for
 * RFC 5424 lines, whose header holds no vendor facts.
 */
export function recognizeVendor(d: Draft, h: LegacyHints | null, receivedMs: number): void {
  if (h === null && recognizeJunosSd(d)) return;
  const c = d.message.charCodeAt(0);
  if (c === 37 /* % */) {
    if (recognizeCisco(d, h)) return;
  } else if (c >= 48 && c <= 57) {
    if (recognizePaloAlto(d, receivedMs)) return;
    if (recognizeF5(d, h)) return;
  } else if (c >= 97 && c <= 122) {
    if ((c === 100 || c === 108 || c === 116) && recognizeFortiOs(d, receivedMs)) return;
    if (d.app === null && recognizeMikrotik(d)) return;
  } else if (c >= 65 && c <= 90) {
    if (h !== null && d.app !== null && recognizeJunosTag(d)) return;
  }
  if (h === null) return;
  if (h.level !== null && recognizeF5(d, h)) return;
  recognizeCiscoHeader(d, h);
}
