import { LOG_GROUP_NOT_FOUND, LOG_STREAM_NOT_FOUND, resourceAlreadyExists, resourceNotFound } from './service-error.js';

/**
 * In-memory state: log groups, their streams and events. Sized for benchmarks of about a million
 * events: appends are O(batch); a stream is re-sorted only when a batch arrived older than what
 * it holds (CloudWatch accepts that across batches), lazily at the next read, and V8's TimSort is
 * near-linear on such almost-sorted runs. Reads find time ranges by binary search.
 */

export interface StoredEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Arrival order across the whole server: tie-break for equal timestamps, and the eventId. */
  readonly seq: number;
}

export class LogStreamState {
  private readonly list: StoredEvent[] = [];
  private sorted = true;
  firstEventTimestamp: number | undefined;
  lastEventTimestamp: number | undefined;
  lastIngestionTime: number | undefined;
  /** Bumped per accepted PutLogEvents; only echoed back, as AWS ignores sequence tokens now. */
  sequence = 0;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  /** `batch` is in chronological order (PutLogEvents enforces it). */
  append(batch: readonly StoredEvent[]): void {
    const first = batch[0];
    const last = batch[batch.length - 1];
    if (first === undefined || last === undefined) return;
    const tail = this.list[this.list.length - 1];
    if (tail !== undefined && first.timestamp < tail.timestamp) this.sorted = false;
    for (const event of batch) this.list.push(event);
    if (this.firstEventTimestamp === undefined || first.timestamp < this.firstEventTimestamp) {
      this.firstEventTimestamp = first.timestamp;
    }
    if (this.lastEventTimestamp === undefined || last.timestamp > this.lastEventTimestamp) {
      this.lastEventTimestamp = last.timestamp;
    }
    this.lastIngestionTime = last.ingestionTime;
  }

  get size(): number {
    return this.list.length;
  }

  /** Events ordered by (timestamp, arrival). Read-only view: do not keep it across appends. */
  ordered(): readonly StoredEvent[] {
    if (!this.sorted) {
      this.list.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
      this.sorted = true;
    }
    return this.list;
  }

  /** Index of the first event with `timestamp >= t` (or with `timestamp > t` when `after`). */
  indexAt(t: number, after = false): number {
    const list = this.ordered();
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ts = list[mid]!.timestamp;
      if (ts < t || (after && ts === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class LogGroupState {
  readonly streams = new Map<string, LogStreamState>();
  retentionInDays: number | undefined;
  /** The KMS key ARN given to CreateLogGroup (`kmsKeyId`), if any. */
  kmsKeyId: string | undefined;
  storedBytes = 0;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  requireStream(name: string): LogStreamState {
    const stream = this.streams.get(name);
    if (stream === undefined) throw resourceNotFound(LOG_STREAM_NOT_FOUND);
    return stream;
  }

  sortedStreams(): LogStreamState[] {
    return [...this.streams.values()].sort((a, b) => compareNames(a.name, b.name));
  }
}

/** Code-unit order, like CloudWatch's name ordering (and unlike localeCompare). */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class LogStore {
  private readonly groups = new Map<string, LogGroupState>();
  private seq = 0;

  nextSeq(): number {
    return this.seq++;
  }

  createGroup(name: string, now: number): LogGroupState {
    if (this.groups.has(name)) throw resourceAlreadyExists('The specified log group already exists');
    const group = new LogGroupState(name, now);
    this.groups.set(name, group);
    return group;
  }

  deleteGroup(name: string): void {
    if (!this.groups.delete(name)) throw resourceNotFound(LOG_GROUP_NOT_FOUND);
  }

  group(name: string): LogGroupState | undefined {
    return this.groups.get(name);
  }

  requireGroup(name: string): LogGroupState {
    const group = this.groups.get(name);
    if (group === undefined) throw resourceNotFound(LOG_GROUP_NOT_FOUND);
    return group;
  }

  createStream(groupName: string, name: string, now: number): LogStreamState {
    const group = this.requireGroup(groupName);
    if (group.streams.has(name)) throw resourceAlreadyExists('The specified log stream already exists');
    const stream = new LogStreamState(name, now);
    group.streams.set(name, stream);
    return stream;
  }

  sortedGroups(): LogGroupState[] {
    return [...this.groups.values()].sort((a, b) => compareNames(a.name, b.name));
  }
}
