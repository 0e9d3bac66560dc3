import { num, str, type Period } from './sections.js';

/**
 * One upstream the NTP service asked (`server` of `upstream_sample`, `selected` of `status`): what it
 * said of itself (stratum, refid) and when the service followed it. PCI DSS 10.6.2 asks which time
 * source the clocks follow, not only whether they were synchronised.
 */
export interface TimeSource {
  server: string;
  /** The service's own clock (`NETSIDECAR_NTP_UPSTREAM=local`, refid LOCL): not a trusted source. */
  local: boolean;
  samples: number;
  okSamples: number;
  /** Strata and reference IDs the upstream's valid replies gave. */
  strata: number[];
  refIds: string[];
  /** Strata the service served routers while following it. */
  servedStrata: number[];
  /** First and last event at which the service was synchronised following it. */
  firstFollowed?: number;
  lastFollowed?: number;
}

const LOCAL_LABEL = 'local';
const LOCAL_REFID = 'LOCL';

export const isLocalSource = (s: TimeSource): boolean => s.local;

const addTo = <T>(list: T[], v: T | undefined) => {
  if (v !== undefined && !list.includes(v)) list.push(v);
};

/** `169.254.169.123:123 (stratum 1, refid GPS; served as stratum 2)`: the source named as the page names it. */
export function describeSource(s: TimeSource): string {
  const parts = [
    s.strata.length > 0 ? `stratum ${s.strata.join('/')}` : 'stratum unknown',
    s.refIds.length > 0 ? `refid ${s.refIds.join('/')}` : 'refid unknown',
  ];
  const served = s.servedStrata.length > 0 ? `; served as stratum ${s.servedStrata.join('/')}` : '';
  return `${s.local ? "upstream 'local', this machine's own clock" : s.server} (${parts.join(', ')}${served})`;
}

/** Follows the `upstream` stream's samples and status changes: which source is followed at each event. */
export class TimeSources {
  private readonly byServer = new Map<string, TimeSource>();
  private current: string | undefined;
  private previous: string | undefined;

  private get(server: string): TimeSource {
    let s = this.byServer.get(server);
    if (s === undefined) {
      s = { server, local: server === LOCAL_LABEL, samples: 0, okSamples: 0, strata: [], refIds: [], servedStrata: [] };
      this.byServer.set(server, s);
    }
    return s;
  }

  add(type: 'upstream_sample' | 'status', e: Record<string, unknown>, time: number): void {
    const synchronised = e['synchronised'] === true;
    if (type === 'upstream_sample') {
      const server = str(e['server']);
      if (server === undefined) return;
      const s = this.get(server);
      s.samples++;
      if (e['result'] === 'ok') {
        s.okSamples++;
        addTo(s.strata, num(e['stratum']));
        addTo(s.refIds, str(e['refId']));
      }
      if (str(e['refId']) === LOCAL_REFID) s.local = true;
      // `selected`: the service follows this server after the sample; another server's sample
      // says nothing of the one followed.
      if (e['selected'] === true) this.current = server;
      else if (this.current === server) this.current = undefined;
    } else {
      const selected = e['selected'];
      if (typeof selected === 'string') {
        this.current = selected;
        if (str(e['refId']) === LOCAL_REFID) this.get(selected).local = true;
      } else if (selected === null) this.current = undefined;
    }
    if (this.current === undefined || !synchronised) return;
    const s = this.get(this.current);
    s.firstFollowed ??= time;
    s.lastFollowed = time;
    addTo(s.servedStrata, num(type === 'status' ? e['stratum'] : e['servedStratum']));
    this.previous = this.current;
  }

  /** The source followed after the last event, if any. */
  followed(): TimeSource | undefined {
    return this.current === undefined ? undefined : this.byServer.get(this.current);
  }

  /** The source last followed while synchronised (to name what was lost). */
  lastFollowed(): TimeSource | undefined {
    return this.previous === undefined ? undefined : this.byServer.get(this.previous);
  }

  /** Sources followed first, then by name. */
  list(): TimeSource[] {
    return [...this.byServer.values()].sort(
      (a, b) => (a.firstFollowed ?? Infinity) - (b.firstFollowed ?? Infinity) || (a.server < b.server ? -1 : a.server > b.server ? 1 : 0),
    );
  }
}

/** Milliseconds of `[from, to)` covered by at least one period (they may overlap). */
export function coveredMs(periods: readonly Period[], from: number, to: number): number {
  const spans = periods
    .map((p) => [Math.max(from, p.start), Math.min(to, p.end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}
