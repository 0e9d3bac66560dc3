import type { InputLogEvent } from './input.js';
import { invalidParameter } from './service-error.js';

/**
 * The documented PutLogEvents constraints (API reference, PutLogEvents, as of SDK 3.1169):
 * - batch size ≤ 1,048,576 bytes, counted as the UTF-8 bytes of every message plus 26 per event;
 * - at most 10,000 events; the list must not be empty (model: length ≥ 1);
 * - each event "can be no larger than 1 MB" (raised from 256 KB in April 2025). The doc gives no
 *   byte count; we count an event like the batch does (message + 26 ≤ 1,048,576), so the largest
 *   message is 1,048,550 bytes, the largest that fits in any batch anyway;
 * - events in chronological order, else the call fails;
 * - events more than 2 hours in the future, older than 14 days or older than the group's retention
 *   are NOT stored, the rest is, and `rejectedLogEventsInfo` says which;
 * - "for valid events (within 14 days in the past to 2 hours in future), the time span in a single
 *   batch cannot exceed 24 hours", else the call fails: the span is measured over kept events only.
 * Sequence tokens are ignored, as AWS does since January 2023.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576; // 1 MiB
export const EVENT_OVERHEAD_BYTES = 26; // per event, counted into the batch size
export const MAX_EVENT_BYTES = 1_048_576; // "1 MB", message + overhead
export const MAX_EVENT_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES; // 1,048,550
export const MAX_FUTURE_MS = 2 * HOUR_MS;
export const MAX_AGE_MS = 14 * DAY_MS;
export const MAX_BATCH_SPAN_MS = 24 * HOUR_MS;
export { DAY_MS };

/** The batch size as CloudWatch counts it. */
export function batchBytes(events: readonly InputLogEvent[]): number {
  let total = 0;
  for (const event of events) total += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
  return total;
}

/** Rules that need no state: count, sizes, order. Throws InvalidParameterException. */
export function checkBatchShape(events: readonly InputLogEvent[]): void {
  if (events.length === 0) {
    throw invalidParameter(
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: " + 'Member must have length greater than or equal to 1',
    );
  }
  if (events.length > MAX_BATCH_EVENTS) {
    throw invalidParameter(
      `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_BATCH_EVENTS} (got ${events.length})`,
    );
  }
  let total = 0;
  let previous = -Infinity;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.message.length === 0) {
      throw invalidParameter(
        `1 validation error detected: Value '' at 'logEvents.${i + 1}.member.message' failed to satisfy ` +
          'constraint: Member must have length greater than or equal to 1',
      );
    }
    const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES) {
      throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES} (event index ${i})`);
    }
    total += size;
    if (event.timestamp < previous) {
      throw invalidParameter(`Log events in a single PutLogEvents request must be in chronological order (event index ${i})`);
    }
    previous = event.timestamp;
  }
  if (total > MAX_BATCH_BYTES) {
    throw invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  }
}

export interface RejectedLogEventsInfo {
  /** Events from this index (inclusive) to the end are more than 2 hours in the future. */
  tooNewLogEventStartIndex?: number;
  /** Events before this index (exclusive end) are older than 14 days. */
  tooOldLogEventEndIndex?: number;
  /** Events before this index (exclusive end) are older than the group's retention. */
  expiredLogEventEndIndex?: number;
}

export interface BatchVerdict {
  /** Events `[keepStart, keepEnd)` are stored. */
  keepStart: number;
  keepEnd: number;
  rejected?: RejectedLogEventsInfo;
}

/**
 * Time rules of a batch that passed `checkBatchShape` (so it is in chronological order: too-old
 * and expired events form a prefix, too-new ones a suffix). The docs do not say whether the
 * too-old and expired ranges may overlap; we report each one on its own, so with a retention
 * shorter than 14 days both can cover the same first events. A sink must drop the union.
 */
export function classifyBatch(events: readonly InputLogEvent[], now: number, retentionInDays: number | undefined): BatchVerdict {
  const tooOldBefore = now - MAX_AGE_MS;
  const expiredBefore = retentionInDays === undefined ? -Infinity : now - retentionInDays * DAY_MS;
  const tooNewAfter = now + MAX_FUTURE_MS;
  let tooOldEnd = 0;
  while (tooOldEnd < events.length && events[tooOldEnd]!.timestamp < tooOldBefore) tooOldEnd++;
  let expiredEnd = 0;
  while (expiredEnd < events.length && events[expiredEnd]!.timestamp < expiredBefore) expiredEnd++;
  let tooNewStart = events.length;
  while (tooNewStart > 0 && events[tooNewStart - 1]!.timestamp > tooNewAfter) tooNewStart--;

  const keepStart = Math.max(tooOldEnd, expiredEnd);
  const keepEnd = Math.max(keepStart, tooNewStart);
  if (keepEnd > keepStart) {
    const span = events[keepEnd - 1]!.timestamp - events[keepStart]!.timestamp;
    if (span > MAX_BATCH_SPAN_MS) {
      throw invalidParameter(`The batch of log events in a single PutLogEvents request cannot span more than 24 hours (span ${span} ms)`);
    }
  }
  const rejected: RejectedLogEventsInfo = {};
  if (tooNewStart < events.length) rejected.tooNewLogEventStartIndex = tooNewStart;
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
  return Object.keys(rejected).length > 0 ? { keepStart, keepEnd, rejected } : { keepStart, keepEnd };
}
