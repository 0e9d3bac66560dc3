import { parseMessagePart, PartGroup } from '@netsidecar/contracts';
import type { AuditEvent } from './event.js';

/**
 * Puts events split by the CloudWatch sink (`part/1`, over 1 MB) back together while streaming.
 * `PartGroup` of @netsidecar/contracts does the joining; this keeps only the groups still open
 * and the events behind them, so memory is bounded by one split event, not by the export.
 *
 * Order is the sink's: the joined event takes the place of its first part. A group whose parts do
 * not all arrive within `maxHeld` later events (or by the end) is passed on as its raw parts, together
 * at the place of the first, counted in `incomplete`: lossless, and visible, rather than dropped.
 */
interface Group {
  partId: string;
  /** The part events as they came, each once: passed on as they are when the group stays incomplete. */
  parts: AuditEvent[];
  joiner: PartGroup;
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
      const joined = head.joiner.join();
      if (joined === undefined && !force && held.length <= maxHeld) return;
      held.shift();
      open.delete(head.partId);
      if (joined !== undefined) {
        stats.joined++;
        remember(head.partId);
        yield { stream: head.parts[0]!.stream, timestamp: head.parts[0]!.timestamp, message: joined };
        continue;
      }
      stats.incomplete++;
      yield* head.parts;
    }
  };

  for await (const event of events) {
    const part = parseMessagePart(event.message);
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
    if (group === undefined || group.joiner.parts !== part.parts) {
      group = { partId: part.partId, parts: [], joiner: new PartGroup(part.parts) };
      open.set(part.partId, group);
      held.push(group);
    }
    if (group.joiner.add(part.part, part.data)) group.parts.push(event);
    yield* release(false);
  }
  yield* release(true);
}
