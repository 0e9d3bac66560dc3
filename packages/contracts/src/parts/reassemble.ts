import { PartGroup } from './part-group.js';
import { parseMessagePart } from './wire-forms.js';

export interface ReassembledMessages {
  /**
   * Messages in order of first appearance, each split message rejoined at the place of the first of
   * its parts that appeared. Duplicated parts (at-least-once delivery) count once.
   */
  messages: string[];
  /** Split messages with parts missing: not in `messages`. */
  incomplete: { partId: string; parts: number; missing: number[] }[];
}

/**
 * Puts `part/1` messages back together, e.g. over the messages of one log stream in order. A
 * `config-part/1` event is an event of its own (a field of its `config/1`, joined by the reader that
 * wants the field) and is passed on like any other message.
 */
export function reassembleParts(messages: Iterable<string>): ReassembledMessages {
  const slots: (string | { partId: string })[] = [];
  const groups = new Map<string, PartGroup>();
  for (const message of messages) {
    const part = parseMessagePart(message);
    const group = part === undefined ? undefined : groups.get(part.partId);
    if (part === undefined || (group !== undefined && group.parts !== part.parts)) {
      slots.push(message);
      continue;
    }
    if (group === undefined) {
      const fresh = new PartGroup(part.parts);
      fresh.add(part.part, part.data);
      groups.set(part.partId, fresh);
      slots.push({ partId: part.partId });
    } else {
      group.add(part.part, part.data);
    }
  }
  const out: ReassembledMessages = { messages: [], incomplete: [] };
  for (const slot of slots) {
    if (typeof slot === 'string') {
      out.messages.push(slot);
      continue;
    }
    const group = groups.get(slot.partId)!;
    const joined = group.join();
    if (joined !== undefined) out.messages.push(joined);
    else out.incomplete.push({ partId: slot.partId, parts: group.parts, missing: group.missing() });
  }
  return out;
}
