/**
 * The precision field (RFC 5905 §7.3): log2 seconds of the clock's resolution, i.e. the smallest
 * step two successive readings show, as ntpd and chrony measure it at start.
 */
export function measurePrecision(read: () => bigint = () => process.hrtime.bigint(), readings = 200): number {
  let smallest = Infinity;
  let previous = read();
  for (let i = 0; i < readings; i++) {
    const current = read();
    const step = Number(current - previous);
    if (step > 0 && step < smallest) smallest = step;
    previous = current;
  }
  if (!Number.isFinite(smallest)) return -20; // a clock that never moved: say about 1 µs rather than lie
  return Math.max(-32, Math.min(0, Math.ceil(Math.log2(smallest / 1e9))));
}
