/**
 * The clock filter (RFC 5905 §10), per upstream server: the last 8 samples, and the one to trust is
 * the one with the smallest delay, because queueing only ever adds delay and a sample's offset error
 * is at most half its delay. As in RFC 5905 a sample's dispersion grows with its age (PHI), so an old
 * low-delay sample gives way to a fresh one once its age costs more than the delay it saves.
 */
import { phi, type UpstreamSample } from './sample.js';

export const filterSize = 8;

export interface FilterChoice {
  sample: UpstreamSample;
  /** The sample's dispersion now, grown with its age, in seconds. */
  dispersionS: number;
  /** RMS of the other samples' offsets around the chosen one (RFC 5905 peer jitter), in seconds. */
  jitterS: number;
  /** Distance used to choose: delay / 2 + dispersion now, in seconds. */
  distanceS: number;
}

export class ClockFilter {
  private readonly samples: UpstreamSample[] = [];

  add(sample: UpstreamSample): void {
    this.samples.push(sample);
    if (this.samples.length > filterSize) this.samples.shift();
  }

  get size(): number {
    return this.samples.length;
  }

  /** The newest sample's arrival (raw clock ns), or null. */
  newestNs(): bigint | null {
    return this.samples.at(-1)?.atNs ?? null;
  }

  best(nowNs: bigint): FilterChoice | null {
    let choice: FilterChoice | null = null;
    for (const sample of this.samples) {
      const ageS = Math.max(0, Number(nowNs - sample.atNs) / 1e9);
      const dispersionS = sample.dispersionS + phi * ageS;
      const distanceS = Number(sample.delayNs) / 2e9 + dispersionS;
      if (!choice || distanceS < choice.distanceS) choice = { sample, dispersionS, jitterS: 0, distanceS };
    }
    if (!choice || this.samples.length < 2) return choice;
    let sumSquares = 0;
    for (const sample of this.samples) {
      if (sample === choice.sample) continue;
      const differenceS = Number(sample.offsetNs - choice.sample.offsetNs) / 1e9;
      sumSquares += differenceS * differenceS;
    }
    choice.jitterS = Math.sqrt(sumSquares / (this.samples.length - 1));
    return choice;
  }
}
