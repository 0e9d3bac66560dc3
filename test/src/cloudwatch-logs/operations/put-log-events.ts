import { logEventList, requiredString, type Input } from '../input.js';
import type { Operation } from '../operation.js';
import { batchBytes, checkBatchShape, classifyBatch, EVENT_OVERHEAD_BYTES } from '../put-log-events-rules.js';
import { LOG_STREAM_NOT_FOUND } from '../service-error.js';
import type { StoredEvent } from '../store.js';
import { sequenceToken } from './log-streams.js';

/**
 * PutLogEvents with CloudWatch's rules (put-log-events-rules.ts). Order of checks: request shape
 * and batch rules first (a malformed batch fails whatever the stream), then the group and the
 * stream must exist, then the time rules, which need the group's retention.
 */
export const putLogEvents: Operation = {
  name: 'PutLogEvents',
  notFoundMessage: LOG_STREAM_NOT_FOUND,

  measure(input: Input) {
    const list = input['logEvents'];
    if (!Array.isArray(list)) return {};
    let bytes = 0;
    for (const member of list as unknown[]) {
      const message = typeof member === 'object' && member !== null ? (member as { message?: unknown }).message : undefined;
      bytes += (typeof message === 'string' ? Buffer.byteLength(message, 'utf8') : 0) + EVENT_OVERHEAD_BYTES;
    }
    return { eventCount: list.length, bytes };
  },

  apply(input, ctx) {
    const groupName = requiredString(input, 'logGroupName');
    const streamName = requiredString(input, 'logStreamName');
    const events = logEventList(input);
    checkBatchShape(events);
    // `sequenceToken` is read by nobody: AWS ignores it and never answers InvalidSequenceToken.
    const group = ctx.store.requireGroup(groupName);
    const stream = group.requireStream(streamName);
    const verdict = classifyBatch(events, ctx.now, group.retentionInDays);
    const kept: StoredEvent[] = [];
    for (let i = verdict.keepStart; i < verdict.keepEnd; i++) {
      const event = events[i]!;
      kept.push({ timestamp: event.timestamp, message: event.message, ingestionTime: ctx.now, seq: ctx.store.nextSeq() });
    }
    stream.append(kept);
    group.storedBytes += batchBytes(kept) - kept.length * EVENT_OVERHEAD_BYTES;
    stream.sequence++;
    return {
      nextSequenceToken: sequenceToken(stream.sequence),
      ...(verdict.rejected ? { rejectedLogEventsInfo: verdict.rejected } : {}),
    };
  },
};
