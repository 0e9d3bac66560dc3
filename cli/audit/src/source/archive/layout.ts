/**
 * The archive's object keys, exactly as the deploy stack's Firehose streams write them (Firehose
 * developer guide, "Amazon S3 object name format" and custom prefixes):
 *
 *   <log group without the leading slash>/yyyy/MM/dd/<stream>-<version>-yyyy-MM-dd-HH-mm-ss-<uuid>.gz
 *
 * The prefix date is `!{timestamp:yyyy/MM/dd}`, and the time in the name is the approximate arrival
 * time (UTC) of the oldest record in the object. An event reaches Firehose after its own time (the
 * CloudWatch event timestamp): an object arriving at A holds events from at most A (less clock
 * skew) and, since CloudWatch Logs accepts events up to 14 days old and Firehose buffers up to
 * 15 minutes after its oldest record, from no earlier than A minus the lateness.
 */
const DAY_MS = 86_400_000;

/** `/netsidecar/syslog` → `netsidecar/syslog/`. */
export function groupPrefix(logGroup: string): string {
  return `${logGroup.replace(/^\/+/, '')}/`;
}

/** The prefix of one UTC day of a log group: `netsidecar/syslog/2026/03/01/`. */
export function dayPrefix(logGroup: string, dayStartMs: number): string {
  return `${groupPrefix(logGroup)}${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '/')}/`;
}

/** The UTC days (their starts) that hold `[from, to)`. */
export function daysOf(from: number, to: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(day);
  return days;
}

// <delivery stream name>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid>[<extension>]
const objectName = /-\d+-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\.[^/]*)?$/;

/** The arrival time in a Firehose object name; `undefined` for a name Firehose did not write. */
export function arrivalOf(key: string): number | undefined {
  const m = objectName.exec(key.slice(key.lastIndexOf('/') + 1));
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Objects in arrival order: a key sorts by its delivery stream version before its time, so the
 * time is compared first; the key breaks ties (same second). Names without a time come last.
 */
export function compareArrival(a: { key: string; arrival: number | undefined }, b: { key: string; arrival: number | undefined }): number {
  const ta = a.arrival ?? Number.POSITIVE_INFINITY;
  const tb = b.arrival ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Firehose buffers at most 900 s after an object's oldest record; the rest is clock skew. */
export const EARLY_MS = 20 * 60_000;
