/**
 * The one joiner of numbered parts, whatever their wire form (`part/1`, `config-part/1`): it holds
 * the parts of one split value, counts a part delivered twice (at-least-once delivery) once, and
 * says which are missing. Part numbers are 1-based.
 */
export class PartGroup {
  readonly #data: (string | undefined)[];
  #received = 0;

  constructor(readonly parts: number) {
    this.#data = new Array<string | undefined>(parts).fill(undefined);
  }

  /** Keeps a part; false when it was already held or its number is outside 1..parts. */
  add(part: number, data: string): boolean {
    if (!Number.isSafeInteger(part) || part < 1 || part > this.parts || this.#data[part - 1] !== undefined) return false;
    this.#data[part - 1] = data;
    this.#received++;
    return true;
  }

  get received(): number {
    return this.#received;
  }

  get complete(): boolean {
    return this.#received === this.parts;
  }

  missing(): number[] {
    return this.#data.flatMap((d, k) => (d === undefined ? [k + 1] : []));
  }

  /** The value put back together; `undefined` while a part is missing (never a value with holes). */
  join(): string | undefined {
    return this.complete ? this.#data.join('') : undefined;
  }
}
