import { encodeSyslog2, expandSyslog2, rawOf, type Syslog2Event } from '@netsidecar/contracts';
import { parseSyslog, type ReceiveContext } from '../src/parser/index.js';

/** What one line became in both versions, and what a reader of the `syslog/2` one gets back. */
export interface Syslog2Check {
  /** The `syslog/1` JSON (NETSIDECAR_SYSLOG_SCHEMA=1). */
  v1: string;
  /** The `syslog/2` JSON as the CloudWatch sink gets it (no receivedAt), or null when written as syslog/1. */
  v2: string | null;
  /** The `syslog/1` JSON a reader expands the stored `syslog/2` event to, with @timestamp = receivedAt. */
  expanded: string | null;
  /** The same from the file sink's form (receivedAt in the event). */
  expandedFromFile: string | null;
  /** `raw` as a reader gets it from the `syslog/2` event (stored or rebuilt). */
  raw: string | null;
  layout: string | null;
}

/** Parses `line`, writes it as `syslog/1` and `syslog/2`, and reads the `syslog/2` event back as a reader would. */
export function checkSyslog2(line: Uint8Array, ctx: ReceiveContext): Syslog2Check {
  const { event, format } = parseSyslog(line, ctx);
  const v1 = JSON.stringify(event);
  const v2 = encodeSyslog2(event, format, { receivedAt: false });
  const file = encodeSyslog2(event, format, { receivedAt: true });
  if (v2 === null || file === null) return { v1, v2: null, expanded: null, expandedFromFile: null, raw: null, layout: null };
  const stored = JSON.parse(v2) as Syslog2Event;
  return {
    v1,
    v2,
    expanded: JSON.stringify(expandSyslog2(stored, ctx.receivedAt.getTime())),
    // The file sink's lines carry receivedAt; the time given beside them must not matter.
    expandedFromFile: JSON.stringify(expandSyslog2(JSON.parse(file) as Syslog2Event, 0)),
    raw: rawOf(stored),
    layout: stored.layout ?? null,
  };
}
