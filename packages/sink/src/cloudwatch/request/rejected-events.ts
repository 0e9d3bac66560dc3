import type { RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';

/** Why CloudWatch accepted a batch but did not store some of its events. */
export type RejectReason = 'too_old' | 'too_new' | 'expired';

/**
 * The reason for each event of a sent batch (in the order sent), `undefined` for stored ones.
 * Per the API reference: events before `tooOldLogEventEndIndex` (exclusive) are older than 14
 * days; events before `expiredLogEventEndIndex` are older than the group's retention; events from
 * `tooNewLogEventStartIndex` (inclusive) are more than 2 hours ahead. The too-old and expired
 * ranges can overlap; such an event counts once, as `too_old`.
 */
export function rejectedReasons(info: RejectedLogEventsInfo | undefined, count: number): (RejectReason | undefined)[] | undefined {
  if (info === undefined) return undefined;
  const clamp = (n: number | undefined, fallback: number) => (n === undefined || !Number.isFinite(n) ? fallback : Math.max(0, Math.min(count, n)));
  const tooOldEnd = clamp(info.tooOldLogEventEndIndex, 0);
  const expiredEnd = clamp(info.expiredLogEventEndIndex, 0);
  const tooNewStart = clamp(info.tooNewLogEventStartIndex, count);
  if (tooOldEnd === 0 && expiredEnd === 0 && tooNewStart === count) return undefined;
  const reasons = new Array<RejectReason | undefined>(count);
  for (let i = 0; i < count; i++) {
    reasons[i] = i < tooOldEnd ? 'too_old' : i < expiredEnd ? 'expired' : i >= tooNewStart ? 'too_new' : undefined;
  }
  return reasons;
}
