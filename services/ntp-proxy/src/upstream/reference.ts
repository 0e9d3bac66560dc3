/**
 * What the service knows about time: the samples of every source, which source it follows, and
 * whether it is synchronised. It sets the served clock's offset and answers what a reply must say
 * (RFC 5905 §7.3 system variables: leap, stratum, reference ID and time, root delay and dispersion).
 *
 * Selection: among sources with a sample younger than the holdover, the one with the smallest root
 * distance (root delay / 2 + root dispersion, path included). There is no intersection (falseticker)
 * algorithm: the Amazon Time Sync addresses are one service, so there is nothing to vote between.
 *
 * Holdover: after the last valid sample the clock keeps running on its own and the root dispersion
 * grows at PHI (15 µs/s: 54 ms after an hour). Past the holdover the service says so: LI = 3,
 * stratum 0, as chrony does, and readiness turns false so the NLB moves routers to a healthy task.
 */
import { unixNsToNtp } from '../packet/ntp-time.js';
import { refIdToString } from '../packet/refid.js';
import type { ServedClock } from '../clock/served-clock.js';
import { ClockFilter, type FilterChoice } from './clock-filter.js';
import { phi } from './sample.js';
import type { QueryResult } from './sntp-client.js';

export interface ReferenceState {
  synchronised: boolean;
  leap: number;
  /** The stratum we serve: upstream + 1, or 0 when unsynchronised. */
  stratum: number;
  refId: number;
  /** The reference ID as ntpq shows it: `169.254.169.123`, `LOCL`, or `` when unsynchronised. */
  refIdText: string;
  /** NTP timestamp of the last clock update (0 before the first). */
  referenceTimestamp: bigint;
  rootDelayS: number;
  rootDispersionS: number;
  /** served − raw, ns. */
  offsetNs: bigint;
  /** The source followed, or null. */
  selected: string | null;
  /** Seconds since the last valid sample of any source, or null before the first. */
  lastSampleAgeS: number | null;
  /** Why not synchronised (for /healthz and status events), or null. */
  reason: string | null;
}

interface SourceState {
  label: string;
  refId: number;
  local: boolean;
  filter: ClockFilter;
}

/** Root dispersion before any sample: chrony's choice, a clearly useless 1 s. */
const unsynchronisedRootDispersionS = 1;
/** RFC 5905 MAXDISP: dispersion never reported above 16 s. */
const maxDispersionS = 16;

export interface ReferenceOptions {
  sources: { label: string; refId: number; local: boolean }[];
  holdoverMs: number;
  served: ServedClock;
}

export interface Transition {
  synchronised: boolean;
  previousSynchronised: boolean;
  selected: string | null;
  previousSelected: string | null;
}

export class Reference {
  private readonly sources = new Map<string, SourceState>();
  private readonly holdoverNs: bigint;
  private chosen: { source: SourceState; choice: FilterChoice } | null = null;
  private updatedAtServedNs: bigint | null = null;
  private lastValidNs: bigint | null = null;
  private reported: { synchronised: boolean; selected: string | null } = { synchronised: false, selected: null };
  private cached: { atNs: bigint; state: ReferenceState } | null = null;

  constructor(private readonly options: ReferenceOptions) {
    for (const source of options.sources) this.sources.set(source.label, { ...source, filter: new ClockFilter() });
    this.holdoverNs = BigInt(options.holdoverMs) * 1_000_000n;
  }

  /** Takes a query result; returns true when it was a valid sample (it may or may not be selected). */
  addResult(label: string, result: QueryResult): boolean {
    const source = this.sources.get(label);
    if (!source || !result.ok) return false;
    source.filter.add(result.sample);
    if (this.lastValidNs === null || result.sample.atNs > this.lastValidNs) this.lastValidNs = result.sample.atNs;
    this.select();
    return true;
  }

  get selectedLabel(): string | null {
    return this.chosen?.source.label ?? null;
  }

  /** The state replies carry, now. Cached for 1 ms: root dispersion grows 15 ns in that time. */
  state(): ReferenceState {
    const nowNs = this.options.served.raw.nowNs();
    if (this.cached && nowNs >= this.cached.atNs && nowNs - this.cached.atNs < 1_000_000n) return this.cached.state;
    const state = this.compute(nowNs);
    this.cached = { atNs: nowNs, state };
    return state;
  }

  /** A change of synchronisation or of the source followed since the last call, else null. */
  transition(): Transition | null {
    const state = this.state();
    const previous = this.reported;
    if (state.synchronised === previous.synchronised && state.selected === previous.selected) return null;
    this.reported = { synchronised: state.synchronised, selected: state.selected };
    return { synchronised: state.synchronised, previousSynchronised: previous.synchronised, selected: state.selected, previousSelected: previous.selected };
  }

  private select(): void {
    const nowNs = this.options.served.raw.nowNs();
    let best: { source: SourceState; choice: FilterChoice; distanceS: number } | null = null;
    for (const source of this.sources.values()) {
      const newest = source.filter.newestNs();
      if (newest === null || nowNs - newest > this.holdoverNs) continue;
      const choice = source.filter.best(nowNs);
      if (!choice) continue;
      const sample = choice.sample;
      const distanceS = (sample.rootDelayS + Number(sample.delayNs) / 1e9) / 2 + sample.rootDispersionS + choice.dispersionS + choice.jitterS;
      if (!best || distanceS < best.distanceS) best = { source, choice, distanceS };
    }
    if (!best) return;
    const changedOffset = this.chosen?.choice.sample !== best.choice.sample;
    this.chosen = { source: best.source, choice: best.choice };
    if (changedOffset) {
      this.options.served.setOffset(best.choice.sample.offsetNs);
      this.updatedAtServedNs = this.options.served.nowNs();
    }
    this.cached = null;
  }

  private compute(nowNs: bigint): ReferenceState {
    const ageS = this.lastValidNs === null ? null : Number(nowNs - this.lastValidNs) / 1e9;
    const offsetNs = this.options.served.offsetNs;
    const referenceTimestamp = this.updatedAtServedNs === null ? 0n : unixNsToNtp(this.updatedAtServedNs);
    if (!this.chosen) {
      return {
        synchronised: false,
        leap: 3,
        stratum: 0,
        refId: 0,
        refIdText: '',
        referenceTimestamp,
        rootDelayS: 0,
        rootDispersionS: unsynchronisedRootDispersionS,
        offsetNs,
        selected: null,
        lastSampleAgeS: ageS,
        reason: 'no valid upstream sample yet',
      };
    }
    const { source, choice } = this.chosen;
    const sample = choice.sample;
    const sampleAgeS = Math.max(0, Number(nowNs - sample.atNs) / 1e9);
    const rootDelayS = sample.rootDelayS + Number(sample.delayNs) / 1e9;
    const rootDispersionS = Math.min(maxDispersionS, sample.rootDispersionS + sample.dispersionS + phi * sampleAgeS + choice.jitterS);
    const synchronised = ageS !== null && nowNs - this.lastValidNs! <= this.holdoverNs;
    return {
      synchronised,
      leap: synchronised ? sample.leap : 3,
      stratum: synchronised ? sample.stratum + 1 : 0,
      refId: synchronised ? source.refId : 0,
      refIdText: synchronised ? (source.local ? 'LOCL' : refIdToString(source.refId, 2)) : '',
      referenceTimestamp,
      rootDelayS,
      rootDispersionS,
      offsetNs,
      selected: synchronised ? source.label : null,
      lastSampleAgeS: ageS,
      reason: synchronised ? null : `no valid upstream sample for ${Math.round(ageS ?? 0)} s (holdover ${this.options.holdoverMs / 1000} s)`,
    };
  }
}
