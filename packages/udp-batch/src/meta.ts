/**
 * The addon describes each datagram with META_STRIDE 32-bit words: where it lies in the data buffer,
 * its length, flags, its peer (port, family, address), and when the kernel received it. The address
 * words hold the raw network order bytes; an IPv4 peer of a dual-stack socket is reported as family
 * 4. The receive time (sockets opened with timestamps) is CLOCK_REALTIME: seconds as an unsigned
 * 32-bit number, and nanoseconds; both 0 when the kernel gave none.
 */
export const META_STRIDE = 11;
export const META = { offset: 0, length: 1, flags: 2, port: 3, family: 4, address: 5, receivedSeconds: 9, receivedNanos: 10 } as const;

/** A CLOCK_REALTIME reading split as the kernel's stamps are, so ages are plain numbers. */
export interface RealtimeReading {
  seconds: number;
  nanos: number;
}

/** Splits the addon's realtimeNs() once per read: the per-datagram age then needs no BigInt. */
export function realtimeReading(ns: bigint): RealtimeReading {
  return { seconds: Number(ns / 1_000_000_000n), nanos: Number(ns % 1_000_000_000n) };
}

/**
 * How long ago (ns) before `now` the kernel received datagram `index`; null without a kernel
 * timestamp, or when the answer is not believable (the realtime clock stepped between the two
 * readings). Exact as a number: ages are far below 2^53 ns.
 */
export function kernelAgeNs(meta: Int32Array, index: number, now: RealtimeReading): number | null {
  const base = index * META_STRIDE;
  const seconds = meta[base + META.receivedSeconds]! >>> 0;
  if (seconds === 0) return null;
  const age = (now.seconds - seconds) * 1e9 + (now.nanos - meta[base + META.receivedNanos]!);
  return age >= 0 && age < maxBelievableAgeNs ? age : null;
}

/** When datagram `index` was received, in ms since the epoch (with its fraction); null when unstamped. */
export function receivedAtMs(meta: Int32Array, index: number): number | null {
  const base = index * META_STRIDE;
  const seconds = meta[base + META.receivedSeconds]! >>> 0;
  return seconds === 0 ? null : seconds * 1000 + meta[base + META.receivedNanos]! / 1e6;
}

/** A datagram older than this has waited through more than any socket buffer holds at our rates. */
const maxBelievableAgeNs = 10e9;
/** The datagram was larger than the maximum message size: its bytes were not copied. */
export const FLAG_TRUNCATED = 1;

/**
 * Turns address words into the strings node:dgram would give (`192.0.2.1`, `2001:db8::1`), cached:
 * a router sends many datagrams from one address, and a string per datagram is what this replaces.
 */
export class SourceNames {
  private readonly v4 = new Map<number, string>();
  private readonly v6 = new Map<string, string>();
  private readonly bytes = new Uint8Array(16);
  private readonly words = new Int32Array(this.bytes.buffer);

  constructor(private readonly maxEntries = 65_536) {}

  of(meta: Int32Array, index: number): string {
    const base = index * META_STRIDE + META.address;
    if (meta[index * META_STRIDE + META.family] === 4) {
      const word = meta[base]!;
      let name = this.v4.get(word);
      if (name === undefined) {
        this.words[0] = word;
        const b = this.bytes;
        name = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
        if (this.v4.size >= this.maxEntries) this.v4.clear();
        this.v4.set(word, name);
      }
      return name;
    }
    const key = `${meta[base]},${meta[base + 1]},${meta[base + 2]},${meta[base + 3]}`;
    let name = this.v6.get(key);
    if (name === undefined) {
      for (let w = 0; w < 4; w++) this.words[w] = meta[base + w]!;
      name = formatIpv6(this.bytes);
      if (this.v6.size >= this.maxEntries) this.v6.clear();
      this.v6.set(key, name);
    }
    return name;
  }
}

/** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
