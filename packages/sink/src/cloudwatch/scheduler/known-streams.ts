/**
 * The streams this sink has delivered to: they exist in CloudWatch, so their next batch costs one
 * PutLogEvents, while a stream not known here may cost three calls (a put that finds no stream,
 * CreateLogStream, the put again). Bounded, least recently marked forgotten first: a forgotten
 * stream is only treated as new again (its next batch waits in the new-stream lane), never wrong.
 */
export class KnownStreams {
  readonly #max: number;
  readonly #keys = new Set<string>();

  constructor(max: number) {
    this.#max = max;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    // A Set keeps insertion order: re-inserting marks the key most recently used.
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size > this.#max) this.#keys.delete(this.#keys.values().next().value!);
  }
}
