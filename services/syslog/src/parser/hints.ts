/**
 * Header facts the legacy parser saw that belong to a vendor rather than to the event's common
 * fields; the vendor recognisers turn them into `vendor` fields.
 */
export interface LegacyHints {
  /** Cisco message counter (`<189>65: `), -1 when absent. */
  counter: number;
  /** Cisco `service sequence-numbers` value (`000065: `), -1 when absent. */
  seq: number;
  /** IOS-XR node, e.g. `RP/0/RSP0/CPU0`. */
  node: string | null;
  /** Cisco `*` or `.` marker before the time, '' when absent. */
  marker: string;
  /** The time ended with `:` as the Cisco family prints it (`14:00:00.003 UTC: %...`). */
  ciscoStyle: boolean;
  /** The time had its year first (`2026 Nov 22 ...`). */
  yearFirst: boolean;
  /** The host came from a BSD header (`Nov 22 14:00:00 host ...`), not a Cisco origin-id. */
  bsdHost: boolean;
  /** F5 severity word between host and tag (`bigip1 err mcpd[...]`). */
  level: string | null;
  /** A device time (or uptime) was found where the header has one. */
  hasTime: boolean;
}

export function emptyHints(): LegacyHints {
  return { counter: -1, seq: -1, node: null, marker: '', ciscoStyle: false, yearFirst: false, bsdHost: false, level: null, hasTime: false };
}
