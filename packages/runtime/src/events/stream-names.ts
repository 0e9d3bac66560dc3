import { toLogStreamName } from '@netsidecar/sink';
import type { CapReason, NewStreamCap } from './new-stream-cap.js';

/** A counter by reason: a prom-client Counter<'reason'> or a telemetry HotCounter<'reason'>. */
export interface ReasonCounter {
  labels(...values: string[]): { inc(amount?: number): void };
}

export interface StreamNamesOptions {
  /** Caps the new streams that names from a source (`from()`) open. Without it, every name opens its own. */
  cap?: NewStreamCap;
  /** Counts, by the cap's reason, the events sent to their source's stream instead of a new one. */
  capped?: ReasonCounter;
  /** Names remembered (both generations together); a forgotten name counts as new when it comes back. */
  maxNames?: number; // 20,000
  /** Characters of the names remembered, both generations together (names from the network can be long). */
  maxChars?: number; // 8 Mi: at most about 16 MiB of strings
}

/**
 * The stream of each event, named once per name (`toLogStreamName`, the same rule everywhere) and
 * remembered, so the hot path is one Map lookup. Names that come from the network (`from()`, for a
 * syslog `host`) open a new stream only as the cap allows; over it, the event goes to the stream of
 * its source address instead, which it always may, and is counted.
 *
 * Remembered names live in two generations, bounded in names and characters: a lookup that misses
 * the current one and hits the previous one moves the name forward; when the current one is full it
 * becomes the previous one. Names in use stay, names no longer seen are forgotten, for one Map
 * lookup per event.
 */
export class StreamNames {
  readonly #cap: NewStreamCap | undefined;
  readonly #capped: Record<CapReason, { inc(amount?: number): void }> | undefined;
  readonly #generationSize: number;
  readonly #generationChars: number;
  #current = new Map<string, string>();
  #currentChars = 0;
  #previous = new Map<string, string>();

  constructor(options: StreamNamesOptions = {}) {
    this.#cap = options.cap;
    const capped = options.capped;
    if (capped !== undefined) {
      this.#capped = { source_limit: capped.labels('source_limit'), global_limit: capped.labels('global_limit') };
      this.#capped.source_limit.inc(0);
      this.#capped.global_limit.inc(0);
    }
    this.#generationSize = Math.max(1, Math.floor((options.maxNames ?? 20_000) / 2));
    this.#generationChars = Math.max(1, Math.floor((options.maxChars ?? 8 * 1024 * 1024) / 2));
  }

  /** The stream of `name`: its own, always (a name the service chose: a device, a client address, `planner`). */
  of(name: string): string {
    return this.#known(name) ?? this.#remember(name);
  }

  /**
   * The stream of `name` in an event from `source`: its own when it has one already or the cap lets
   * it open one; otherwise the source's own stream (`of(source)`), counted with the cap's reason
   * once for each of the `events` it names the stream of.
   */
  from(source: string, name: string, events = 1): string {
    const known = this.#known(name);
    if (known !== undefined) return known;
    if (this.#cap === undefined || name === source) return this.#remember(name);
    const refused = this.#cap.admit(source);
    if (refused === null) return this.#remember(name);
    this.#capped?.[refused].inc(events);
    return this.of(source);
  }

  #known(name: string): string | undefined {
    const stream = this.#current.get(name);
    if (stream !== undefined) return stream;
    const old = this.#previous.get(name);
    if (old !== undefined) this.#set(name, old);
    return old;
  }

  #remember(name: string): string {
    const stream = toLogStreamName(name);
    this.#set(name, stream);
    return stream;
  }

  #set(name: string, stream: string): void {
    if (this.#current.size >= this.#generationSize || this.#currentChars >= this.#generationChars) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#currentChars = 0;
    }
    this.#current.set(name, stream);
    this.#currentChars += name.length + stream.length;
  }
}
