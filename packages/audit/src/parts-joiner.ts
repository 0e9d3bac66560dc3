import { parsePart, PART_SCHEMA, reassembleParts } from '@netsidecar/sink';
import type { AuditEvent } from './event.js';

/**
 * Puts events split by the CloudWatch sink (`part/1`, over 1 MB) back together while streaming.
 * `reassembleParts()` of @netsidecar/sink does the joining; this keeps only the groups still open
 * and the events behind them, so memory is bounded by one split event, not by the export.
 *
 * Order is the sink's: the joined event takes the place of its first part. A group whose parts do
 * not all arrive within `maxHeld` later events (or by the end) is passed on as its raw parts, together
 * at the place of the first, counted in `incomplete`: lossless, and visible, rather than dropped.
 */
const partPrefix = `{"schema":"${PART_SCHEMA}"`;

interface Group {
  partId: string;
  parts: AuditEvent[];
  expected: number;
  seen: Set<number>;
}

export interface JoinStats {
  joined: number;
  incomplete: number;
}

export async function* joinParts(
  events: AsyncIterable<AuditEvent>,
  stats: JoinStats = { joined: 0, incomplete: 0 },
  maxHeld = 10_000,
): AsyncGenerator<AuditEvent> {
  const open = new Map<string, Group>();
  // Parts of an event already joined that come again (at-least-once delivery) are dropped; the
  // memory of joined ids is bounded (a duplicate comes within a retry of the original).
  const done = new Set<string>();
  const remember = (partId: string) => {
    done.add(partId);
    if (done.size > 10_000) done.delete(done.values().next().value as string);
  };
  const held: (AuditEvent | Group)[] = [];

  const release = function* (force: boolean): Generator<AuditEvent> {
    while (held.length > 0) {
      const head = held[0]!;
      if ('message' in head) {
        held.shift();
        yield head;
        continue;
      }
      const complete = head.seen.size === head.expected;
      if (!complete && !force && held.length <= maxHeld) return;
      held.shift();
      open.delete(head.partId);
      if (complete) {
        const joined = reassembleParts(head.parts.map((p) => p.message)).messages[0];
        if (joined !== undefined) {
          stats.joined++;
          remember(head.partId);
          yield { stream: head.parts[0]!.stream, timestamp: head.parts[0]!.timestamp, message: joined };
          continue;
        }
      }
      stats.incomplete++;
      yield* head.parts;
    }
  };

  for await (const event of events) {
    const part = event.message.startsWith(partPrefix) ? parsePart(event.message) : undefined;
    if (part === undefined) {
      if (held.length === 0) yield event;
      else {
        held.push(event);
        yield* release(false);
      }
      continue;
    }
    if (done.has(part.partId)) continue;
    let group = open.get(part.partId);
    if (group === undefined || group.expected !== part.parts) {
      group = { partId: part.partId, parts: [], expected: part.parts, seen: new Set() };
      open.set(part.partId, group);
      held.push(group);
    }
    if (!group.seen.has(part.part)) {
      group.seen.add(part.part);
      group.parts.push(event);
    }
    yield* release(false);
  }
  yield* release(true);
}
