/** What became of N numbered messages: each number delivered once, more than once, or never. */
export interface Tally {
  sent: number;
  /** Distinct numbers that arrived. */
  delivered: number;
  /** Arrivals beyond the first of a number. */
  duplicated: number;
  lost: number;
  /** The first few numbers that never arrived. */
  holes: number[];
}

export function tally(sent: number, arrived: readonly number[]): Tally {
  const seen = new Map<number, number>();
  for (const n of arrived) seen.set(n, (seen.get(n) ?? 0) + 1);
  let duplicated = 0;
  for (const count of seen.values()) duplicated += count - 1;
  const holes: number[] = [];
  for (let i = 0; i < sent; i++) if (!seen.has(i) && holes.length < 10) holes.push(i);
  const delivered = [...seen.keys()].filter((n) => n >= 0 && n < sent).length;
  return { sent, delivered, duplicated, lost: sent - delivered, holes };
}

export function describe(label: string, result: Tally): string {
  return `${label}: sent ${result.sent}, delivered ${result.delivered}, duplicated ${result.duplicated}, lost ${result.lost}${result.holes.length ? ` (first holes ${result.holes.join(', ')})` : ''}`;
}
