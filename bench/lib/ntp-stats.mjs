// Percentiles of the accuracy samples. Nearest rank: p99 of 1,000 samples is the 990th smallest, an
// observed value, never an interpolation between two.

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/**
 * Summary of offsets and delays, in seconds: n, median signed offset, p50/p99 of |offset|,
 * p50/p99 of delay.
 */
export function summarise(offsetsS, delaysS) {
  const signed = [...offsetsS].sort((a, b) => a - b);
  const absolute = offsetsS.map(Math.abs).sort((a, b) => a - b);
  const delays = [...delaysS].sort((a, b) => a - b);
  return {
    n: offsetsS.length,
    offsetMedianS: percentile(signed, 50),
    absOffsetP50S: percentile(absolute, 50),
    absOffsetP99S: percentile(absolute, 99),
    delayP50S: percentile(delays, 50),
    delayP99S: percentile(delays, 99),
  };
}
