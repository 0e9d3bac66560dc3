import { parseEvent } from '../event.js';
import { csvLine } from '../output/csv.js';
import { count } from '../progress.js';
import { NTP_UPSTREAM_STREAM } from '@netsidecar/contracts';
import { openLogGroup, settleLogGroup, type LogGroupFacts } from './log-group.js';
import { Downsampled, num, str, type Period, type SectionInput } from './sections.js';
import { coveredMs, describeSource, isLocalSource, TimeSources, type TimeSource } from './time-sources.js';

export interface NtpClient {
  client: string;
  summaries: number;
  warnings: number;
  /** The offset of largest magnitude, with its sign (+ the router's clock is ahead). */
  worstOffsetMs?: number;
  lastOffsetMs?: number;
  lastSeen?: number;
}

/** `NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD`'s default: the chart draws it unless a warning names another. */
export const DEFAULT_CLOCK_THRESHOLD_MS = 1000;

export interface NtpSection {
  present: boolean;
  group: LogGroupFacts;
  upstreamEvents: number;
  samples: number;
  okSamples: number;
  /** Unsynchronised periods, and stretches with no upstream record at all. */
  periods: Period[];
  /** Share of the range the service was synchronised to a trusted source (not its own clock) and had records. */
  syncedShare: number;
  /** Every upstream the service asked, and whether and when it followed it. */
  sources: TimeSource[];
  clients: NtpClient[];
  offsets: Map<string, Downsampled>;
  /** The clock warning threshold: from `client_clock_warning` events, else the service's default. */
  thresholdMs: number;
  thresholdFromEvents: boolean;
}

/** A silence of the upstream stream longer than this is reported: the poll interval is 16 s. */
export const NTP_GAP_MS = 15 * 60_000;
/** A router with no `client_summary` (every 5 min while it asks) for this long before the end stopped asking. */
export const NTP_ROUTER_SILENCE_MS = 60 * 60_000;

/**
 * NTP evidence: the upstream synchronisation history (every sample and status change), the periods
 * the service was not synchronised (from `synchronised` in `upstream_sample`/`status`) or left no
 * record, and each router's clock offset over time from `client_summary` / `client_clock_warning`.
 */
export async function ntpSection(input: SectionInput): Promise<NtpSection> {
  const { ctx, bundle, range, warnings } = input;
  const { facts, streams } = await openLogGroup(input, 'ntp');
  const section: NtpSection = {
    present: false,
    group: facts,
    upstreamEvents: 0,
    samples: 0,
    okSamples: 0,
    periods: [],
    syncedShare: 0,
    sources: [],
    clients: [],
    offsets: new Map(),
    thresholdMs: DEFAULT_CLOCK_THRESHOLD_MS,
    thresholdFromEvents: false,
  };
  if (streams === undefined) return section;
  section.present = true;
  const sources = new TimeSources();
  // Following the service's own clock (upstream `local`, refid LOCL) is synchronised to nothing
  // trusted: such stretches are periods of their own, never "synchronised".
  let localSince: number | undefined;
  let localSource: TimeSource | undefined;
  const closeLocal = (end: number, note = '') => {
    if (localSince === undefined || localSource === undefined) return;
    // Described when the period ends: the samples of the period have told its stratum and refid.
    section.periods.push({ start: localSince, end, kind: 'local clock', note: `${describeSource(localSource)}${note}` });
    localSince = undefined;
  };

  // Upstream: raw events, the sync history CSV, and the state machine of synchronisation.
  const upstreamQuery = { service: 'ntp' as const, streams: [NTP_UPSTREAM_STREAM], from: range.from, to: range.to };
  const raw = await bundle.open('ntp/upstream.jsonl', ctx.source.provenance(upstreamQuery));
  const history = await bundle.open('ntp/sync-history.csv', { derivedFrom: ['ntp/upstream.jsonl'] });
  await history.write(csvLine(['time', 'type', 'server', 'result', 'offsetMs', 'delayMs', 'stratum', 'selected', 'synchronised', 'servedStratum', 'reason']));
  let state: boolean | undefined;
  let unsyncedSince: number | undefined;
  let unsyncedReason: string | undefined;
  let lastRecord = range.from;
  const hasUpstream = streams.includes(NTP_UPSTREAM_STREAM);
  if (hasUpstream) {
    for await (const event of ctx.source.events(upstreamQuery)) {
      await raw.row(event.message + '\n');
      section.upstreamEvents++;
      const e = parseEvent(event.message);
      if (e === undefined) continue;
      const type = str(e['type']);
      if (type !== 'upstream_sample' && type !== 'status') continue;
      if (type === 'upstream_sample') {
        section.samples++;
        if (e['result'] === 'ok') section.okSamples++;
      }
      sources.add(type, e, event.timestamp);
      await history.row(
        csvLine([
          new Date(event.timestamp).toISOString(),
          type,
          e['server'] ?? e['selected'],
          e['result'],
          e['offsetMs'],
          e['delayMs'],
          e['stratum'] ?? e['servedStratum'],
          e['selected'],
          e['synchronised'],
          e['servedStratum'],
          e['reason'],
        ]),
      );
      if (event.timestamp - lastRecord > NTP_GAP_MS) {
        section.periods.push({ start: lastRecord, end: event.timestamp, kind: 'no record', note: 'no upstream event: service down or not logging' });
      }
      lastRecord = event.timestamp;
      const synced = e['synchronised'];
      if (typeof synced !== 'boolean') continue;
      const followed = sources.followed();
      if (synced && followed !== undefined && isLocalSource(followed)) {
        if (localSince === undefined) {
          localSince = event.timestamp;
          localSource = followed;
        }
      } else closeLocal(event.timestamp);
      if (!synced && state !== false) {
        unsyncedSince = event.timestamp;
        const lost = sources.lastFollowed();
        unsyncedReason =
          (str(e['reason']) ?? (type === 'upstream_sample' ? `last sample: ${String(e['result'])}` : '')) +
          (lost === undefined ? '' : `; it had followed ${describeSource(lost)}`);
      } else if (!synced && type === 'status' && str(e['reason']) !== undefined) {
        // The status event says why better than a sample's result.
        const lost = sources.lastFollowed();
        unsyncedReason = str(e['reason'])! + (lost === undefined ? '' : `; it had followed ${describeSource(lost)}`);
      }
      if (synced && state === false && unsyncedSince !== undefined) {
        section.periods.push({ start: unsyncedSince, end: event.timestamp, kind: 'unsynchronised', ...(unsyncedReason ? { note: unsyncedReason } : {}) });
        unsyncedSince = undefined;
        unsyncedReason = undefined;
      }
      state = synced;
    }
  }
  closeLocal(range.to, ' (still at the end of the range)');
  if (state === false && unsyncedSince !== undefined) {
    section.periods.push({
      start: unsyncedSince,
      end: range.to,
      kind: 'unsynchronised',
      note: `${unsyncedReason ?? ''} (still at the end of the range)`.trim(),
    });
  }
  const tailEnd = Math.min(range.to, ctx.now);
  if (tailEnd - lastRecord > NTP_GAP_MS) {
    section.periods.push({ start: lastRecord, end: tailEnd, kind: 'no record', note: 'no upstream event until the end of the range' });
  }
  section.periods.sort((a, b) => a.start - b.start);
  // Periods may overlap (a silence while unsynchronised): the share counts each instant once.
  section.syncedShare = Math.max(0, 1 - coveredMs(section.periods, range.from, tailEnd) / Math.max(1, tailEnd - range.from));
  section.sources = sources.list();
  await raw.close();
  await history.close();
  if (!hasUpstream) warnings.push('ntp: no upstream stream: no synchronisation record at all');
  for (const p of section.periods) {
    const span = `from ${new Date(p.start).toISOString()} to ${new Date(p.end).toISOString()}`;
    if (p.kind === 'local clock') {
      warnings.push(
        `ntp: NOT SYNCHRONISED TO A TRUSTED SOURCE ${span}: the NTP service followed its own clock (${p.note}), not UTC from a trusted time source (PCI DSS 10.6.2); routers got this machine's time`,
      );
    } else warnings.push(`ntp: ${p.kind} ${span}${p.note ? ` (${p.note})` : ''}`);
  }

  // Routers: every client stream, merged in time order.
  const clientStreams = streams.filter((s) => s !== NTP_UPSTREAM_STREAM);
  const clientQuery = { service: 'ntp' as const, streams: clientStreams, from: range.from, to: range.to };
  const clientsRaw = await bundle.open('ntp/clients.jsonl', ctx.source.provenance(clientQuery));
  const offsets = await bundle.open('ntp/client-offsets.csv', { derivedFrom: ['ntp/clients.jsonl'] });
  await offsets.write(
    csvLine(['time', 'client', 'type', 'clientOffsetMs', 'clientOffsetBoundMs', 'clientOffsetMethod', 'requests', 'authenticated', 'message']),
  );
  const clients = new Map<string, NtpClient>(clientStreams.map((c) => [c, { client: c, summaries: 0, warnings: 0 }]));
  let n = 0; // client events read
  if (clientStreams.length > 0) {
    for await (const event of ctx.source.events(clientQuery)) {
      await clientsRaw.row(event.message + '\n');
      if ((++n & 4095) === 0) ctx.progress.update(`ntp clients: ${count(n)} events`);
      const e = parseEvent(event.message);
      const client = clients.get(event.stream);
      if (e === undefined || client === undefined) continue;
      const type = str(e['type']);
      if (type === 'client_summary') client.summaries++;
      else if (type === 'client_clock_warning') {
        client.warnings++;
        const threshold = num(e['thresholdMs']);
        if (threshold !== undefined && threshold > 0) {
          section.thresholdMs = section.thresholdFromEvents ? Math.min(section.thresholdMs, threshold) : threshold;
          section.thresholdFromEvents = true;
        }
      } else continue;
      client.lastSeen = event.timestamp;
      const offset = num(e['clientOffsetMs']);
      await offsets.row(
        csvLine([
          new Date(event.timestamp).toISOString(),
          event.stream,
          type,
          offset,
          e['clientOffsetBoundMs'],
          e['clientOffsetMethod'],
          e['requests'],
          e['authenticated'],
          e['message'],
        ]),
      );
      if (offset === undefined) continue;
      client.lastOffsetMs = offset;
      if (client.worstOffsetMs === undefined || Math.abs(offset) > Math.abs(client.worstOffsetMs)) client.worstOffsetMs = offset;
      let series = section.offsets.get(event.stream);
      if (series === undefined) section.offsets.set(event.stream, (series = new Downsampled(range)));
      series.add(event.timestamp, offset);
    }
  }
  await clientsRaw.close();
  await offsets.close();
  settleLogGroup(input, facts, section.upstreamEvents + n);
  section.clients = [...clients.values()];
  for (const c of section.clients) {
    if (c.summaries === 0 && c.warnings === 0) warnings.push(`ntp: router ${c.client} did not ask for time in the range`);
    else if (c.lastSeen !== undefined && tailEnd - c.lastSeen > NTP_ROUTER_SILENCE_MS) {
      warnings.push(`ntp: router ${c.client} stopped asking for time: last summary ${new Date(c.lastSeen).toISOString()}`);
    }
    if (c.warnings > 0) warnings.push(`ntp: router ${c.client} had ${c.warnings} clock warning(s), worst offset ${signedMs(c.worstOffsetMs)} ms`);
  }
  const periodsCsv = [csvLine(['start', 'end', 'durationS', 'kind', 'note'])];
  for (const p of section.periods) {
    periodsCsv.push(csvLine([new Date(p.start).toISOString(), new Date(p.end).toISOString(), Math.round((p.end - p.start) / 1000), p.kind, p.note]));
  }
  await bundle.put('ntp/unsynchronised-periods.csv', periodsCsv.join(''), { derivedFrom: ['ntp/upstream.jsonl'] }, section.periods.length);
  return section;
}

/** `+54.300`, `-2.500`: an offset says which way the clock is off. */
export const signedMs = (v: number | undefined): string => (v === undefined ? '-' : `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(v).toFixed(3)}`);
